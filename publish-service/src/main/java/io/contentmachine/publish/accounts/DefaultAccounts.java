package io.contentmachine.publish.accounts;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.contentmachine.publish.config.PublishConfig;
import io.contentmachine.publish.domain.Platform;
import io.contentmachine.publish.platform.Platforms;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import org.jboss.logging.Logger;

/**
 * Turns the operator's configured tokens (publish.&lt;platform&gt;.default-access-token and -refresh-token) into the
 * account of the owner the configuration names (publish.&lt;platform&gt;.default-owner), at start. From then on they are
 * an account like any other: refreshed, rotated and saved in the database; owners without an account of their own get
 * no fallback. An account made this way is created once; it is replaced only when the configured tokens change, never
 * because a refresh rotated them, and never when the owner has connected an account of their own since.
 */
@ApplicationScoped
public class DefaultAccounts {

    private static final Logger LOG = Logger.getLogger(DefaultAccounts.class);

    private final Platforms platforms;
    private final TokenCipher cipher;

    DefaultAccounts(Platforms platforms, TokenCipher cipher) {
        this.platforms = platforms;
        this.cipher = cipher;
    }

    /** One platform's configured tokens and whose account they are. */
    public record Configured(Platform platform, String ownerId, String accessToken, String refreshToken) {

        @Override
        public String toString() {
            return "Configured[platform=" + platform + ", ownerId=" + ownerId + "]";
        }

        /** What the account remembers of the configuration: a hash, so the tokens themselves are only stored encrypted. */
        String fingerprint() {
            try {
                MessageDigest digest = MessageDigest.getInstance("SHA-256");
                digest.update(accessToken.getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
                digest.update((refreshToken == null ? "" : refreshToken).getBytes(StandardCharsets.UTF_8));
                return HexFormat.of().formatHex(digest.digest());
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    void onStart(@Observes StartupEvent start) throws Throwable {
        List<Configured> configured = configured();
        if (!configured.isEmpty()) {
            VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> Multi.createFrom().iterable(configured)
                    .onItem().transformToUniAndConcatenate(this::apply).collect().last()));
        }
    }

    /** The configured tokens; a token without an owner stops the start, since nobody could publish with it. */
    public List<Configured> configured() {
        List<Configured> found = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (Platform platform : Platform.values()) {
            PublishConfig.PlatformAccess access = platforms.of(platform).access();
            String token = access.defaultAccessToken().filter(value -> !value.isBlank()).orElse(null);
            if (token == null) {
                continue;
            }
            String owner = access.defaultOwner().filter(value -> !value.isBlank()).orElse(null);
            if (owner == null) {
                problems.add("publish." + platform.id() + ".default-access-token is set but publish." + platform.id()
                        + ".default-owner is not (env PUBLISH_" + platform.name() + "_DEFAULT_OWNER): name the owner whose account"
                        + " these tokens are");
                continue;
            }
            found.add(new Configured(platform, owner, token, access.defaultRefreshToken().filter(v -> !v.isBlank()).orElse(null)));
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException(String.join("; ", problems));
        }
        return found;
    }

    /** Creates the account, or replaces the tokens of one made from an earlier configuration. Call inside a transaction. */
    public Uni<Void> apply(Configured configured) {
        String fingerprint = configured.fingerprint();
        return Account.<Account>findById(new Account.Key(configured.ownerId(), configured.platform().id())).chain(existing -> {
            if (existing != null && (existing.configuredTokens == null || existing.configuredTokens.equals(fingerprint))) {
                // connected by the owner, or made from these very tokens (which may have rotated since): keep it
                return Uni.createFrom().voidItem();
            }
            LOG.infof("the configured %s tokens are now the account of owner %s", configured.platform().id(), configured.ownerId());
            if (existing == null) {
                // replicas starting together insert the same row: the first one wins, the others keep it
                // (an empty refresh token stands for none: a typed null is not portable in native parameters)
                return Panache.getSession().chain(session -> session.createNativeQuery("insert into accounts (owner_id, platform,"
                        + " access_token, refresh_token, status, configured_tokens, updated_at)"
                        + " values (?1, ?2, ?3, nullif(?4, ''), ?5, ?6, now()) on conflict (owner_id, platform) do nothing")
                        .setParameter(1, configured.ownerId())
                        .setParameter(2, configured.platform().id())
                        .setParameter(3, cipher.encrypt(configured.accessToken()))
                        .setParameter(4, configured.refreshToken() == null ? "" : cipher.encrypt(configured.refreshToken()))
                        .setParameter(5, Account.CONNECTED)
                        .setParameter(6, fingerprint)
                        .executeUpdate()).replaceWithVoid();
            }
            existing.accessToken = cipher.encrypt(configured.accessToken());
            existing.refreshToken = cipher.encrypt(configured.refreshToken());
            existing.expiresAt = null;
            existing.status = Account.CONNECTED;
            existing.configuredTokens = fingerprint;
            existing.updatedAt = Instant.now();
            return Uni.createFrom().voidItem();
        });
    }
}
