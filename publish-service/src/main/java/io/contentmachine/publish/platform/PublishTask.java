package io.contentmachine.publish.platform;

import java.time.Instant;
import java.util.UUID;

import io.contentmachine.events.types.InstagramPostOptions;
import io.contentmachine.events.types.TikTokPostOptions;
import io.contentmachine.events.types.VideoMetadata;
import io.contentmachine.events.types.YouTubePostOptions;
import io.contentmachine.publish.domain.PublishingStatus;

/**
 * Everything a publisher needs to advance one publishing: the video, where its bytes are, the owner's token and
 * the state saved so far (with the platform's handle of the transfer in progress, and the platform's id of the video once
 * it has one); what the requester chose per platform ({@link PostOptions}), and the project (whose thumbnail YouTube gets).
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
        String uploadUrl,
        String platformId,
        PostOptions options,
        UUID projectId) {

    /**
     * An account's access token, its refresh token (may be null) and, for Instagram, the user that publishes;
     * {@code expiresAt} is when the access token expires, when known.
     */
    public record Credentials(String accessToken, String refreshToken, String platformUserId, Instant expiresAt) {

        @Override
        public String toString() {
            return "Credentials[platformUserId=" + platformUserId + ", expiresAt=" + expiresAt + "]";
        }

        /** Whether the access token expires within {@code margin} and can be refreshed ahead (Instagram refreshes the token itself). */
        public boolean expiresWithin(java.time.Duration margin, boolean refreshWithAccessToken) {
            return expiresAt != null && expiresAt.isBefore(Instant.now().plus(margin)) && (refreshToken != null || refreshWithAccessToken);
        }
    }

    public PublishTask withCredentials(Credentials fresh) {
        return new PublishTask(publishingId, metadata, sizeBytes, durationSeconds, publishAt, source, fresh, status, uploadRef, uploadUrl,
                platformId, options, projectId);
    }

    /** TikTok's post-screen choices; may be null. */
    public TikTokPostOptions tiktok() {
        return options == null ? null : options.tiktok();
    }

    /** YouTube's per-request choices; may be null. */
    public YouTubePostOptions youtube() {
        return options == null ? null : options.youtube();
    }

    /** Instagram's per-request choices; may be null. */
    public InstagramPostOptions instagram() {
        return options == null ? null : options.instagram();
    }
}
