package io.contentmachine.publish.platform;

import java.time.Duration;
import java.time.Instant;

import io.contentmachine.publish.domain.Publishing;
import io.contentmachine.publish.domain.PublishingStatus;

/** What one call of a {@link Publisher} achieved; the worker saves it before anything else happens. */
public sealed interface Step {

    /** Progress to save before the next external call (e.g. the upload session just opened); the worker calls again. */
    record Checkpoint(PublishingStatus status, String uploadRef, String uploadUrl) implements Step {
    }

    /** Still in progress on the platform's side: save and come back after {@code delay}. */
    record Later(PublishingStatus status, Duration delay) implements Step {
    }

    /**
     * A final state: published, scheduled or failed, with the platform's ids or its error. A published video whose after-steps
     * (thumbnail, first comment) failed keeps the note in errorCode/errorMessage; those steps never fail the publishing.
     */
    record Finished(PublishingStatus status, String platformId, String url, Instant publishedAt, String errorCode,
            String errorMessage, String firstCommentId) implements Step {

        public Finished(PublishingStatus status, String platformId, String url, Instant publishedAt, String errorCode,
                String errorMessage) {
            this(status, platformId, url, publishedAt, errorCode, errorMessage, null);
        }

        public static Finished failed(String code, String message) {
            return new Finished(PublishingStatus.FAILED, null, null, null, code, message);
        }

        /**
         * Published, but which post it became could not be confirmed: no platform id, the reason kept as the error
         * ({@link Publishing#UNCONFIRMED}). Never failed instead: a failed publishing invites a second post.
         */
        public static Finished unconfirmed(String reason) {
            return new Finished(PublishingStatus.PUBLISHED, null, null, Instant.now(), Publishing.UNCONFIRMED, reason);
        }
    }
}
