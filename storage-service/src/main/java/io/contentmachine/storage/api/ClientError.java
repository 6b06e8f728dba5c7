package io.contentmachine.storage.api;

import jakarta.ws.rs.core.Response;

/** A request this service refuses, with the HTTP status and message the caller gets as JSON. */
public class ClientError extends RuntimeException {

    private final int status;

    public ClientError(Response.Status status, String message) {
        super(message, null, false, false);
        this.status = status.getStatusCode();
    }

    public int status() {
        return status;
    }

    public static ClientError badRequest(String message) {
        return new ClientError(Response.Status.BAD_REQUEST, message);
    }

    public static ClientError notFound(String message) {
        return new ClientError(Response.Status.NOT_FOUND, message);
    }
}
