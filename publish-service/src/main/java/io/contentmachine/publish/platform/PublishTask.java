package io.contentmachine.publish.platform;

import java.time.Instant;
import java.util.UUID;

import io.contentmachine.events.types.VideoMetadata;
import io.contentmachine.publish.domain.PublishingStatus;

/**
 * Everything a publisher needs to advance one publishing: the video, where its bytes are, the owner's token and
 * the state saved so far (with the platform's handle of the transfer in progress).
 */
public record PublishTask(
        UUID publishingId,
        VideoMetadata metadata,
        long sizeBytes,
        double durationSeconds,
        Instant publishAt,
        MediaSource source,
        Credentials credentials,
        PublishingStatus status,
        String uploadRef,
        String uploadUrl) {

    /** An access token and, for Instagram, the user that publishes. */
    public record Credentials(String accessToken, String platformUserId) {

        @Override
        public String toString() {
            return "Credentials[platformUserId=" + platformUserId + "]";
        }
    }
}
