package io.contentmachine.api.api;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import io.contentmachine.api.domain.ApiKeyService;
import io.contentmachine.api.domain.ProjectService;
import io.smallrye.mutiny.Uni;

/** Every /api route needs an API key (Authorization: Bearer KEY, or X-API-Key: KEY), except the OAuth callback. */
public class ApiKeyFilter {

    private static final Pattern EVENTS = Pattern.compile("/api/videos/([^/]+)/events");
    /** The OAuth callback: a platform redirects the user's browser there, which has no key (the state says whose it is). */
    private static final Pattern PUBLIC = Pattern.compile("/api/oauth/[a-z]+/callback");

    private final ApiKeyService keys;
    private final CurrentCaller current;
    private final ProjectService projects;

    ApiKeyFilter(ApiKeyService keys, CurrentCaller current, ProjectService projects) {
        this.keys = keys;
        this.current = current;
        this.projects = projects;
    }

    @ServerRequestFilter(preMatching = true)
    public Uni<Response> authenticate(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (!path.startsWith("/api") || PUBLIC.matcher(path).matches() && "GET".equals(request.getMethod())
                || "OPTIONS".equals(request.getMethod())) {
            return Uni.createFrom().nullItem();
        }
        String presented = request.getHeaderString("X-API-Key");
        String authorization = request.getHeaderString("Authorization");
        if (presented == null && authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            presented = authorization.substring(7).strip();
        }
        return keys.verify(presented).chain(caller -> {
            if (caller == null) {
                return Uni.createFrom().item(Response.status(401).type("application/json")
                        .header("WWW-Authenticate", "Bearer")
                        .entity(Map.of("error", "Missing or invalid API key")).build());
            }
            current.set(caller);
            Matcher events = EVENTS.matcher(path);
            if (!events.matches()) {
                return Uni.createFrom().nullItem();
            }
            // a stream's status is sent before its first event: check ownership before it starts
            return projects.owned(caller, VideoResource.uuid(events.group(1)))
                    .map(project -> (Response) null)
                    .onFailure(ApiException.class).recoverWithItem(e -> {
                        ApiException api = (ApiException) e;
                        return Response.status(api.status()).type("application/json").entity(api.body()).build();
                    });
        });
    }
}
