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

    OAuth oauth();

    /** An access token that expires within this margin is refreshed before the platform call, not after a 401. */
    @WithDefault("PT5M")
    Duration tokenRefreshMargin();

    /** The OAuth connect flow (authorization URL → callback → code exchange). */
    interface OAuth {

        /**
         * Public base of the callback: redirect_uri = this + /{platform}/callback. It must be registered with each platform
         * app; by default the gateway's public route.
         */
        @WithDefault("http://localhost:8080/api/oauth")
        String redirectBaseUrl();

        /** How long a started connect flow (its state) may take before the callback is refused. */
        @WithDefault("PT10M")
        Duration stateTtl();
    }

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

        /**
         * The operator's own tokens (single-tenant installs, the local stack). They become the account of
         * {@link #defaultOwner()} at start, so they refresh, rotate and persist like anyone's; nobody else publishes with them.
         */
        Optional<String> defaultAccessToken();

        Optional<String> defaultRefreshToken();

        /** The owner whose account the default tokens become; required when a default access token is set. */
        Optional<String> defaultOwner();

        Optional<String> clientId();

        Optional<String> clientSecret();

        /** The platform's consent page the owner is sent to. */
        String authUrl();

        /** Scopes asked for on the consent page, in the platform's own notation. */
        String scopes();
    }

    interface YouTube extends PlatformAccess {

        @WithDefault("https://www.googleapis.com")
        String apiUrl();

        @WithDefault("https://oauth2.googleapis.com/token")
        String tokenUrl();

        @Override
        @WithDefault("https://accounts.google.com/o/oauth2/v2/auth")
        String authUrl();

        @Override
        @WithDefault("https://www.googleapis.com/auth/youtube.upload https://www.googleapis.com/auth/youtube.readonly"
                + " https://www.googleapis.com/auth/youtube.force-ssl")
        String scopes();

        /**
         * Bytes per PUT of the resumable upload; a multiple of 256 KiB. The bytes are streamed, so a large chunk costs no
         * memory, only fewer round trips.
         */
        @WithDefault("67108864")
        int chunkSize();

        @WithDefault("28")
        String categoryId();

        /** Visibility of a video published at once (a scheduled one is private until publishAt). */
        @WithDefault("public")
        String privacyStatus();

        @WithDefault("false")
        boolean madeForKids();

        /**
         * Declared as {@code status.containsSyntheticMedia} on every upload: the narration is a synthetic voice and the
         * pictures are generated, so the operator's default declares it; set false only for content that is not.
         */
        @WithDefault("true")
        boolean containsSyntheticMedia();
    }

    interface TikTok extends PlatformAccess {

        @WithDefault("https://open.tiktokapis.com")
        String apiUrl();

        @Override
        @WithDefault("https://www.tiktok.com/v2/auth/authorize/")
        String authUrl();

        @Override
        @WithDefault("user.info.basic,video.publish,video.upload,video.list")
        String scopes();

        /** Bytes per chunk; 10,000,000 is valid whether the docs' MB means 10^6 or 2^20. */
        @WithDefault("10000000")
        int chunkSize();

        /**
         * Whether TikTok has audited this app. An unaudited app may only post SELF_ONLY (from private accounts): every post
         * is then SELF_ONLY, whatever the request chose, and creator-info offers nothing else.
         */
        @WithDefault("true")
        boolean audited();

        /** Video inits TikTok allows per token and minute; this service paces each account's inits to it. */
        @WithDefault("6")
        int initsPerMinute();

        /** How long an account waits after spam_risk_* (too many posts or pending shares; TikTok names no time). */
        @WithDefault("PT1H")
        Duration spamRiskWait();
    }

    interface Instagram extends PlatformAccess {

        @WithDefault("https://graph.instagram.com")
        String apiUrl();

        @Override
        @WithDefault("https://www.instagram.com/oauth/authorize")
        String authUrl();

        /** Where an authorization code is exchanged for a short-lived token (then made long-lived at api-url). */
        @WithDefault("https://api.instagram.com/oauth/access_token")
        String codeExchangeUrl();

        @Override
        @WithDefault("instagram_business_basic,instagram_business_content_publish,instagram_business_manage_insights,"
                + "instagram_business_manage_comments")
        String scopes();

        @WithDefault("v23.0")
        String apiVersion();

        /** The Instagram user that publishes when the account does not name one. */
        @WithDefault("me")
        String defaultUserId();

        /**
         * How long an account waits when content_publishing_limit is used up: the limit is a rolling 24 hours and Instagram
         * does not say when the oldest post leaves it, so publishing is tried again after this.
         */
        @WithDefault("PT1H")
        Duration publishingLimitWait();

        /** A long-lived token (60 days) expiring within this is refreshed ahead, even if the account does not publish. */
        @WithDefault("P30D")
        Duration refreshAhead();

        /** How often the accounts are looked at for {@link #refreshAhead()}. */
        @WithDefault("PT1H")
        Duration tokenCheckInterval();

        /**
         * A container found PUBLISHED whose media is not (yet) among the account's newest is looked for again after this;
         * the publishing stays processing meanwhile.
         */
        @WithDefault("PT1M")
        Duration reconcileInterval();

        /**
         * How long, from the first look that missed it, the media of a PUBLISHED container is looked for; then the publishing
         * is recorded published with confirmed false and the reason (never failed: that would invite a second post).
         */
        @WithDefault("PT1H")
        Duration reconcileDeadline();
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

        /**
         * The longest one run may take (its lease is renewed until then): a run that has not ended by then is abandoned, so a
         * lost database callback cannot hold a job for ever; the job comes back when its lease ends. Longer than the slowest
         * upload.
         */
        @WithDefault("PT2H")
        Duration maxRun();

        /** Retries of a transient failure (5xx, dropped connection) before the publishing fails. */
        @WithDefault("6")
        int maxRetries();

        /** First backoff delay; doubles on each retry. */
        @WithDefault("PT1S")
        Duration initialBackoff();

        @WithDefault("PT60S")
        Duration maxBackoff();

        /** How long an account waits after a rate-limit answer without Retry-After. */
        @WithDefault("PT1M")
        Duration rateLimitWait();

        /** How often a platform's processing status is looked at; between looks the job waits in the table, not in a worker. */
        @WithDefault("PT2S")
        Duration statusPollInterval();
    }
}
