package io.contentmachine.storage.assets;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

import io.contentmachine.storage.api.ClientError;

/** Where a page of an owner's assets ends: the last item's creation time and id, as one opaque URL-safe token. */
record AssetCursor(Instant createdAt, UUID id) {

    String encode() {
        String plain = createdAt.getEpochSecond() + "." + createdAt.getNano() + "." + id;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }

    /** The cursor a previous page answered; anything else is the caller's mistake (400). */
    static AssetCursor parse(String token) {
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8).split("\\.", 3);
            return new AssetCursor(Instant.ofEpochSecond(Long.parseLong(parts[0]), Long.parseLong(parts[1])), UUID.fromString(parts[2]));
        } catch (IllegalArgumentException | ArrayIndexOutOfBoundsException e) {
            throw ClientError.badRequest("cursor is not one this service answered: '" + token + "'");
        }
    }
}
