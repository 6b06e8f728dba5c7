package io.contentmachine.api.api;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.contentmachine.api.config.ApiConfig;
import io.vertx.ext.web.Router;

/**
 * Security headers of the console and the API: a Content-Security-Policy that lets a page talk to this server, and load media
 * from and upload media library files to the S3 endpoint of presigned URLs only (no other host, no inline script or
 * style), no framing, no MIME sniffing, and a referrer kept to this origin (so presigned URLs and ids never
 * leak; same-origin keeps the Origin header that cookie writes are checked against). Quarkus' own pages under /q (Swagger
 * UI) keep their defaults.
 */
@ApplicationScoped
public class ConsoleHeaders {

    private final String policy;

    ConsoleHeaders(ApiConfig config) {
        String media = config.console().mediaOrigin().map(String::strip).filter(o -> !o.isEmpty()).map(o -> " " + o).orElse("");
        // connect-src: the media library's uploads PUT straight to the presigned URL of the same S3 endpoint
        this.policy = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'" + media + "; img-src 'self'" + media
                + "; media-src 'self'" + media + "; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
    }

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(rc -> {
            if (!rc.normalizedPath().startsWith("/q/")) {
                rc.response().putHeader("Content-Security-Policy", policy)
                        .putHeader("X-Content-Type-Options", "nosniff")
                        .putHeader("X-Frame-Options", "DENY")
                        .putHeader("Referrer-Policy", "same-origin");
            }
            rc.next();
        });
    }

    String policy() {
        return policy;
    }
}
