package io.contentmachine.publish.accounts;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;

import io.contentmachine.publish.config.PublishConfig;
import io.contentmachine.publish.domain.Platform;
import io.contentmachine.publish.platform.PlatformException;
import io.contentmachine.publish.platform.PlatformHttp;
import io.smallrye.mutiny.Uni;

/**
 * The OAuth connect flow: {@link #start} records a random single-use state and builds the platform's consent URL;
 * {@link #consume} takes the state back at the callback; {@link #exchange} (blocking) trades the code for tokens at
 * the platform's token endpoint with the same redirect_uri; {@link #connect} stores them encrypted as a connected account.
 */
@ApplicationScoped
public class OAuthConnector {

    private static final Logger LOG = Logger.getLogger(OAuthConnector.class);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);

    private final PublishConfig config;
    private final PlatformHttp http;
    private final TokenCipher cipher;
    private final SecureRandom random = new SecureRandom();

    OAuthConnector(PublishConfig config, PlatformHttp http, TokenCipher cipher) {
        this.config = config;
        this.http = http;
        this.cipher = cipher;
    }

    /** The consent URL to send the owner to, its state and when that state stops being accepted. */
    public record Authorization(String authorizationUrl, String state, Instant expiresAt) {
    }

    /** What a callback's state stood for. */
    public record Flow(String ownerId, Platform platform, String redirectUri) {
    }

    /** Tokens from a code exchange, the platform's id of the user and a readable account name when the platform gives one. */
    public record Grant(String accessToken, String refreshToken, Instant expiresAt, String platformUserId, String accountName) {

        @Override
        public String toString() {
            return "Grant[platformUserId=" + platformUserId + ", accountName=" + accountName + "]";
        }
    }

    /** Why a callback is refused: a 400 for the caller. */
    public static class Refused extends RuntimeException {

        public Refused(String message) {
            super(message);
        }
    }

    /** Records a new state (call inside a transaction) and builds the consent URL. Expired states are swept on the way. */
    public Uni<Authorization> start(String ownerId, Platform platform) {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String state = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        Instant now = Instant.now();
        OAuthState row = new OAuthState();
        row.stateHash = hash(state);
        row.ownerId = ownerId;
        row.platform = platform.id();
        row.redirectUri = redirectUri(platform);
        row.createdAt = now;
        row.expiresAt = now.plus(config.oauth().stateTtl());
        return OAuthState.delete("expiresAt < ?1", now.minus(Duration.ofDays(1)))
                .chain(() -> row.persist())
                .map(saved -> new Authorization(consentUrl(platform, row.redirectUri, state), state, row.expiresAt));
    }

    /**
     * Takes the state back: unknown, expired, already used or started for another platform are refused (with the reason).
     * It is marked used in the same statement that checks it, so of two concurrent callbacks with one state only one gets
     * through, and a refused state stays spent. Call inside a transaction.
     */
    public Uni<Consumed> consume(String state, Platform platform) {
        if (state == null || state.isBlank()) {
            return Uni.createFrom().item(Consumed.refused("The state parameter is missing"));
        }
        Instant now = Instant.now();
        String hash = hash(state);
        return OAuthState.update("usedAt = ?1 where stateHash = ?2 and usedAt is null", now, hash).chain(updated ->
                OAuthState.<OAuthState>findById(hash).map(row -> {
                    if (row == null) {
                        return Consumed.refused("Unknown OAuth state");
                    }
                    if (updated == 0) {
                        return Consumed.refused("This OAuth state was already used: start the connection again");
                    }
                    if (!row.expiresAt.isAfter(now)) {
                        return Consumed.refused("This OAuth state expired: start the connection again");
                    }
                    if (!row.platform.equals(platform.id())) {
                        return Consumed.refused("This OAuth state was issued for " + row.platform + ", not " + platform.id());
                    }
                    return new Consumed(new Flow(row.ownerId, platform, row.redirectUri), null);
                }));
    }

    /** The flow a state stood for, or why it was refused. */
    public record Consumed(Flow flow, String refusal) {

        static Consumed refused(String why) {
            return new Consumed(null, why);
        }
    }

    /** Stores the granted tokens (encrypted) as the owner's connected account, as direct registration does. In a transaction. */
    public Uni<Account> connect(Flow flow, Grant grant) {
        return Account.<Account>findById(new Account.Key(flow.ownerId(), flow.platform().id())).chain(existing -> {
            Account account = existing != null ? existing : new Account();
            account.ownerId = flow.ownerId();
            account.platform = flow.platform().id();
            account.accessToken = cipher.encrypt(grant.accessToken());
            account.refreshToken = cipher.encrypt(grant.refreshToken());
            account.expiresAt = grant.expiresAt();
            account.platformUserId = grant.platformUserId();
            account.accountName = grant.accountName();
            account.status = Account.CONNECTED;
            // the owner's own tokens now: a configuration's default tokens never replace them
            account.configuredTokens = null;
            account.updatedAt = Instant.now();
            return existing != null ? Uni.createFrom().item(account) : account.<Account>persist();
        });
    }

    /**
     * Trades the authorization code for tokens (blocking). A refused code is a {@link Refused}; an unreachable or failing
     * platform a transient {@link PlatformException}.
     */
    public Grant exchange(Flow flow, String code) {
        if (code == null || code.isBlank()) {
            throw new Refused("The code parameter is missing");
        }
        return switch (flow.platform()) {
            case YOUTUBE -> google(flow, code);
            case TIKTOK -> tiktok(flow, code);
            case INSTAGRAM -> instagram(flow, code);
        };
    }

    public String redirectUri(Platform platform) {
        String base = config.oauth().redirectBaseUrl();
        return (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/" + platform.id() + "/callback";
    }

    private String consentUrl(Platform platform, String redirectUri, String state) {
        Map<String, String> query = new LinkedHashMap<>();
        PublishConfig.PlatformAccess access = access(platform);
        String clientId = access.clientId().orElseThrow(() -> new Refused(platform.id() + " has no OAuth client configured (publish."
                + platform.id() + ".client-id)"));
        query.put(platform == Platform.TIKTOK ? "client_key" : "client_id", clientId);
        query.put("redirect_uri", redirectUri);
        query.put("response_type", "code");
        query.put("scope", access.scopes());
        query.put("state", state);
        if (platform == Platform.YOUTUBE) {
            query.put("access_type", "offline");
            query.put("prompt", "consent");
            query.put("include_granted_scopes", "true");
        }
        String base = access.authUrl();
        return base + (base.contains("?") ? "&" : "?") + PlatformHttp.query(query);
    }

    private Grant google(Flow flow, String code) {
        JsonNode body = post(Platform.YOUTUBE, config.youtube().tokenUrl(), codeForm(config.youtube(), "client_id", flow, code));
        String access = body.path("access_token").asText();
        JsonNode channel = youtubeChannel(access);
        return new Grant(access, body.path("refresh_token").asText(null), expiry(body), channel.path("id").asText(null),
                channel.path("snippet").path("title").asText(null));
    }

    private Grant tiktok(Flow flow, String code) {
        JsonNode body = post(Platform.TIKTOK, config.tiktok().apiUrl() + "/v2/oauth/token/",
                codeForm(config.tiktok(), "client_key", flow, code));
        String access = body.path("access_token").asText();
        return new Grant(access, body.path("refresh_token").asText(null), expiry(body), body.path("open_id").asText(null),
                tiktokUsername(access));
    }

    /** Instagram Login: the code gives a short-lived token, exchanged at once for a long-lived (60-day) one. */
    private Grant instagram(Flow flow, String code) {
        JsonNode body = post(Platform.INSTAGRAM, config.instagram().codeExchangeUrl(),
                codeForm(config.instagram(), "client_id", flow, code));
        JsonNode grant = body.path("data").isArray() ? body.path("data").path(0) : body;
        String shortLived = grant.path("access_token").asText();
        String userId = grant.path("user_id").asText(null);
        HttpResponse<String> response = http.send(PlatformHttp.request(config.instagram().apiUrl() + "/access_token?"
                + PlatformHttp.query(Map.of("grant_type", "ig_exchange_token", "client_secret",
                        config.instagram().clientSecret().orElse(""), "access_token", shortLived)), CALL_TIMEOUT).GET().build());
        JsonNode longLived = checked(Platform.INSTAGRAM, response);
        String access = longLived.path("access_token").asText();
        return new Grant(access, null, expiry(longLived), userId, instagramUsername(access));
    }

    private Map<String, String> codeForm(PublishConfig.PlatformAccess access, String clientField, Flow flow, String code) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put(clientField, access.clientId().orElse(""));
        form.put("client_secret", access.clientSecret().orElse(""));
        form.put("code", code);
        form.put("grant_type", "authorization_code");
        form.put("redirect_uri", flow.redirectUri());
        return form;
    }

    private JsonNode post(Platform platform, String url, Map<String, String> form) {
        return checked(platform, http.send(PlatformHttp.request(url, CALL_TIMEOUT)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(PlatformHttp.form(form))
                .build()));
    }

    /** A 2xx with an access_token, or why not: 4xx = the platform refused the code, else transient. */
    private JsonNode checked(Platform platform, HttpResponse<String> response) {
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
            throw new Refused(platform.id() + " refused the authorization code (" + code + "): " + description);
        }
        throw PlatformException.transientFailure("token_exchange_failed", platform.id() + " token endpoint answered "
                + response.statusCode(), null, null);
    }

    private String tiktokUsername(String accessToken) {
        try {
            String url = config.tiktok().apiUrl() + "/v2/post/publish/creator_info/query/";
            HttpResponse<String> response = http.send(PlatformHttp.request(url, CALL_TIMEOUT)
                    .header("Authorization", "Bearer " + accessToken)
                    .header("Content-Type", "application/json; charset=UTF-8").POST(http.json(Map.of())).build());
            return response.statusCode() == 200 ? http.body(response).path("data").path("creator_username").asText(null) : null;
        } catch (PlatformException e) {
            LOG.debugf("TikTok creator name not read: %s", e.getMessage());
            return null;
        }
    }

    /**
     * The token's own channel (channels.list mine=true, allowed by youtube.readonly), or a missing node when it cannot be
     * read or the Google account has no channel yet (no items).
     */
    private JsonNode youtubeChannel(String accessToken) {
        try {
            String url = config.youtube().apiUrl() + "/youtube/v3/channels?part=snippet&mine=true";
            HttpResponse<String> response = http.send(PlatformHttp.request(url, CALL_TIMEOUT)
                    .header("Authorization", "Bearer " + accessToken).GET().build());
            if (response.statusCode() != 200) {
                LOG.debugf("YouTube channel not read: channels.list answered %d", response.statusCode());
                return MissingNode.getInstance();
            }
            return http.body(response).path("items").path(0);
        } catch (PlatformException e) {
            LOG.debugf("YouTube channel not read: %s", e.getMessage());
            return MissingNode.getInstance();
        }
    }

    private String instagramUsername(String accessToken) {
        try {
            String url = config.instagram().apiUrl() + "/" + config.instagram().apiVersion() + "/me?fields=user_id,username";
            HttpResponse<String> response = http.send(PlatformHttp.request(url, CALL_TIMEOUT)
                    .header("Authorization", "Bearer " + accessToken).GET().build());
            return response.statusCode() == 200 ? http.body(response).path("username").asText(null) : null;
        } catch (PlatformException e) {
            LOG.debugf("Instagram username not read: %s", e.getMessage());
            return null;
        }
    }

    private static Instant expiry(JsonNode body) {
        return body.path("expires_in").canConvertToLong() && body.path("expires_in").asLong() > 0
                ? Instant.now().plusSeconds(body.path("expires_in").asLong()) : null;
    }

    private PublishConfig.PlatformAccess access(Platform platform) {
        return switch (platform) {
            case YOUTUBE -> config.youtube();
            case TIKTOK -> config.tiktok();
            case INSTAGRAM -> config.instagram();
        };
    }

    static String hash(String state) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(state.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
