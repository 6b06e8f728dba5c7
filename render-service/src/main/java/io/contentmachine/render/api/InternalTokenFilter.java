package io.contentmachine.render.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import io.contentmachine.render.config.InternalConfig;

/** Internal REST endpoints (under /render) answer only callers that present the shared internal token. */
public class InternalTokenFilter {

    private final byte[] token;

    InternalTokenFilter(InternalConfig config) {
        this.token = config.token().getBytes(StandardCharsets.UTF_8);
    }

    @ServerRequestFilter
    public Response check(ContainerRequestContext request) {
        if (!request.getUriInfo().getPath().startsWith("/render")) {
            return null;
        }
        String presented = request.getHeaderString("X-Internal-Token");
        if (presented != null && MessageDigest.isEqual(token, presented.getBytes(StandardCharsets.UTF_8))) {
            return null;
        }
        return ErrorMapper.json(Response.Status.UNAUTHORIZED, ErrorResponse.of("Missing or invalid internal token"));
    }
}
