package io.contentmachine.publish.accounts;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;

import io.contentmachine.publish.config.PublishConfig;
import io.contentmachine.publish.domain.Platform;
import io.contentmachine.publish.platform.PlatformException;
import io.contentmachine.publish.platform.PlatformHttp;
import io.contentmachine.publish.platform.PublishTask.Credentials;

/**
 * Refreshes an access token (blocking; runs on the worker pool): Google's token endpoint, TikTok's /v2/oauth/token/
 * (refresh tokens rotate) and Instagram's refresh_access_token. invalid_grant is final: the account must be reconnected.
 */
@ApplicationScoped
public class TokenRefresher {

    private final PlatformHttp http;
    private final PublishConfig config;

    TokenRefresher(PlatformHttp http, PublishConfig config) {
        this.http = http;
        this.config = config;
    }

    /** New tokens; {@code refreshToken} is the rotated one, or null when the platform kept the old one. */
    public record Tokens(String accessToken, String refreshToken, Instant expiresAt) {

        @Override
        public String toString() {
            return "Tokens[expiresAt=" + expiresAt + "]";
        }
    }

    public Tokens refresh(Platform platform, Credentials credentials) {
        HttpResponse<String> response = switch (platform) {
            case YOUTUBE -> post(config.youtube().tokenUrl(), form(config.youtube(), "client_id", credentials));
            case TIKTOK -> post(config.tiktok().apiUrl() + "/v2/oauth/token/", form(config.tiktok(), "client_key", credentials));
            case INSTAGRAM -> http.send(PlatformHttp.request(config.instagram().apiUrl() + "/refresh_access_token?"
                    + PlatformHttp.query(Map.of("grant_type", "ig_refresh_token", "access_token", credentials.accessToken())),
                    java.time.Duration.ofSeconds(30)).GET().build());
        };
        JsonNode body = http.body(response);
        String error = body.path("error").isTextual() ? body.path("error").asText()
                : body.path("error").path("code").asText(null);
        String access = body.path("access_token").asText(null);
        if (response.statusCode() / 100 == 2 && access != null) {
            long expiresIn = body.path("expires_in").asLong(3600);
            return new Tokens(access, body.path("refresh_token").asText(null), Instant.now().plusSeconds(expiresIn));
        }
        if ("invalid_grant".equals(error)) {
            throw PlatformException.permanent("invalid_grant", platform.id() + " refused to refresh the token (invalid_grant):"
                    + " the account must be connected again");
        }
        if (response.statusCode() / 100 == 4) {
            String code = error == null ? "http_" + response.statusCode() : error;
            throw PlatformException.permanent(code, platform.id() + " refused to refresh the token (" + code + "): "
                    + body.path("error_description").asText(body.path("error").path("message").asText("")));
        }
        throw PlatformException.transientFailure("token_refresh_failed", platform.id() + " token endpoint answered "
                + response.statusCode(), PlatformHttp.retryAfter(response).orElse(null), null);
    }

    private Map<String, String> form(PublishConfig.PlatformAccess access, String clientField, Credentials credentials) {
        if (credentials.refreshToken() == null) {
            throw PlatformException.permanent("no_refresh_token", "the access token expired and there is no refresh token");
        }
        Map<String, String> form = new LinkedHashMap<>();
        access.clientId().ifPresent(id -> form.put(clientField, id));
        access.clientSecret().ifPresent(secret -> form.put("client_secret", secret));
        form.put("grant_type", "refresh_token");
        form.put("refresh_token", credentials.refreshToken());
        return form;
    }

    private HttpResponse<String> post(String url, Map<String, String> form) {
        return http.send(PlatformHttp.request(url, java.time.Duration.ofSeconds(30))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(PlatformHttp.form(form))
                .build());
    }
}
