package io.contentmachine.sandbox.http;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.http.HttpServerResponse;

/** A platform's answer (status, headers, JSON body), sent either from a REST resource or from a raw Vert.x route. */
public record Reply(int status, Map<String, String> headers, Object body) {

    public static Reply json(int status, Object body) {
        return new Reply(status, Map.of(), body);
    }

    public static Reply empty(int status) {
        return new Reply(status, Map.of(), null);
    }

    public Reply header(String name, String value) {
        Map<String, String> all = new LinkedHashMap<>(headers);
        all.put(name, value);
        return new Reply(status, all, body);
    }

    public Response toResponse() {
        Response.ResponseBuilder builder = Response.status(status);
        headers.forEach(builder::header);
        if (body != null) {
            builder.type(MediaType.APPLICATION_JSON + "; charset=UTF-8").entity(body);
        }
        return builder.build();
    }

    public void send(HttpServerResponse response, ObjectMapper mapper) {
        if (response.ended() || response.closed()) {
            return;
        }
        response.setStatusCode(status);
        if (status == 308) {
            response.setStatusMessage("Resume Incomplete");
        }
        headers.forEach(response::putHeader);
        if (body == null) {
            response.putHeader("Content-Length", "0").end();
            return;
        }
        try {
            response.putHeader("Content-Type", "application/json; charset=UTF-8").end(mapper.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
