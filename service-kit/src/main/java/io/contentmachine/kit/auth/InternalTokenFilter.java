package io.contentmachine.kit.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.regex.Pattern;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;

import io.contentmachine.kit.errors.ErrorResponse;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Internal REST endpoints (under internal.path-prefix) and the operators' endpoints (under /admin/, in every service, the
 * gateway included) answer only callers that present the shared internal token.
 */
public class InternalTokenFilter {

    private static final String ADMIN = "/admin/";

    private final byte[] token;
    private final String prefix;
    private final List<Pattern> publicPaths;

    InternalTokenFilter(InternalConfig config) {
        this.token = config.token().getBytes(StandardCharsets.UTF_8);
        this.prefix = config.pathPrefix().orElse(null);
        this.publicPaths = config.publicPaths().orElse(List.of()).stream().map(Pattern::compile).toList();
    }

    @ServerRequestFilter
    public Response check(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        boolean internal = prefix != null && path.startsWith(prefix);
        if (!internal && !path.startsWith(ADMIN) || publicPaths.stream().anyMatch(open -> open.matcher(path).matches())) {
            return null;
        }
        String presented = request.getHeaderString("X-Internal-Token");
        if (presented != null && MessageDigest.isEqual(token, presented.getBytes(StandardCharsets.UTF_8))) {
            return null;
        }
        return ErrorResponse.of("Missing or invalid internal token").toResponse(Response.Status.UNAUTHORIZED);
    }
}
