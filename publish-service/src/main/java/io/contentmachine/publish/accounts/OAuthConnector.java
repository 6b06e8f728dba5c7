package io.contentmachine.publish.accounts;

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

import io.contentmachine.publish.config.PublishConfig;
import io.contentmachine.publish.domain.Platform;
import io.contentmachine.publish.platform.OAuthRefused;
import io.contentmachine.publish.platform.PlatformApi;
import io.contentmachine.publish.platform.PlatformApi.Grant;
import io.contentmachine.publish.platform.PlatformException;
import io.contentmachine.publish.platform.PlatformHttp;
import io.contentmachine.publish.platform.Platforms;
import io.smallrye.mutiny.Uni;

/**
 * The OAuth connect flow: {@link #start} records a random single-use state and builds the platform's consent URL;
 * {@link #consume} takes the state back at the callback; {@link #exchange} (blocking) trades the code for tokens at
 * the platform's token endpoint with the same redirect_uri; {@link #connect} stores them encrypted as a connected account.
 */
@ApplicationScoped
public class OAuthConnector {

    private final PublishConfig config;
    private final Platforms platforms;
    private final TokenCipher cipher;
    private final SecureRandom random = new SecureRandom();

    OAuthConnector(PublishConfig config, Platforms platforms, TokenCipher cipher) {
        this.config = config;
        this.platforms = platforms;
        this.cipher = cipher;
    }

    /** The consent URL to send the owner to, its state and when that state stops being accepted. */
    public record Authorization(String authorizationUrl, String state, Instant expiresAt) {
    }

    /** What a callback's state stood for. */
    public record Flow(String ownerId, Platform platform, String redirectUri) {
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
     * Trades the authorization code for tokens at the platform (blocking). A refused code is an {@link OAuthRefused}; an
     * unreachable or failing platform a transient {@link PlatformException}.
     */
    public Grant exchange(Flow flow, String code) {
        if (code == null || code.isBlank()) {
            throw new OAuthRefused("The code parameter is missing");
        }
        return platforms.of(flow.platform()).exchange(code, flow.redirectUri());
    }

    public String redirectUri(Platform platform) {
        String base = config.oauth().redirectBaseUrl();
        return (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/" + platform.id() + "/callback";
    }

    private String consentUrl(Platform platform, String redirectUri, String state) {
        Map<String, String> query = new LinkedHashMap<>();
        PlatformApi api = platforms.of(platform);
        PublishConfig.PlatformAccess access = api.access();
        String clientId = access.clientId().orElseThrow(() -> new OAuthRefused(platform.id() + " has no OAuth client configured (publish."
                + platform.id() + ".client-id)"));
        query.put(api.clientIdParameter(), clientId);
        query.put("redirect_uri", redirectUri);
        query.put("response_type", "code");
        query.put("scope", access.scopes());
        query.put("state", state);
        query.putAll(api.consentParameters());
        String base = access.authUrl();
        return base + (base.contains("?") ? "&" : "?") + PlatformHttp.query(query);
    }

    static String hash(String state) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(state.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
