package io.contentmachine.publish.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import io.contentmachine.publish.config.InternalConfig;

/**
 * Internal REST endpoints (under /publish) answer only callers that present the shared internal token; the OAuth
 * callback is the one public route (the platform redirects the user's browser to it through the gateway).
 */
public class InternalTokenFilter {

    private final byte[] token;

    InternalTokenFilter(InternalConfig config) {
        this.token = config.token().getBytes(StandardCharsets.UTF_8);
    }

    @ServerRequestFilter
    public Response check(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (!path.startsWith("/publish") || path.matches("/publish/oauth/[^/]+/callback/?")) {
            return null;
        }
        String presented = request.getHeaderString("X-Internal-Token");
        if (presented != null && MessageDigest.isEqual(token, presented.getBytes(StandardCharsets.UTF_8))) {
            return null;
        }
        return ErrorMapper.json(Response.Status.UNAUTHORIZED, ErrorResponse.of("Missing or invalid internal token"));
    }
}
