package io.contentmachine.publish.api;

import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.contentmachine.publish.domain.Publishing;

/** A publishing as the gateway sees it. */
public record PublishingView(UUID publishingId, UUID videoId, String platform, String status, String platformId, String url,
        Instant publishAt, Instant publishedAt, @JsonInclude(JsonInclude.Include.NON_NULL) Boolean confirmed, Error error,
        @JsonInclude(JsonInclude.Include.NON_NULL) Waiting waiting, Metrics metrics,
        @JsonInclude(JsonInclude.Include.NON_NULL) PlatformDeletion platformDeletion,
        @JsonInclude(JsonInclude.Include.NON_NULL) FirstComment firstComment) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Error(String code, String message) {
    }

    /** Why a waiting publishing is held back (a rate limit, a quota) and until when. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Waiting(String reason, String message, Instant until) {
    }

    public record Metrics(Long views, Long likes, Long comments, Instant collectedAt) {
    }

    /** After a delete from the platforms: pending, deleted, unsupported or failed, and why. */
    public record PlatformDeletion(String status, String message) {
    }

    /** The first comment once posted: the platform's id of it (why it was not posted is in error, on a published publishing). */
    public record FirstComment(String id) {
    }

    /**
     * The error of a failed publishing; on a published one, what did not work after the video was up (thumbnail, first comment),
     * which never fails the publishing.
     */
    public static PublishingView of(Publishing p) {
        // an unconfirmed publishing is published, and says why it is not confirmed in its error; a published (or scheduled) one
        // with an error code tells what did not work after the video was up
        boolean failed = "failed".equals(p.status) || Boolean.FALSE.equals(p.confirmed());
        boolean noted = "published".equals(p.status) || "scheduled".equals(p.status);
        Error error = failed || noted && p.errorCode != null ? new Error(p.errorCode, p.errorMessage) : null;
        Metrics metrics = p.metricsCollectedAt == null || p.views == null ? null
                : new Metrics(p.views, p.likes, p.comments, p.metricsCollectedAt);
        Waiting waiting = "waiting".equals(p.status) ? new Waiting(p.waitReason, p.waitMessage, p.waitingUntil) : null;
        PlatformDeletion deletion = p.platformDeletion == null ? null : new PlatformDeletion(p.platformDeletion, p.platformDeletionMessage);
        return new PublishingView(p.id, p.videoId, p.platform, p.status, p.platformId, p.url, p.publishAt, p.publishedAt, p.confirmed(),
                error, waiting, metrics, deletion, p.firstCommentId == null ? null : new FirstComment(p.firstCommentId));
    }
}
