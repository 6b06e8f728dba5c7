package io.contentmachine.publish.domain;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The platforms this service publishes to; {@link #id()} is the name used in events, the API and the database. */
public enum Platform {
    YOUTUBE("youtube"),
    TIKTOK("tiktok"),
    INSTAGRAM("instagram");

    private final String id;

    Platform(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public static Optional<Platform> of(String id) {
        if (id == null) {
            return Optional.empty();
        }
        String wanted = id.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(p -> p.id.equals(wanted)).findFirst();
    }
}
