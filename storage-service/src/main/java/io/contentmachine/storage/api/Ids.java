package io.contentmachine.storage.api;

import java.util.UUID;

/** Path parameters that must be UUIDs: a malformed one is the caller's mistake (400), not a 404 or a 500. */
final class Ids {

    private Ids() {
    }

    static UUID uuid(String name, String value) {
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw ClientError.badRequest(name + " must be a UUID, got '" + value + "'");
        }
    }
}
