package io.contentmachine.api.api;

import java.io.IOException;
import java.util.Comparator;
import java.util.List;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

/** Turns every failure into the JSON error shape; a client's mistake is a 4xx, never a 500 or a stack trace. */
public class ErrorMapper {

    private static final Logger LOG = Logger.getLogger(ErrorMapper.class);

    @ServerExceptionMapper
    public Response validation(ConstraintViolationException e) {
        List<String> details = e.getConstraintViolations().stream()
                .sorted(Comparator.comparing(v -> v.getPropertyPath().toString()))
                .map(ErrorMapper::describe)
                .toList();
        return json(Response.Status.BAD_REQUEST, new ErrorResponse("Validation failed", details));
    }

    @ServerExceptionMapper
    public Response api(ApiException e) {
        Response.ResponseBuilder response = Response.status(e.status()).type(MediaType.APPLICATION_JSON_TYPE).entity(e.body());
        e.headers().forEach(response::header);
        return response.build();
    }

    @ServerExceptionMapper
    public Response notFound(NotFoundException e) {
        return json(Response.Status.NOT_FOUND, ErrorResponse.of("Not found"));
    }

    // Quarkus REST ships its own mappers for these subclasses (a different body shape): name them explicitly
    @ServerExceptionMapper
    public Response mismatchedInput(MismatchedInputException e) {
        return malformedJson(e);
    }

    @ServerExceptionMapper
    public Response unparsable(StreamReadException e) {
        return malformedJson(e);
    }

    @ServerExceptionMapper
    public Response malformedJson(JsonProcessingException e) {
        String detail = e instanceof MismatchedInputException mismatch && !mismatch.getPath().isEmpty()
                ? "wrong type for field '" + mismatch.getPathReference().replaceAll(".*\\[\"?|\"?\\]$", "") + "'"
                : e.getOriginalMessage();
        return json(Response.Status.BAD_REQUEST, new ErrorResponse("Malformed JSON", List.of(detail)));
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        // Quarkus REST wraps some body parse failures (e.g. truncated JSON) in a 400 WebApplicationException
        if (e.getCause() instanceof JsonProcessingException parse) {
            return malformedJson(parse);
        }
        Response.Status status = Response.Status.fromStatusCode(e.getResponse().getStatus());
        String message = status == null ? "Request failed" : status.getReasonPhrase();
        return json(e.getResponse().getStatus(), ErrorResponse.of(message));
    }

    /**
     * A chunked body that passes 64 KiB while it is read: Quarkus REST has already answered a bare 413 and closed the
     * connection (the answer goes out before the rest of the body), so this only keeps it out of the error log.
     */
    @ServerExceptionMapper
    public Response io(IOException e) {
        if ("Request too large".equals(e.getMessage())) {
            return json(413, new ErrorResponse("Body too large", List.of("at most " + BodyLimit.MAX_BYTES + " bytes")));
        }
        return unexpected(e);
    }

    @ServerExceptionMapper
    public Response unexpected(Exception e) {
        LOG.error("unexpected failure", e);
        return json(Response.Status.INTERNAL_SERVER_ERROR, ErrorResponse.of("Internal error"));
    }

    private static String describe(ConstraintViolation<?> violation) {
        String path = violation.getPropertyPath().toString();
        String field = path.contains(".") ? path.substring(path.indexOf('.', path.indexOf('.') + 1) + 1) : path;
        return field + ": " + violation.getMessage();
    }

    static Response json(Response.Status status, ErrorResponse body) {
        return json(status.getStatusCode(), body);
    }

    static Response json(int status, ErrorResponse body) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(body).build();
    }
}
