package io.contentmachine.publish.api;

import java.time.Instant;
import java.util.ArrayList;
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
        TikTok tiktok,
        YouTube youtube,
        Instagram instagram) {

    /**
     * What the person chose on TikTok's post screen. The privacy level is required for TikTok (no default) and must be one
     * the creator is offered; interactions stay off unless allowed. Kept as text here so an unknown level gets a clear 400.
     */
    public record TikTok(String privacyLevel, Boolean allowComment, Boolean allowDuet, Boolean allowStitch, Boolean brandContentToggle,
            Boolean brandOrganicToggle) {
    }

    /** YouTube's declarations (absent: the operator's publish.youtube defaults) and the first comment, posted once public. */
    public record YouTube(Boolean madeForKids, Boolean containsSyntheticMedia, String firstComment) {
    }

    /** Instagram's first comment, posted once the Reel is published. */
    public record Instagram(String firstComment) {
    }

    /** First comments over the platform's limit, counted in code points as the platforms count (the gateway checks hashtags). */
    public List<String> commentProblems() {
        List<String> problems = new ArrayList<>();
        if (youtube != null && tooLong(youtube.firstComment(), YOUTUBE_COMMENT_MAX)) {
            problems.add("youtube.firstComment: at most " + YOUTUBE_COMMENT_MAX + " characters");
        }
        if (instagram != null && tooLong(instagram.firstComment(), INSTAGRAM_COMMENT_MAX)) {
            problems.add("instagram.firstComment: at most " + INSTAGRAM_COMMENT_MAX + " characters");
        }
        return problems;
    }

    private static boolean tooLong(String text, int max) {
        return text != null && text.codePointCount(0, text.length()) > max;
    }

    /** YouTube's limit on a comment's text (characters). */
    public static final int YOUTUBE_COMMENT_MAX = 10_000;
    /** Instagram's limit on a comment's text (characters). */
    public static final int INSTAGRAM_COMMENT_MAX = 2_200;
}
