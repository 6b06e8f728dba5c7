package io.contentmachine.publish.api;

import java.time.Instant;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Size;

import io.contentmachine.events.types.VideoMetadata;

/** POST /publish/projects/{projectId}/publishings. */
public record PublishRequestBody(
        @NotBlank String ownerId,
        @NotEmpty List<String> platforms,
        Instant publishAt,
        VideoMetadata metadata,
        Boolean republish,
        TikTok tiktok,
        @Valid YouTube youtube,
        @Valid Instagram instagram) {

    /**
     * What the person chose on TikTok's post screen. The privacy level is required for TikTok (no default) and must be one
     * the creator is offered; interactions stay off unless allowed. Kept as text here so an unknown level gets a clear 400.
     */
    public record TikTok(String privacyLevel, Boolean allowComment, Boolean allowDuet, Boolean allowStitch, Boolean brandContentToggle,
            Boolean brandOrganicToggle) {
    }

    /** YouTube's declarations (absent: the operator's publish.youtube defaults) and the first comment, posted once public. */
    public record YouTube(Boolean madeForKids, Boolean containsSyntheticMedia,
            @Size(max = YOUTUBE_COMMENT_MAX, message = "at most 10000 characters") String firstComment) {
    }

    /** Instagram's first comment, posted once the Reel is published. */
    public record Instagram(@Size(max = INSTAGRAM_COMMENT_MAX, message = "at most 2200 characters") String firstComment) {
    }

    /** YouTube's limit on a comment's text (characters). */
    public static final int YOUTUBE_COMMENT_MAX = 10_000;
    /** Instagram's limit on a comment's text (characters). */
    public static final int INSTAGRAM_COMMENT_MAX = 2_200;
}
