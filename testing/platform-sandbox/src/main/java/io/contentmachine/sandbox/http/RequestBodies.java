package io.contentmachine.sandbox.http;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;

/** Reading small bodies and discarding unwanted ones on raw Vert.x routes (the request must be paused). */
public final class RequestBodies {

    private RequestBodies() {
    }

    /** The whole body, failing with IllegalArgumentException past {@code limit} bytes. */
    public static Future<Buffer> small(HttpServerRequest request, int limit) {
        Promise<Buffer> promise = Promise.promise();
        Buffer body = Buffer.buffer();
        request.handler(chunk -> {
            if (body.length() + chunk.length() > limit) {
                promise.tryFail(new IllegalArgumentException("request body larger than " + limit + " bytes"));
                return;
            }
            body.appendBuffer(chunk);
        });
        request.endHandler(v -> promise.tryComplete(body));
        request.exceptionHandler(promise::tryFail);
        request.resume();
        return promise.future();
    }

    /** Reads and drops the body, then runs {@code then} (so the answer does not race the client's upload). */
    public static void discard(HttpServerRequest request, Runnable then) {
        if (request.isEnded()) {
            then.run();
            return;
        }
        request.handler(chunk -> {
        });
        request.endHandler(v -> then.run());
        request.exceptionHandler(e -> request.connection().close());
        request.resume();
    }
}
