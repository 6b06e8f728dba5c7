package io.contentmachine.api.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.eclipse.microprofile.rest.client.inject.RestClient;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.contentmachine.api.client.Downstream;
import io.contentmachine.api.client.PublishClient;
import io.contentmachine.api.domain.ProjectService;
import io.smallrye.mutiny.Uni;

/** The caller's platform accounts, kept by publish-service (tokens are never returned). */
@Path("/api/accounts")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "accounts")
@SecurityRequirement(name = "bearer")
@SecurityRequirement(name = "apiKey")
@APIResponse(responseCode = "401", description = "Missing or invalid API key")
@APIResponse(responseCode = "503", description = "publish-service unavailable")
public class AccountResource {

    private static final List<String> PLATFORMS = List.of("youtube", "tiktok", "instagram");

    private final PublishClient publish;
    private final CurrentCaller caller;
    private final ObjectMapper mapper;

    AccountResource(@RestClient PublishClient publish, CurrentCaller caller, ObjectMapper mapper) {
        this.publish = publish;
        this.caller = caller;
        this.mapper = mapper;
    }

    @GET
    @Operation(summary = "The caller's accounts on every platform", description = "One entry per platform: connected or not.")
    public Uni<JsonNode> list() {
        String owner = caller.get().ownerId();
        List<Uni<JsonNode>> each = new ArrayList<>();
        for (String platform : PLATFORMS) {
            each.add(Downstream.pass(publish.account(owner, platform), "Publishing").map(response -> {
                ObjectNode entry = mapper.createObjectNode();
                entry.put("platform", platform);
                entry.put("connected", response.getStatus() == 200);
                if (response.getStatus() == 200 && response.getEntity() instanceof JsonNode account) {
                    entry.set("account", account);
                }
                return entry;
            }));
        }
        return Uni.join().all(each).andFailFast().map(entries -> {
            ArrayNode list = mapper.createArrayNode();
            entries.forEach(list::add);
            return list;
        });
    }

    @GET
    @Path("/{platform}")
    @Operation(summary = "The caller's account on a platform")
    @APIResponse(responseCode = "404", description = "Not connected")
    public Uni<Response> get(@PathParam("platform") String platform) {
        return Downstream.pass(publish.account(caller.get().ownerId(), platform(platform)), "Publishing");
    }

    @PUT
    @Path("/{platform}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Register tokens for a platform account", description = "The tokens are stored encrypted and never returned.")
    public Uni<Response> put(@PathParam("platform") String platform, Map<String, Object> body) {
        if (body == null) {
            throw ApiException.badRequest("Validation failed", List.of("body: required"));
        }
        return Downstream.pass(publish.putAccount(caller.get().ownerId(), platform(platform), mapper.valueToTree(body)), "Publishing");
    }

    @DELETE
    @Path("/{platform}")
    @Operation(summary = "Disconnect a platform account")
    public Uni<Response> delete(@PathParam("platform") String platform) {
        return Downstream.pass(publish.deleteAccount(caller.get().ownerId(), platform(platform)), "Publishing");
    }

    @GET
    @Path("/{platform}/connect")
    @Operation(summary = "Start connecting an account (OAuth)", description = "Answers with where to send the user (publish-service's OAuth start).")
    public Uni<Response> connect(@PathParam("platform") String platform) {
        return Downstream.pass(publish.oauthStart(platform(platform), caller.get().ownerId()), "Publishing");
    }

    @GET
    @Path("/oauth/{platform}/callback")
    @Operation(summary = "OAuth callback (public: the platform redirects the user here)")
    public Uni<Response> callback(@PathParam("platform") String platform, @QueryParam("code") String code, @QueryParam("state") String state,
            @QueryParam("error") String error) {
        return Downstream.pass(publish.oauthCallback(platform(platform), code, state, error), "Publishing");
    }

    private static String platform(String platform) {
        if (!ProjectService.PLATFORMS.contains(platform)) {
            throw ApiException.badRequest("Validation failed", List.of("platform: one of youtube, tiktok, instagram"));
        }
        return platform;
    }
}
