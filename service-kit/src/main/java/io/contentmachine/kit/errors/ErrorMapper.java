package io.contentmachine.kit.errors;

import java.io.IOException;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Turns every failure every service shares into the JSON error shape; a client's mistake is a 4xx, never a 500 or a
 * stack trace. A service adds mappers only for its own domain exceptions.
 */
public class ErrorMapper {

    private static final Logger LOG = Logger.getLogger(ErrorMapper.class);

    private final BodyLimit limit;

    ErrorMapper(BodyLimit limit) {
        this.limit = limit;
    }

    @ServerExceptionMapper
    public Response validation(ConstraintViolationException e) {
        List<String> details = e.getConstraintViolations().stream()
                .sorted(Comparator.comparing(v -> v.getPropertyPath().toString()))
                .map(ErrorMapper::describe)
                .toList();
        return new ErrorResponse("Validation failed", details).toResponse(Response.Status.BAD_REQUEST);
    }

    @ServerExceptionMapper
    public Response notFound(NotFoundException e) {
        return ErrorResponse.of("Not found").toResponse(Response.Status.NOT_FOUND);
    }

    /** Strict request bodies (see json.StrictHttpJson) refuse a field their class does not declare: name it. */
    @ServerExceptionMapper
    public Response unknownField(UnrecognizedPropertyException e) {
        return ErrorResponse.of("Unknown fields", path(e) + ": not a field of this request").toResponse(Response.Status.BAD_REQUEST);
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
        return ErrorResponse.of("Malformed JSON", detail).toResponse(Response.Status.BAD_REQUEST);
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        // Quarkus REST wraps some body parse failures (e.g. truncated JSON) in a 400 WebApplicationException
        if (e.getCause() instanceof UnrecognizedPropertyException unknown) {
            return unknownField(unknown);
        }
        if (e.getCause() instanceof JsonProcessingException parse) {
            return malformedJson(parse);
        }
        Response.Status status = Response.Status.fromStatusCode(e.getResponse().getStatus());
        String message = status == null ? "Request failed" : status.getReasonPhrase();
        return ErrorResponse.of(message).toResponse(e.getResponse().getStatus());
    }

    /**
     * A chunked body that passes the size limit while it is read: Quarkus REST has already answered a bare 413 and closed
     * the connection (the answer goes out before the rest of the body), so this only keeps it out of the error log.
     */
    @ServerExceptionMapper
    public Response io(IOException e) {
        if ("Request too large".equals(e.getMessage())) {
            return limit.tooLarge().toResponse(413);
        }
        return unexpected(e);
    }

    @ServerExceptionMapper
    public Response unexpected(Exception e) {
        LOG.error("unexpected failure", e);
        return ErrorResponse.of("Internal error").toResponse(Response.Status.INTERNAL_SERVER_ERROR);
    }

    private static String describe(ConstraintViolation<?> violation) {
        String path = violation.getPropertyPath().toString();
        String field = path.contains(".") ? path.substring(path.indexOf('.', path.indexOf('.') + 1) + 1) : path;
        return field + ": " + violation.getMessage();
    }

    /** The field's dotted path in the body, e.g. config.priority. */
    private static String path(JsonMappingException e) {
        return e.getPath().stream()
                .map(reference -> reference.getFieldName() != null ? reference.getFieldName() : String.valueOf(reference.getIndex()))
                .collect(Collectors.joining("."));
    }
}
