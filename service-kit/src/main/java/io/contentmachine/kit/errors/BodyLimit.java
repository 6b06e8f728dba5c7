package io.contentmachine.kit.errors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.ext.web.Router;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Refuses a body over quarkus.http.limits.max-body-size with 413 JSON before it is read (by its Content-Length). A
 * chunked body is cut off at the same size by Quarkus while it is read: a bare 413 and a closed connection, since the
 * answer has to go out before the body was even read to its end.
 */
@ApplicationScoped
public class BodyLimit {

    private final long maxBytes;
    private final String refusal;

    BodyLimit(@ConfigProperty(name = "quarkus.http.limits.max-body-size", defaultValue = "10240K") MemorySize max) {
        this.maxBytes = max.asLongValue();
        this.refusal = "{\"error\":\"Body too large\",\"details\":[\"" + detail() + "\"]}";
    }

    public long maxBytes() {
        return maxBytes;
    }

    /** The error a body over the limit gets. */
    public ErrorResponse tooLarge() {
        return ErrorResponse.of("Body too large", detail());
    }

    private String detail() {
        return "at most " + maxBytes + " bytes";
    }

    void install(@Observes Router router) {
        router.route().order(-1000).handler(context -> {
            String length = context.request().getHeader("Content-Length");
            long bytes;
            try {
                bytes = length == null ? 0 : Long.parseLong(length.trim());
            } catch (NumberFormatException e) {
                bytes = 0;
            }
            if (bytes > maxBytes) {
                context.response().setStatusCode(413).putHeader("Content-Type", "application/json").putHeader("Connection", "close")
                        .end(refusal);
                return;
            }
            context.next();
        });
    }
}
