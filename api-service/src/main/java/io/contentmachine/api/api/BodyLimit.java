package io.contentmachine.api.api;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.vertx.ext.web.Router;

/**
 * Refuses a body over 64 KiB with 413 JSON before it is read (by its Content-Length). A chunked body is cut off at the
 * same size by quarkus.http.limits.max-body-size while it is read: a bare 413 and a closed connection, since the answer
 * has to go out before the body was even read to its end.
 */
@ApplicationScoped
public class BodyLimit {

    public static final long MAX_BYTES = 64 * 1024;

    void install(@Observes Router router) {
        router.route().order(-1000).handler(context -> {
            String length = context.request().getHeader("Content-Length");
            long bytes;
            try {
                bytes = length == null ? 0 : Long.parseLong(length.trim());
            } catch (NumberFormatException e) {
                bytes = 0;
            }
            if (bytes > MAX_BYTES) {
                context.response().setStatusCode(413).putHeader("Content-Type", "application/json").putHeader("Connection", "close")
                        .end("{\"error\":\"Body too large\",\"details\":[\"at most 65536 bytes\"]}");
                return;
            }
            context.next();
        });
    }
}
