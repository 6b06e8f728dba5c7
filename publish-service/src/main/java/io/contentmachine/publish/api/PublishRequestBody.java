package io.contentmachine.publish.api;

import java.time.Instant;
import java.util.List;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;

import io.contentmachine.events.types.VideoMetadata;

/** POST /publish/projects/{projectId}/publishings. */
public record PublishRequestBody(
        @NotBlank String ownerId,
        @NotEmpty List<String> platforms,
        Instant publishAt,
        VideoMetadata metadata,
        Boolean republish,
        TikTok tiktok) {

    /**
     * What the person chose on TikTok's post screen. The privacy level is required for TikTok (no default) and must be one
     * the creator is offered; interactions stay off unless allowed. Kept as text here so an unknown level gets a clear 400.
     */
    public record TikTok(String privacyLevel, Boolean allowComment, Boolean allowDuet, Boolean allowStitch, Boolean brandContentToggle,
            Boolean brandOrganicToggle) {
    }
}
