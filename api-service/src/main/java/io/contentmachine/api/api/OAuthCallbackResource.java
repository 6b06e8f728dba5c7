package io.contentmachine.api.api;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.databind.JsonNode;
import io.contentmachine.api.client.Downstream;
import io.contentmachine.api.client.PublishClient;
import io.contentmachine.api.domain.Session;
import io.contentmachine.api.domain.SessionService;
import io.contentmachine.kit.errors.ErrorResponse;
import io.smallrye.mutiny.Uni;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * Where a platform sends the user's browser back after an OAuth consent: the one /api route without an API key
 * (the browser has none). The single-use state that publish-service issued at connect time says whose account it is,
 * so the caller cannot choose the owner.
 */
@Path("/api/oauth")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "accounts")
public class OAuthCallbackResource {

    private static final int MAX_PARAM = 2048;

    private final PublishClient publish;
    private final SessionService sessions;

    OAuthCallbackResource(@RestClient PublishClient publish, SessionService sessions) {
        this.publish = publish;
        this.sessions = sessions;
    }

    /** Answer of a completed connection. */
    @Schema(name = "Connected")
    public record Connected(String ownerId, String platform, @Schema(examples = "connected") String status,
            @Schema(description = "The channel or account name on the platform, when it tells") String accountName) {
    }

    @GET
    @Path("/{platform}/callback")
    @Operation(summary = "OAuth callback (public: the platform redirects the user here)", description = "Completes POST "
            + "/api/accounts/{platform}/connect: publish-service checks the single-use state, exchanges the code for tokens and "
            + "stores them encrypted. Needs no API key. Register this URL as the redirect URI of the platform app.")
    @APIResponse(responseCode = "200", description = "Account connected",
            content = @Content(schema = @Schema(implementation = Connected.class), examples = @ExampleObject(name = "connected",
                    value = "{\"ownerId\":\"acme\",\"platform\":\"youtube\",\"status\":\"connected\",\"accountName\":\"Acme Science\"}")))
    @APIResponse(responseCode = "400", description = "Unknown platform, missing state or code, unknown or expired state, the user "
            + "denied access, or the platform refused the code", content = @Content(schema = @Schema(implementation = ErrorResponse.class),
            examples = {
                @ExampleObject(name = "denied", value = "{\"error\":\"Authorization denied by the user\"}"),
                @ExampleObject(name = "missingState", value = "{\"error\":\"Validation failed\",\"details\":[\"state: required\"]}")}))
    @APIResponse(responseCode = "303", description = "A connection started from the console: back to the console's accounts page "
            + "(/#/accounts?connected={platform}, or ?platform=&error= saying why not)")
    @APIResponse(responseCode = "403",
            description = "A connection started from the console, completed without that console session's cookie",
            content = @Content(schema = @Schema(implementation = ErrorResponse.class)))
    @APIResponse(responseCode = "502", description = "The platform failed to exchange the code for tokens; start again",
            content = @Content(schema = @Schema(implementation = ErrorResponse.class), examples = @ExampleObject(name = "exchangeFailed",
                    value = "{\"error\":\"Could not complete the connection: token endpoint answered 500\"}")))
    @APIResponse(responseCode = "503", description = "publish-service unavailable", content = @Content(
            schema = @Schema(implementation = ErrorResponse.class),
            examples = @ExampleObject(name = "unavailable", value = "{\"error\":\"Publishing unavailable, try again shortly\"}")))
    public Uni<Response> callback(@Context HttpHeaders headers, @PathParam("platform") String platform,
            @Parameter(description = "The authorization code (on success)") @QueryParam("code") String code,
            @Parameter(description = "The state issued at connect", required = true) @QueryParam("state") String state,
            @Parameter(description = "Set by the platform when the user denied access, e.g. access_denied")
            @QueryParam("error") String error,
            @Parameter(description = "The platform's explanation of error") @QueryParam("error_description") String errorDescription) {
        AccountResource.platform(platform);
        List<String> details = new ArrayList<>();
        if (state == null || state.isBlank()) {
            details.add("state: required");
        }
        if ((code == null || code.isBlank()) && (error == null || error.isBlank())) {
            details.add("code: required unless error is given");
        }
        for (String value : new String[] {code, state, error, errorDescription}) {
            if (value != null && value.length() > MAX_PARAM) {
                details.add("code, state, error, error_description: at most " + MAX_PARAM + " characters each");
                break;
            }
        }
        if (!details.isEmpty()) {
            throw ApiException.badRequest("Validation failed", details);
        }
        return sessions.byOAuthState(state).chain(session -> {
            // 502: the platform refused to exchange the code, which publish-service explains; not an outage
            Uni<Response> complete = Downstream.pass(publish.oauthCallback(platform, code, state, error, errorDescription),
                    "Publishing", 502);
            if (session == null) {
                return complete;
            }
            // started from the console: only the browser session that started it may complete it, and it goes back there
            Cookie cookie = headers.getCookies().get(SessionResource.COOKIE);
            return (cookie == null ? Uni.createFrom().<Session>nullItem() : sessions.find(cookie.getValue())).chain(own -> {
                if (own == null || !own.id.equals(session.id)) {
                    return Uni.createFrom().failure(new ApiException(403, "This connection was started in another console session"));
                }
                return sessions.clearOAuthState(session.id).chain(() -> complete).map(answer -> backToConsole(platform, answer));
            });
        });
    }

    /** 303 to the console's accounts page, saying whether the account is connected or why not. */
    private static Response backToConsole(String platform, Response answer) {
        String query;
        if (answer.getStatus() == 200) {
            query = "connected=" + platform;
        } else {
            String message = answer.getEntity() instanceof JsonNode body ? body.path("error").asText("Connection failed")
                    : "Connection failed";
            query = "platform=" + platform + "&error=" + URLEncoder.encode(message, StandardCharsets.UTF_8);
        }
        return Response.seeOther(URI.create("/#/accounts?" + query)).build();
    }
}
