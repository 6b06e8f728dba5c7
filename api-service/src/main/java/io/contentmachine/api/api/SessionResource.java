package io.contentmachine.api.api;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import io.contentmachine.api.domain.ApiKeyService;
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

/**
 * Console sign-in: an API key is exchanged for a server-side session held in an httpOnly, SameSite=Lax cookie (Secure over
 * HTTPS). Lax, not Strict, so the cookie comes along when a platform's OAuth page sends the browser back. The key itself
 * never stays in the browser.
 */
@Path("/api/session")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "session")
public class SessionResource {

    static final String COOKIE = "cm_session";

    private final ApiKeyService keys;
    private final SessionService sessions;
    private final CurrentCaller caller;

    SessionResource(ApiKeyService keys, SessionService sessions, CurrentCaller caller) {
        this.keys = keys;
        this.sessions = sessions;
        this.caller = caller;
    }

    /** Body of POST /api/session. */
    @Schema(name = "SignIn")
    public static class SignIn extends StrictJson {
        @Schema(required = true, description = "An API key", examples = "cm_Qx3vT8aZ...")
        public String key;
    }

    /** The signed-in session as the console sees it. */
    @Schema(name = "Session")
    public record SessionView(@Schema(examples = "acme") String owner, boolean admin,
            @Schema(description = "Send it as X-CSRF-Token with every write made with the session cookie") String csrfToken,
            Instant expiresAt) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Sign in to the console with an API key", description = "Answers with the session and sets the httpOnly "
            + "cookie cm_session. Writes made with the cookie need the X-CSRF-Token header and an Origin naming this server. "
            + "The session ends at its expiry (API_SESSION_LIFETIME), at sign-out, or when its API key is revoked.")
    @APIResponse(responseCode = "201", content = @Content(schema = @Schema(implementation = SessionView.class), examples = @ExampleObject(
            name = "session",
            value = "{\"owner\":\"acme\",\"admin\":false,\"csrfToken\":\"9f2c...\",\"expiresAt\":\"2026-12-06T20:00:00Z\"}")))
    @APIResponse(responseCode = "400", description = "Missing key or unknown fields",
            content = @Content(schema = @Schema(implementation = ErrorResponse.class)))
    @APIResponse(responseCode = "401", description = "Unknown or revoked API key",
            content = @Content(schema = @Schema(implementation = ErrorResponse.class),
            examples = @ExampleObject(name = "wrongKey", value = "{\"error\":\"Missing or invalid API key\"}")))
    @APIResponse(responseCode = "403", description = "Origin is another site",
            content = @Content(schema = @Schema(implementation = ErrorResponse.class)))
    public Uni<Response> signIn(@Context ContainerRequestContext request, SignIn body) {
        if (body == null) {
            throw ApiException.badRequest("Validation failed", List.of("body: required"));
        }
        body.rejectUndeclared();
        if (body.key == null || body.key.isBlank()) {
            throw ApiException.badRequest("Validation failed", List.of("key: required"));
        }
        if (request.getHeaderString("Origin") != null && !ApiKeyFilter.sameOrigin(request)) {
            throw new ApiException(403, "Origin not allowed: sign in from this console");
        }
        return keys.verify(body.key.strip()).chain(verified -> {
            if (verified == null) {
                return Uni.createFrom().failure(new ApiException(401, "Missing or invalid API key"));
            }
            return sessions.open(verified);
        }).map(opened -> {
            long maxAge = Duration.between(Instant.now(), opened.session().expiresAt).toSeconds();
            return Response.status(201).cookie(cookie(request.getUriInfo(), request.getHeaders().getFirst("X-Forwarded-Proto"),
                            opened.token(), (int) maxAge))
                    .entity(view(opened.session().ownerId, opened.session().admin, opened.token(), opened.session().expiresAt)).build();
        });
    }

    @GET
    @SecurityRequirement(name = "session")
    @Operation(summary = "The console session of the cookie", description = "With an API key instead of the cookie: 400.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = SessionView.class)))
    @APIResponse(responseCode = "401", description = "No session, or it expired or ended",
            content = @Content(schema = @Schema(implementation = ErrorResponse.class)))
    public Uni<SessionView> get() {
        String token = caller.sessionToken();
        if (token == null) {
            throw ApiException.badRequest("Not a console session", List.of("cookie " + COOKIE + ": required"));
        }
        return sessions.find(token).map(session -> view(session.ownerId, session.admin, token, session.expiresAt));
    }

    @DELETE
    @SecurityRequirement(name = "session")
    @Operation(summary = "Sign out: ends the session and clears its cookie",
            description = "Needs X-CSRF-Token and the Origin of this server.")
    @APIResponse(responseCode = "204", description = "Signed out")
    public Uni<Response> signOut(@Context UriInfo uri, @Context HttpHeaders headers) {
        return sessions.close(caller.sessionToken())
                .replaceWith(() -> Response.noContent().cookie(cookie(uri, headers.getHeaderString("X-Forwarded-Proto"), "", 0)).build());
    }

    /** 401 for a cookie whose session is gone, clearing the cookie so the browser stops sending it. */
    static Response signedOut(ContainerRequestContext request, String message) {
        return Response.status(401).type(MediaType.APPLICATION_JSON)
                .cookie(cookie(request.getUriInfo(), request.getHeaderString("X-Forwarded-Proto"), "", 0))
                .entity(Map.of("error", message)).build();
    }

    private static SessionView view(String owner, boolean admin, String token, Instant expiresAt) {
        return new SessionView(owner, admin, SessionService.csrf(token), expiresAt);
    }

    private static NewCookie cookie(UriInfo uri, String forwardedProto, String value, int maxAge) {
        boolean https = "https".equalsIgnoreCase(uri.getRequestUri().getScheme()) || "https".equalsIgnoreCase(forwardedProto);
        return new NewCookie.Builder(COOKIE).value(value).path("/").httpOnly(true).secure(https).sameSite(NewCookie.SameSite.LAX)
                .maxAge(maxAge).build();
    }
}
