package io.contentmachine.api.api;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** The gateway's decided failures, with their extra fields and headers; service-kit maps everything else. */
public class ApiExceptionMapper {

    @ServerExceptionMapper
    public Response api(ApiException e) {
        Response.ResponseBuilder response = Response.status(e.status()).type(MediaType.APPLICATION_JSON_TYPE).entity(e.body());
        e.headers().forEach(response::header);
        return response.build();
    }
}
