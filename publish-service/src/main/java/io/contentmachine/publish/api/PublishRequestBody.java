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
        Boolean republish) {
}
