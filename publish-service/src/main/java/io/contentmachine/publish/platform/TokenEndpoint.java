package io.contentmachine.publish.platform;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import io.contentmachine.publish.config.PublishConfig;
import io.contentmachine.publish.domain.Platform;
import io.contentmachine.publish.platform.PlatformApi.Tokens;
import io.contentmachine.publish.platform.PublishTask.Credentials;

/**
 * The OAuth 2 token calls every platform makes the same way (blocking): the authorization-code and refresh-token grants
 * posted as a form, and how their answers read. invalid_grant on a refresh is final: the account must be reconnected.
 */
@ApplicationScoped
public class TokenEndpoint {

    private final PlatformHttp http;

    TokenEndpoint(PlatformHttp http) {
        this.http = http;
    }

    /** The authorization-code grant; the answer is checked by {@link #granted}. */
    public JsonNode exchangeCode(Platform platform, String url, PublishConfig.PlatformAccess access, String clientField, String code,
            String redirectUri) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put(clientField, access.clientId().orElse(""));
        form.put("client_secret", access.clientSecret().orElse(""));
        form.put("code", code);
        form.put("grant_type", "authorization_code");
        form.put("redirect_uri", redirectUri);
        return granted(platform, post(url, form));
    }

    /** A 2xx with an access_token, or why not: 4xx = the platform refused the code, else transient. */
    public JsonNode granted(Platform platform, HttpResponse<String> response) {
        JsonNode body = http.body(response);
        if (response.statusCode() / 100 == 2 && body.path("access_token").isTextual()
                || response.statusCode() / 100 == 2 && body.path("data").path(0).path("access_token").isTextual()) {
            return body;
        }
        JsonNode error = body.path("error");
        String code = error.isTextual() ? error.asText()
                : error.path("code").asText(error.path("type").asText("http_" + response.statusCode()));
        String description = body.path("error_description").asText(error.path("message").asText(""));
        if (response.statusCode() / 100 == 4 || response.statusCode() / 100 == 2) {
            throw new OAuthRefused(platform.id() + " refused the authorization code (" + code + "): " + description);
        }
        throw PlatformException.transientFailure("token_exchange_failed", platform.id() + " token endpoint answered "
                + response.statusCode(), null, null);
    }

    /** The refresh-token grant; the answer is read by {@link #refreshed}. */
    public Tokens refreshToken(Platform platform, String url, PublishConfig.PlatformAccess access, String clientField,
            Credentials credentials) {
        if (credentials.refreshToken() == null) {
            throw PlatformException.permanent("no_refresh_token", "the access token expired and there is no refresh token");
        }
        Map<String, String> form = new LinkedHashMap<>();
        access.clientId().ifPresent(id -> form.put(clientField, id));
        access.clientSecret().ifPresent(secret -> form.put("client_secret", secret));
        form.put("grant_type", "refresh_token");
        form.put("refresh_token", credentials.refreshToken());
        return refreshed(platform, post(url, form));
    }

    /** New tokens from a refresh answer, or the refusal: invalid_grant and other 4xx are permanent, the rest transient. */
    public Tokens refreshed(Platform platform, HttpResponse<String> response) {
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

    /** When a grant's access token expires, from its expires_in; null when the answer does not say. */
    public static Instant expiry(JsonNode body) {
        return body.path("expires_in").canConvertToLong() && body.path("expires_in").asLong() > 0
                ? Instant.now().plusSeconds(body.path("expires_in").asLong()) : null;
    }

    private HttpResponse<String> post(String url, Map<String, String> form) {
        return http.send(PlatformHttp.request(url, PlatformHttp.ACCOUNT_CALL_TIMEOUT)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(PlatformHttp.form(form))
                .build());
    }
}
