package io.contentmachine.publish.api;

import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.contentmachine.publish.domain.Publishing;

/** A publishing as the gateway sees it. */
public record PublishingView(UUID publishingId, UUID videoId, String platform, String status, String platformId, String url,
        Instant publishAt, Instant publishedAt, Error error, Metrics metrics) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Error(String code, String message) {
    }

    public record Metrics(Long views, Long likes, Long comments, Instant collectedAt) {
    }

    public static PublishingView of(Publishing p) {
        boolean failed = "failed".equals(p.status);
        Error error = failed ? new Error(p.errorCode, p.errorMessage) : null;
        Metrics metrics = p.metricsCollectedAt == null || p.views == null ? null
                : new Metrics(p.views, p.likes, p.comments, p.metricsCollectedAt);
        return new PublishingView(p.id, p.videoId, p.platform, p.status, p.platformId, p.url, p.publishAt, p.publishedAt, error,
                metrics);
    }
}
