package io.contentmachine.api.config;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Gateway settings (prefix api; env API_...). */
@ConfigMapping(prefix = "api")
public interface ApiConfig {

    /** Bootstrap admin key (env API_ADMIN_KEY); required outside dev/test, checked at start. Its owner is "admin". */
    Optional<String> adminKey();

    /** A project still processing after this long is marked failed by the sweeper. */
    @WithDefault("30M")
    Duration stuckAfter();

    /** How often the sweeper looks for stuck projects. */
    @WithDefault("1M")
    Duration sweepEvery();

    /** How long a fetched render catalog is trusted before it is fetched again. */
    @WithDefault("30S")
    Duration catalogTtl();

    /** Lifetime of a presigned download URL. */
    @WithDefault("1H")
    Duration downloadExpiresIn();

    Dedup dedup();

    Session session();

    Console console();

    Limits limits();

    /** Duplicate guard on POST /api/videos (index-service). */
    interface Dedup {
        @WithDefault("true")
        boolean enabled();

        /** Similarity at or above which a topic counts as a duplicate; empty = index-service's default. */
        Optional<Double> threshold();

        /** Duplicate checks one replica runs at once (index-service embeds on its own cores: more would only queue there). */
        @WithDefault("8")
        int concurrency();

        /** Checks that wait for a free slot; a create beyond them skips the check at once ({@code dedup: skipped}). */
        @WithDefault("32")
        int waiting();
    }

    /** The web console served at /. */
    interface Console {
        /**
         * Where the browser fetches presigned media (storage-service's STORAGE_S3_PUBLIC_ENDPOINT, scheme://host:port): the one
         * other origin the console's Content-Security-Policy allows, for thumbnails, the player and media library uploads and previews
         * (env API_CONSOLE_MEDIA_ORIGIN).
         */
        Optional<String> mediaOrigin();
    }

    /** Console sign-ins (POST /api/session). */
    interface Session {
        /** How long a console session holds after sign-in (env API_SESSION_LIFETIME). */
        @WithDefault("8H")
        Duration lifetime();
    }

    /** Per-key create rate and per-owner in-flight cap; 0 switches a limit off. */
    interface Limits {
        @WithDefault("10")
        int createsPerMinute();

        @WithDefault("5")
        int maxInFlight();
    }
}
