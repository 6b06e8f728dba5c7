package io.contentmachine.api.api;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.contentmachine.api.client.Downstream;
import io.contentmachine.api.client.PublishClient;
import io.contentmachine.api.domain.NewProject;
import io.contentmachine.api.domain.SessionService;
import io.contentmachine.kit.errors.ErrorResponse;
import io.smallrye.mutiny.Uni;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/** The caller's platform accounts, kept by publish-service (tokens are never returned). */
@Path("/api/accounts")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "accounts")
@SecurityRequirement(name = "bearer")
@SecurityRequirement(name = "apiKey")
@SecurityRequirement(name = "session")
@APIResponse(responseCode = "401", description = "Missing or invalid API key")
@APIResponse(responseCode = "503", description = "publish-service unavailable")
public class AccountResource {

    private static final List<String> PLATFORMS = List.of("youtube", "tiktok", "instagram");
    static final String PLATFORM_ERROR = "{\"error\":\"Validation failed\",\"details\":[\"platform: unknown platform 'myspace'; "
            + "valid: youtube, tiktok, instagram\"]}";

    private final PublishClient publish;
    private final CurrentCaller caller;
    private final ObjectMapper mapper;
    private final SessionService sessions;

    AccountResource(@RestClient PublishClient publish, CurrentCaller caller, ObjectMapper mapper, SessionService sessions) {
        this.publish = publish;
        this.sessions = sessions;
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

    @GET
    @Path("/tiktok/creator-info")
    @Operation(summary = "What the caller's TikTok post screen needs", description = "TikTok's creator_info, asked now (TikTok wants "
            + "it queried each time the post screen opens): the creator's names, the privacy levels they may choose (offer only "
            + "these, with none preselected; an unaudited app offers SELF_ONLY only), the interactions they disabled (show them off "
            + "and greyed out) and the longest video they may post. Send the choice as tiktok.privacyLevel.")
    @APIResponse(responseCode = "200", content = @Content(examples = @ExampleObject(name = "creator", value = "{\"creatorUsername\":"
            + "\"sandbox_creator\",\"creatorNickname\":\"Sandbox Creator\",\"creatorAvatarUrl\":\"https://p16.tiktokcdn.com/a.jpeg\","
            + "\"privacyLevelOptions\":[\"PUBLIC_TO_EVERYONE\",\"MUTUAL_FOLLOW_FRIENDS\",\"SELF_ONLY\"],\"commentDisabled\":false,"
            + "\"duetDisabled\":false,\"stitchDisabled\":true,\"maxVideoPostDurationSec\":600,\"audited\":true}")))
    @APIResponse(responseCode = "409", description = "No connected TikTok account", content = @Content(examples = @ExampleObject(
            name = "notConnected", value = "{\"error\":\"no connected tiktok account; connect one with POST "
                    + "/api/accounts/tiktok/connect\"}")))
    @APIResponse(responseCode = "502", description = "TikTok refused or could not be reached (its reason)")
    public Uni<Response> tiktokCreatorInfo() {
        return Downstream.pass(publish.tiktokCreatorInfo(caller.get().ownerId()), "Publishing", 502);
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

    /** Answer of POST /api/accounts/{platform}/connect. */
    @Schema(name = "Connect")
    public record Connect(@Schema(description = "Send the user's browser here to grant access") String authorizationUrl,
            @Schema(description = "The authorization must be completed before this instant") String expiresAt) {
    }

    @POST
    @Path("/{platform}/connect")
    @Operation(summary = "Start connecting an account (OAuth)", description = "Answers with the platform's authorization page for the "
            + "caller. After the user grants access, the platform redirects the browser to GET /api/oauth/{platform}/callback, "
            + "which stores the account; GET /api/accounts then shows it connected.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = Connect.class), examples = @ExampleObject(
            name = "connect", value = "{\"authorizationUrl\":\"https://accounts.google.com/o/oauth2/v2/auth?client_id=...&state=k3J9...\","
                    + "\"expiresAt\":\"2026-11-24T23:55:00Z\"}")))
    @APIResponse(responseCode = "400", description = "Unknown platform, or the platform's app is not configured",
            content = @Content(schema = @Schema(implementation = ErrorResponse.class), examples = @ExampleObject(name = "unknownPlatform",
                    value = PLATFORM_ERROR)))
    public Uni<Response> connect(@PathParam("platform") String platform) {
        return Downstream.pass(publish.oauthStart(platform(platform), caller.get().ownerId()), "Publishing").chain(response -> {
            if (response.getStatus() != 200 || !(response.getEntity() instanceof JsonNode start)) {
                return Uni.createFrom().item(response);
            }
            // the state stays between publish-service and the platform: the frontend only needs where to go
            String url = start.path("authorizationUrl").asText(null);
            Response answer = Response.ok(new Connect(url, start.path("expiresAt").asText(null))).type(MediaType.APPLICATION_JSON_TYPE)
                    .build();
            String state = state(url);
            if (caller.sessionId() == null || state == null) {
                return Uni.createFrom().item(answer);
            }
            // started from the console: the callback must come back to this browser session (OAuthCallbackResource)
            return sessions.bindOAuthState(caller.sessionId(), state).replaceWith(answer);
        });
    }

    /** The state parameter of an authorization URL, or null. */
    static String state(String authorizationUrl) {
        if (authorizationUrl == null) {
            return null;
        }
        String query = URI.create(authorizationUrl).getRawQuery();
        for (String pair : query == null ? new String[0] : query.split("&")) {
            if (pair.startsWith("state=")) {
                return URLDecoder.decode(pair.substring(6), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    /** The platform of a path, or 400 listing the valid ones. */
    static String platform(String platform) {
        if (!NewProject.PLATFORMS.contains(platform)) {
            throw ApiException.badRequest("Validation failed", List.of("platform: unknown platform '" + platform
                    + "'; valid: youtube, tiktok, instagram"));
        }
        return platform;
    }
}
