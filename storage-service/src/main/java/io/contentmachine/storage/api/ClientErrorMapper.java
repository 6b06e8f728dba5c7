package io.contentmachine.storage.api;

import jakarta.ws.rs.core.Response;

import io.contentmachine.kit.errors.ErrorResponse;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** This service's own refusals in the shared error shape; the kit maps everything else. */
public class ClientErrorMapper {

    @ServerExceptionMapper
    public Response refused(ClientError e) {
        return ErrorResponse.of(e.getMessage()).toResponse(e.status());
    }
}
