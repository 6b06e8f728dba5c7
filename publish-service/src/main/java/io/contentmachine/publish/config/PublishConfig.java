package io.contentmachine.publish.config;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Platform endpoints, upload tuning, the worker and the token key. Every setting can be overridden by env (PUBLISH_...). */
@ConfigMapping(prefix = "publish")
public interface PublishConfig {

    /** Base64 of a 32-byte AES key that encrypts stored platform tokens. Required (env PUBLISH_TOKEN_KEY). */
    String tokenKey();

    YouTube youtube();

    TikTok tiktok();

    Instagram instagram();

    Worker worker();

    Metrics metrics();

    /** The statistics pull (video.metrics). */
    interface Metrics {

        /** How often the collector looks for publishings whose figures are due. */
        @WithDefault("60s")
        String pollInterval();

        /** How old a publishing's figures may get before they are pulled again. */
        @WithDefault("PT1H")
        Duration interval();
    }

    /** How long the presigned GET of the video asked from storage-service stays valid. */
    @WithDefault("PT6H")
    Duration sourceUrlValidity();

    /** Settings every platform has. */
    interface PlatformAccess {

        /** Used when the owner has no connected account (single-tenant installs, the local stack). */
        Optional<String> defaultAccessToken();

        Optional<String> defaultRefreshToken();

        Optional<String> clientId();

        Optional<String> clientSecret();
    }

    interface YouTube extends PlatformAccess {

        @WithDefault("https://www.googleapis.com")
        String apiUrl();

        @WithDefault("https://oauth2.googleapis.com/token")
        String tokenUrl();

        /** Bytes per PUT of the resumable upload; a multiple of 256 KiB. */
        @WithDefault("8388608")
        int chunkSize();

        @WithDefault("28")
        String categoryId();

        /** Visibility of a video published at once (a scheduled one is private until publishAt). */
        @WithDefault("public")
        String privacyStatus();

        @WithDefault("false")
        boolean madeForKids();
    }

    interface TikTok extends PlatformAccess {

        @WithDefault("https://open.tiktokapis.com")
        String apiUrl();

        /** Bytes per chunk; 10,000,000 is valid whether the docs' MB means 10^6 or 2^20. */
        @WithDefault("10000000")
        int chunkSize();

        /** Preferred privacy level; used when the creator offers it, else the first one offered. */
        @WithDefault("PUBLIC_TO_EVERYONE")
        String privacyLevel();
    }

    interface Instagram extends PlatformAccess {

        @WithDefault("https://graph.instagram.com")
        String apiUrl();

        @WithDefault("v23.0")
        String apiVersion();

        /** The Instagram user that publishes when the account does not name one. */
        @WithDefault("me")
        String defaultUserId();
    }

    interface Worker {

        @WithDefault("1s")
        Duration pollInterval();

        /** Publishings worked on at once by this replica. */
        @WithDefault("4")
        int concurrency();

        /** How long a claimed job is reserved; a replica that crashed gives its jobs back after this. */
        @WithDefault("PT15M")
        Duration lease();

        /** Retries of a transient failure (5xx, 429, dropped connection) before the publishing fails. */
        @WithDefault("6")
        int maxRetries();

        /** First backoff delay; doubles on each retry. */
        @WithDefault("PT1S")
        Duration initialBackoff();

        @WithDefault("PT60S")
        Duration maxBackoff();

        /** How often and how long a platform's processing status is polled before the job is put back for later. */
        @WithDefault("PT2S")
        Duration statusPollInterval();

        @WithDefault("PT2M")
        Duration statusPollBudget();
    }
}
