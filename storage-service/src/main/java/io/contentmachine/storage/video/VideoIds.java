package io.contentmachine.storage.video;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.UUID;

/**
 * Deterministic ids (RFC 4122 version 5, name-based with SHA-1), so that a redelivered or replayed event yields the
 * same video and the same outgoing eventIds.
 */
public final class VideoIds {

    /** Namespace of the eventIds this service derives (a fixed random UUID). */
    private static final UUID EVENTS = UUID.fromString("5b0f3c56-6f7e-4a8b-9d3e-2c1a0b9f8e7d");

    private VideoIds() {
    }

    /** The videoId: UUID v5 with the projectId as namespace and the lowercase hex SHA-256 of the MP4 as name. */
    public static UUID videoId(UUID projectId, String sha256) {
        return v5(projectId, sha256.toLowerCase(java.util.Locale.ROOT));
    }

    /** The eventId of the one video.stored event announcing {@code videoId}. */
    public static UUID storedEventId(UUID videoId) {
        return v5(EVENTS, "video.stored/" + videoId);
    }

    /** The eventId of the video.failed event caused by the incoming event (or record) {@code cause}. */
    public static UUID failedEventId(String cause) {
        return v5(EVENTS, "video.failed/" + cause);
    }

    static UUID v5(UUID namespace, String name) {
        MessageDigest sha1;
        try {
            sha1 = MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        ByteBuffer ns = ByteBuffer.allocate(16);
        ns.putLong(namespace.getMostSignificantBits()).putLong(namespace.getLeastSignificantBits());
        sha1.update(ns.array());
        byte[] hash = sha1.digest(name.getBytes(StandardCharsets.UTF_8));
        hash[6] = (byte) ((hash[6] & 0x0f) | 0x50);
        hash[8] = (byte) ((hash[8] & 0x3f) | 0x80);
        ByteBuffer bytes = ByteBuffer.wrap(hash, 0, 16);
        return new UUID(bytes.getLong(), bytes.getLong());
    }
}
