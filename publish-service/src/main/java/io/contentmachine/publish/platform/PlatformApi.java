package io.contentmachine.publish.platform;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Map;
import java.util.OptionalInt;

import com.fasterxml.jackson.databind.JsonNode;
import io.contentmachine.events.types.VideoMetadata;
import io.contentmachine.publish.config.PublishConfig;
import io.contentmachine.publish.domain.Platform;
import io.contentmachine.publish.platform.PublishTask.Credentials;

/**
 * Everything this service knows about one platform, behind one bean per platform package ({@code platform.youtube},
 * {@code platform.tiktok}, {@code platform.instagram}); {@link Platforms} finds the one for a {@link Platform}. The rest of
 * the service asks it instead of switching on the platform. The blocking calls run on a worker thread, never on the
 * event loop; a refused or failed call throws the {@link PlatformException} that {@link #error} maps.
 */
public interface PlatformApi {

    Platform platform();

    /** The OAuth client, endpoints and the operator's configured tokens of this platform. */
    PublishConfig.PlatformAccess access();

    /** The upload and publish steps, and deletion. */
    Publisher publisher();

    /** The platform-neutral metadata fitted to this platform's fields and limits. */
    PlatformMetadata adapt(VideoMetadata metadata);

    /** Maps an error answer of this platform's API: unauthorized (refresh), rate limited or waiting, transient, permanent. */
    PlatformException error(HttpResponse<String> response, JsonNode body);

    /** The name of the OAuth client id in the consent URL. */
    default String clientIdParameter() {
        return "client_id";
    }

    /** Parameters this platform's consent URL needs beyond the standard ones, in order. */
    default Map<String, String> consentParameters() {
        return Map.of();
    }

    /** Blocking: trades an authorization code for tokens and reads who the account is. A refused code is an {@link OAuthRefused}. */
    Grant exchange(String code, String redirectUri);

    /** Blocking: a new access token (and a rotated refresh token, when the platform rotates it). */
    Tokens refresh(Credentials credentials);

    /** Whether the access token itself renews it (Instagram's long-lived tokens), so no refresh token is needed. */
    default boolean refreshesWithAccessToken() {
        return false;
    }

    /** The platform's user an account publishes as (Instagram falls back to the configured user). */
    default String userId(String accountUserId) {
        return accountUserId;
    }

    /**
     * Whether the platform holds a video until its publishAt itself (YouTube): the upload runs at once and the job stays to
     * see it released. Otherwise the job waits for publishAt.
     */
    default boolean schedulesNatively() {
        return false;
    }

    /** How many video inits an account may make a minute, when the platform paces them (TikTok). */
    default OptionalInt initsPerMinute() {
        return OptionalInt.empty();
    }

    /**
     * Blocking: views, likes and comments of a published video, or null when the platform has none for it (yet); an error
     * answer throws its {@link PlatformException}.
     */
    Figures metrics(String platformId, String accessToken);

    /** Tokens from a code exchange, the platform's id of the user and a readable account name when the platform gives one. */
    record Grant(String accessToken, String refreshToken, Instant expiresAt, String platformUserId, String accountName) {

        @Override
        public String toString() {
            return "Grant[platformUserId=" + platformUserId + ", accountName=" + accountName + "]";
        }
    }

    /** Refreshed tokens; {@code refreshToken} is the rotated one, or null when the platform kept the old one. */
    record Tokens(String accessToken, String refreshToken, Instant expiresAt) {

        @Override
        public String toString() {
            return "Tokens[expiresAt=" + expiresAt + "]";
        }
    }

    /** Views, likes and comments as the platform counts them. */
    record Figures(long views, long likes, long comments) {
    }
}
