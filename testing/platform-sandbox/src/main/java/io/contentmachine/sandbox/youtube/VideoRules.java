package io.contentmachine.sandbox.youtube;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import io.contentmachine.sandbox.http.Reply;

/** The checks videos.insert applies to the video resource, each limit counted in its own unit. */
final class VideoRules {

    static final int TITLE_MAX_CODE_POINTS = 100;
    static final int DESCRIPTION_MAX_UTF8_BYTES = 5000;
    static final int TAGS_MAX_CHARS = 500;
    static final Set<String> PRIVACY = Set.of("public", "private", "unlisted");

    private VideoRules() {
    }

    /** The error videos.insert would answer for this resource, if any. */
    static Optional<Reply> problem(JsonNode video) {
        if (video == null || !video.isObject()) {
            return Optional.of(GoogleErrors.error(400, "global", "parseError", "The request body must be a JSON video resource."));
        }
        JsonNode snippet = video.path("snippet");
        if (!snippet.isObject()) {
            return bad("invalidTitle", "The request metadata does not include snippet.title.");
        }
        JsonNode title = snippet.path("title");
        if (!title.isTextual() || title.asText().isBlank()) {
            return bad("invalidTitle", "The request metadata specifies an invalid or empty video title.");
        }
        String t = title.asText();
        if (t.codePointCount(0, t.length()) > TITLE_MAX_CODE_POINTS) {
            return bad("invalidTitle", "snippet.title is longer than 100 characters (" + t.codePointCount(0, t.length()) + ").");
        }
        if (t.contains("<") || t.contains(">")) {
            return bad("invalidTitle", "snippet.title must not contain < or >.");
        }
        JsonNode description = snippet.path("description");
        if (!description.isMissingNode() && !description.isNull()) {
            if (!description.isTextual()) {
                return bad("invalidDescription", "snippet.description must be a string.");
            }
            String d = description.asText();
            int bytes = d.getBytes(StandardCharsets.UTF_8).length;
            if (bytes > DESCRIPTION_MAX_UTF8_BYTES) {
                return bad("invalidDescription", "snippet.description is longer than 5000 bytes (" + bytes + ").");
            }
            if (d.contains("<") || d.contains(">")) {
                return bad("invalidDescription", "snippet.description must not contain < or >.");
            }
        }
        JsonNode tags = snippet.path("tags");
        if (!tags.isMissingNode() && !tags.isNull()) {
            if (!tags.isArray()) {
                return bad("invalidTags", "snippet.tags must be an array of strings.");
            }
            int total = 0;
            for (JsonNode tag : tags) {
                if (!tag.isTextual() || tag.asText().contains("<") || tag.asText().contains(">")) {
                    return bad("invalidTags", "snippet.tags must be strings without < or >.");
                }
                String s = tag.asText();
                total += s.codePointCount(0, s.length()) + (s.contains(" ") ? 2 : 0);
            }
            total += Math.max(0, tags.size() - 1);
            if (total > TAGS_MAX_CHARS) {
                return bad("invalidTags", "snippet.tags are longer than 500 characters in total (" + total + ").");
            }
        }
        JsonNode category = snippet.path("categoryId");
        if (!category.isMissingNode() && !category.isNull() && !category.asText().matches("\\d{1,3}")) {
            return bad("invalidCategoryId", "snippet.categoryId is not a valid category id.");
        }
        JsonNode status = video.path("status");
        if (!status.isObject() || !status.path("selfDeclaredMadeForKids").isBoolean()) {
            return bad("invalidVideoMetadata", "status.selfDeclaredMadeForKids is required (true or false).");
        }
        JsonNode synthetic = status.path("containsSyntheticMedia");
        if (!synthetic.isMissingNode() && !synthetic.isBoolean()) {
            return bad("invalidVideoMetadata", "status.containsSyntheticMedia must be true or false.");
        }
        String privacy = status.path("privacyStatus").asText("public");
        if (!PRIVACY.contains(privacy)) {
            return bad("invalidVideoMetadata", "status.privacyStatus must be public, private or unlisted.");
        }
        JsonNode publishAt = status.path("publishAt");
        if (!publishAt.isMissingNode() && !publishAt.isNull()) {
            if (!"private".equals(privacy)) {
                return bad("invalidPublishAt", "status.publishAt can only be set when status.privacyStatus is private.");
            }
            try {
                OffsetDateTime.parse(publishAt.asText());
            } catch (DateTimeParseException e) {
                return bad("invalidPublishAt", "status.publishAt is not an ISO 8601 date-time: " + publishAt.asText());
            }
        }
        return Optional.empty();
    }

    private static Optional<Reply> bad(String reason, String message) {
        return Optional.of(GoogleErrors.invalidArgument(reason, message));
    }
}
