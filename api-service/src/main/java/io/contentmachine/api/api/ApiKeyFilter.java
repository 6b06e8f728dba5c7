package io.contentmachine.api.api;

import java.net.URI;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.Response;

import io.contentmachine.api.domain.ApiKeyService;
import io.contentmachine.api.domain.Caller;
import io.contentmachine.api.domain.DomainException;
import io.contentmachine.api.domain.ProjectQueries;
import io.contentmachine.api.domain.SessionService;
import io.smallrye.mutiny.Uni;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Every /api route needs an API key (Authorization: Bearer KEY, or X-API-Key: KEY) or a console session cookie, except
 * the OAuth callback, the catalog and sign-in. A write made with the cookie also needs the session's CSRF token
 * (X-CSRF-Token) and an Origin header naming this server, so another site cannot make the browser act for its user.
 */
public class ApiKeyFilter {

    private static final Pattern EVENTS = Pattern.compile("/api/videos/([^/]+)/events");
    /** The OAuth callback: a platform redirects the user's browser there, which has no key (the state says whose it is). */
    private static final Pattern CALLBACK = Pattern.compile("/api/oauth/[a-z]+/callback");

    private final ApiKeyService keys;
    private final SessionService sessions;
    private final CurrentCaller current;
    private final ProjectQueries projects;

    ApiKeyFilter(ApiKeyService keys, SessionService sessions, CurrentCaller current, ProjectQueries projects) {
        this.keys = keys;
        this.sessions = sessions;
        this.current = current;
        this.projects = projects;
    }

    @ServerRequestFilter(preMatching = true)
    public Uni<Response> authenticate(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        String method = request.getMethod();
        if (!path.startsWith("/api") || isPublic(path, method) || "OPTIONS".equals(method)) {
            return Uni.createFrom().nullItem();
        }
        String presented = request.getHeaderString("X-API-Key");
        String authorization = request.getHeaderString("Authorization");
        if (presented == null && authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            presented = authorization.substring(7).strip();
        }
        Cookie cookie = request.getCookies().get(SessionResource.COOKIE);
        if (presented == null && cookie != null) {
            return bySession(request, path, cookie.getValue());
        }
        return keys.verify(presented).chain(caller -> {
            if (caller == null) {
                return Uni.createFrom().item(Response.status(401).type("application/json")
                        .header("WWW-Authenticate", "Bearer")
                        .entity(Map.of("error", "Missing or invalid API key")).build());
            }
            return admit(caller, path);
        });
    }

    private Uni<Response> bySession(ContainerRequestContext request, String path, String token) {
        return sessions.find(token).chain(session -> {
            if (session == null) {
                return Uni.createFrom().item(SessionResource.signedOut(request, "Session expired or signed out; sign in again"));
            }
            if (!isSafe(request.getMethod())) {
                if (!SessionService.csrfMatches(token, request.getHeaderString("X-CSRF-Token"))) {
                    return Uni.createFrom().item(error(403, "Missing or invalid CSRF token (X-CSRF-Token)"));
                }
                if (!sameOrigin(request)) {
                    return Uni.createFrom().item(error(403,
                            "Origin not allowed: a write with the session cookie must come from this console"));
                }
            }
            current.setSession(session.id, token);
            return admit(session.caller(), path);
        });
    }

    private Uni<Response> admit(Caller caller, String path) {
        current.set(caller);
        Matcher events = EVENTS.matcher(path);
        if (!events.matches()) {
            return Uni.createFrom().nullItem();
        }
        // a stream's status is sent before its first event: check ownership before it starts
        return projects.owned(caller, VideoResource.uuid(events.group(1)))
                .map(project -> (Response) null)
                .onFailure(DomainException.class).recoverWithItem(e -> {
                    ApiException api = ApiExceptionMapper.of((DomainException) e);
                    return Response.status(api.status()).type("application/json").entity(api.body()).build();
                });
    }

    private static boolean isPublic(String path, String method) {
        return "GET".equals(method) && (CALLBACK.matcher(path).matches() || "/api/catalog".equals(path))
                || "POST".equals(method) && "/api/session".equals(path);
    }

    private static boolean isSafe(String method) {
        return "GET".equals(method) || "HEAD".equals(method);
    }

    /**
     * Whether the Origin header names this server: the scheme, host and port the request was addressed to (behind a TLS proxy,
     * Quarkus' proxy-address-forwarding makes them the public ones, as its own CORS same-origin check needs too).
     */
    static boolean sameOrigin(ContainerRequestContext request) {
        String origin = request.getHeaderString("Origin");
        if (origin == null) {
            return false;
        }
        URI self = request.getUriInfo().getRequestUri();
        int port = self.getPort();
        String own = self.getScheme() + "://" + self.getHost() + (port == -1 ? "" : ":" + port);
        return own.equalsIgnoreCase(origin);
    }

    private static Response error(int status, String message) {
        return Response.status(status).type("application/json").entity(Map.of("error", message)).build();
    }
}
