package io.contentmachine.sandbox.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of the platform sandbox; each one can be overridden by its environment variable (SANDBOX_...). */
@ConfigMapping(prefix = "sandbox")
public interface SandboxConfig {

    /** Where received bytes are written (env SANDBOX_DATA_DIR); a fresh temporary directory when unset. */
    Optional<String> dataDir();

    /** Base URL put into session and upload URLs; by default taken from the request's Host header. */
    Optional<String> publicUrl();

    /** Access tokens accepted by every platform, besides the ones the token endpoints issue. */
    @WithDefault("sandbox-token")
    List<String> accessTokens();

    /** Refresh tokens accepted by every platform's token endpoint (never consumed). */
    @WithDefault("sandbox-refresh")
    List<String> refreshTokens();

    /** Lifetime of issued access tokens. */
    @WithDefault("PT1H")
    Duration accessTokenTtl();

    YouTube youtube();

    TikTok tiktok();

    Instagram instagram();

    Pexels pexels();

    interface Pexels {

        /** API keys the Pexels stand-in accepts in the Authorization header (env SANDBOX_PEXELS_API_KEYS). */
        @WithDefault("sandbox-pexels-key")
        List<String> apiKeys();

        /** Requests per key per month, reported in X-Ratelimit-Limit (Pexels' default: 20,000). */
        @WithDefault("20000")
        int monthlyLimit();

        /** Requests per key per hour before 429 (Pexels' default: 200). */
        @WithDefault("200")
        int hourlyLimit();
    }

    interface YouTube {

        /** How long an upload session URI stays valid (the real one: about a week). */
        @WithDefault("P7D")
        Duration sessionTtl();

        /** Uploads started per day before quotaExceeded; 0 = unlimited. */
        @WithDefault("0")
        int dailyUploadLimit();

        /** Time after the last byte until status.uploadStatus turns from uploaded to processed. */
        @WithDefault("PT2S")
        Duration processingTime();

        /** Title of the channel behind the configured tokens; each consent's own channel is this title numbered. */
        @WithDefault("Sandbox Channel")
        String channelTitle();
    }

    interface TikTok {

        @WithDefault("20")
        int creatorInfoPerMinute();

        @WithDefault("6")
        int initPerMinute();

        @WithDefault("30")
        int statusPerMinute();

        /** Smallest non-final chunk: 5 MB read as 2^20 (stricter than 10^6, so valid either way). */
        @WithDefault("5242880")
        long minChunkBytes();

        /** Largest chunk: 64 MB read as 10^6 (stricter than 2^20). */
        @WithDefault("64000000")
        long maxChunkBytes();

        /** Largest final chunk, which absorbs the remainder: 128 MB read as 10^6. */
        @WithDefault("128000000")
        long maxFinalChunkBytes();

        @WithDefault("1000")
        int maxChunkCount();

        /** Time after the last byte until a post is complete. */
        @WithDefault("PT1S")
        Duration processingTime();

        @WithDefault("sandbox_creator")
        String creatorUsername();

        @WithDefault("Sandbox Creator")
        String creatorNickname();

        @WithDefault("PUBLIC_TO_EVERYONE,MUTUAL_FOLLOW_FRIENDS,SELF_ONLY")
        List<String> privacyLevelOptions();

        @WithDefault("600")
        int maxVideoPostDurationSec();

        /** An unaudited client may only post SELF_ONLY (unaudited_client_can_only_post_to_private_accounts). */
        @WithDefault("true")
        boolean audited();

        /** URL prefixes PULL_FROM_URL accepts (verified domains); empty = any. */
        Optional<List<String>> verifiedUrlPrefixes();
    }

    interface Instagram {

        /** Posts per quota_duration reported by content_publishing_limit and enforced by media_publish. */
        @WithDefault("50")
        int quotaTotal();

        /** Time after the download until a container is FINISHED. */
        @WithDefault("PT1S")
        Duration processingTime();

        /** A container not published within this time is EXPIRED. */
        @WithDefault("PT24H")
        Duration containerTtl();
    }
}
