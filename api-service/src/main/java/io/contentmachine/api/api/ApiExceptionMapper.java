package io.contentmachine.api.api;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.contentmachine.api.domain.DomainException;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The gateway's decided failures, with their extra fields and headers: the api layer's own and the domain's, each kind of
 * domain refusal at its status; service-kit maps everything else.
 */
public class ApiExceptionMapper {

    @ServerExceptionMapper
    public Response api(ApiException e) {
        Response.ResponseBuilder response = Response.status(e.status()).type(MediaType.APPLICATION_JSON_TYPE).entity(e.body());
        e.headers().forEach(response::header);
        return response.build();
    }

    @ServerExceptionMapper
    public Response domain(DomainException e) {
        return api(of(e));
    }

    /** The answer to a domain refusal, in the same shape as every ApiException. */
    static ApiException of(DomainException e) {
        if (e instanceof DomainException.DuplicateTopic duplicate) {
            Map<String, Object> extra = new LinkedHashMap<>();
            extra.put("duplicateOf", duplicate.duplicateOf());
            extra.put("score", duplicate.score());
            return new ApiException(409, e.getMessage(), e.details(), extra, null);
        }
        if (e instanceof DomainException.LimitReached limit) {
            return new ApiException(429, e.getMessage(), e.details(), null,
                    Map.of("Retry-After", String.valueOf(limit.retryAfterSeconds())));
        }
        return new ApiException(status(e), e.getMessage(), e.details(), null, null);
    }

    private static int status(DomainException e) {
        if (e instanceof DomainException.InvalidRequest) {
            return 400;
        }
        if (e instanceof DomainException.NotFound) {
            return 404;
        }
        if (e instanceof DomainException.Conflict) {
            return 409;
        }
        if (e instanceof DomainException.KeyReused) {
            return 422;
        }
        if (e instanceof DomainException.TooLarge) {
            return 413;
        }
        if (e instanceof DomainException.UnsupportedType) {
            return 415;
        }
        return 503;
    }
}
