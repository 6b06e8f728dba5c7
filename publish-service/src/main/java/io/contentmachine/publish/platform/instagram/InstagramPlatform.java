package io.contentmachine.publish.platform.instagram;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import io.contentmachine.events.types.VideoMetadata;
import io.contentmachine.publish.config.PublishConfig;
import io.contentmachine.publish.domain.Platform;
import io.contentmachine.publish.platform.PlatformApi;
import io.contentmachine.publish.platform.PlatformException;
import io.contentmachine.publish.platform.PlatformHttp;
import io.contentmachine.publish.platform.PlatformMetadata;
import io.contentmachine.publish.platform.PublishTask.Credentials;
import io.contentmachine.publish.platform.Publisher;
import io.contentmachine.publish.platform.TokenEndpoint;
import org.jboss.logging.Logger;

/**
 * Instagram (Instagram Login): a code gives a short-lived token, exchanged at once for a long-lived (60-day) one that
 * refreshes itself with no refresh token (kept alive by {@link LongLivedTokens}); Reels from a presigned URL
 * ({@link InstagramPublisher}); media insights as metrics.
 */
@ApplicationScoped
public class InstagramPlatform implements PlatformApi {

    private static final Logger LOG = Logger.getLogger(InstagramPlatform.class);

    private final PublishConfig.Instagram config;
    private final PlatformHttp http;
    private final TokenEndpoint tokens;
    private final InstagramPublisher publisher;

    InstagramPlatform(PublishConfig config, PlatformHttp http, TokenEndpoint tokens, InstagramPublisher publisher) {
        this.config = config.instagram();
        this.http = http;
        this.tokens = tokens;
        this.publisher = publisher;
    }

    @Override
    public Platform platform() {
        return Platform.INSTAGRAM;
    }

    @Override
    public PublishConfig.PlatformAccess access() {
        return config;
    }

    @Override
    public Publisher publisher() {
        return publisher;
    }

    @Override
    public PlatformMetadata adapt(VideoMetadata metadata) {
        return InstagramMetadata.adapt(metadata);
    }

    @Override
    public PlatformException error(HttpResponse<String> response, JsonNode body) {
        return InstagramPublisher.error(response, body);
    }

    /** Instagram Login: the code gives a short-lived token, exchanged at once for a long-lived (60-day) one. */
    @Override
    public Grant exchange(String code, String redirectUri) {
        JsonNode body = tokens.exchangeCode(Platform.INSTAGRAM, config.codeExchangeUrl(), config, "client_id", code, redirectUri);
        JsonNode grant = body.path("data").isArray() ? body.path("data").path(0) : body;
        String shortLived = grant.path("access_token").asText();
        String userId = grant.path("user_id").asText(null);
        HttpResponse<String> response = http.send(PlatformHttp.request(config.apiUrl() + "/access_token?"
                + PlatformHttp.query(Map.of("grant_type", "ig_exchange_token", "client_secret", config.clientSecret().orElse(""),
                        "access_token", shortLived)), PlatformHttp.ACCOUNT_CALL_TIMEOUT).GET().build());
        JsonNode longLived = tokens.granted(Platform.INSTAGRAM, response);
        String access = longLived.path("access_token").asText();
        return new Grant(access, null, TokenEndpoint.expiry(longLived), userId, username(access));
    }

    /** refresh_access_token with the long-lived token itself, which Instagram allows once it is a day old. */
    @Override
    public Tokens refresh(Credentials credentials) {
        return tokens.refreshed(Platform.INSTAGRAM, http.send(PlatformHttp.request(config.apiUrl() + "/refresh_access_token?"
                + PlatformHttp.query(Map.of("grant_type", "ig_refresh_token", "access_token", credentials.accessToken())),
                PlatformHttp.ACCOUNT_CALL_TIMEOUT).GET().build()));
    }

    @Override
    public boolean refreshesWithAccessToken() {
        return true;
    }

    @Override
    public String userId(String accountUserId) {
        return accountUserId != null ? accountUserId : config.defaultUserId();
    }

    /** Media insights of the Reel: metric=views,likes,comments, each {name, values:[{value}]}. */
    @Override
    public Figures metrics(String mediaId, String accessToken) {
        String url = config.apiUrl() + "/" + config.apiVersion() + "/" + URLEncoder.encode(mediaId, StandardCharsets.UTF_8)
                + "/insights?metric=views,likes,comments";
        HttpResponse<String> response = http.send(PlatformHttp.request(url, PlatformHttp.ACCOUNT_CALL_TIMEOUT)
                .header("Authorization", "Bearer " + accessToken).GET().build());
        JsonNode body = http.body(response);
        if (response.statusCode() != 200) {
            throw error(response, body);
        }
        Map<String, Long> values = new HashMap<>();
        body.path("data").forEach(metric -> values.put(metric.path("name").asText(),
                metric.path("values").path(0).path("value").asLong(0)));
        return new Figures(values.getOrDefault("views", 0L), values.getOrDefault("likes", 0L), values.getOrDefault("comments", 0L));
    }

    private String username(String accessToken) {
        try {
            String url = config.apiUrl() + "/" + config.apiVersion() + "/me?fields=user_id,username";
            HttpResponse<String> response = http.send(PlatformHttp.request(url, PlatformHttp.ACCOUNT_CALL_TIMEOUT)
                    .header("Authorization", "Bearer " + accessToken).GET().build());
            return response.statusCode() == 200 ? http.body(response).path("username").asText(null) : null;
        } catch (PlatformException e) {
            LOG.debugf("Instagram username not read: %s", e.getMessage());
            return null;
        }
    }
}
