package io.contentmachine.sandbox.transfer;

import java.nio.file.Path;
import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

/** A video a platform endpoint received completely: what tests check through GET /sandbox/uploads. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ReceivedUpload(String platform, String id, JsonNode metadata, long sizeBytes, String sha256, Instant receivedAt,
                             String contentType, String privacyStatus, String publishAt, String status, String postId,
                             @JsonIgnore Path file) {

    public ReceivedUpload withStatus(String newStatus, String newPostId) {
        return new ReceivedUpload(platform, id, metadata, sizeBytes, sha256, receivedAt, contentType, privacyStatus, publishAt,
                newStatus, newPostId, file);
    }
}
