package io.contentmachine.sandbox.http;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.vertx.core.http.HttpServerRequest;

/** Cutting a connection from a REST resource (drop-connection faults), as a network failure would. */
public final class Connections {

    private Connections() {
    }

    /**
     * Closes the request's connection and waits until it is closed, so the answer the resource then returns is never
     * sent. Only for resources running on worker threads.
     */
    public static void cut(HttpServerRequest request) {
        try {
            request.connection().close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // the connection is going away either way
        }
    }
}
