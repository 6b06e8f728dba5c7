package io.contentmachine.kit.errors;

import java.util.List;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The one error shape of every service: {"error": "...", "details": [...]} (details only when there are some). */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ErrorResponse(String error, List<String> details) {

    public static ErrorResponse of(String error) {
        return new ErrorResponse(error, List.of());
    }

    public static ErrorResponse of(String error, String detail) {
        return new ErrorResponse(error, List.of(detail));
    }

    /** This error as a JSON response with {@code status}. */
    public Response toResponse(Response.Status status) {
        return toResponse(status.getStatusCode());
    }

    public Response toResponse(int status) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(this).build();
    }
}
