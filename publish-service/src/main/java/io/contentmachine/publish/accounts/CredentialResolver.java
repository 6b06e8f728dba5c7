package io.contentmachine.publish.accounts;

import java.time.Instant;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import io.contentmachine.publish.config.PublishConfig;
import io.contentmachine.publish.domain.Platform;
import io.contentmachine.publish.platform.PlatformApi;
import io.contentmachine.publish.platform.PlatformApi.Tokens;
import io.contentmachine.publish.platform.PlatformException;
import io.contentmachine.publish.platform.Platforms;
import io.contentmachine.publish.platform.PublishTask.Credentials;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;

/**
 * The token to publish with: the owner's own connected account, nobody else's. The operator's configured tokens are an
 * account too (of the owner the configuration names, see {@link DefaultAccounts}), so there is no fallback to them.
 */
@ApplicationScoped
public class CredentialResolver {

    private final PublishConfig config;
    private final TokenCipher cipher;
    private final Platforms platforms;
    private final Vertx vertx;

    CredentialResolver(PublishConfig config, TokenCipher cipher, Platforms platforms, Vertx vertx) {
        this.config = config;
        this.cipher = cipher;
        this.platforms = platforms;
        this.vertx = vertx;
    }

    /** What an owner without an account is told, by the API and on a publishing that could not start. */
    public static String notConnected(Platform platform) {
        return "no connected " + platform.id() + " account; connect one with POST /api/accounts/" + platform.id() + "/connect";
    }

    /** Call inside a session. */
    public Uni<Optional<Credentials>> resolve(String ownerId, Platform platform) {
        return Account.<Account>findById(new Account.Key(ownerId, platform.id()))
                .map(account -> account != null && Account.CONNECTED.equals(account.status)
                        ? Optional.of(credentials(platform, account)) : Optional.empty());
    }

    /**
     * Refreshes the access token and saves what the platform answered (a rotated refresh token included) before anything
     * else may use the account: the account row stays locked from the read of the latest refresh token until the save, so
     * two runs (or replicas) never spend one rotating refresh token twice; the second one finds the token already renewed
     * and takes it. The token endpoint is called on a worker thread. A refusal fails the Uni with the
     * {@link PlatformException}; invalid_grant marks the account disconnected. Call outside a transaction.
     */
    public Uni<Credentials> refresh(String ownerId, Platform platform, Credentials used) {
        return Panache.withTransaction(() -> Account.<Account>findById(new Account.Key(ownerId, platform.id()),
                LockModeType.PESSIMISTIC_WRITE).chain(account -> {
                    if (account == null || !Account.CONNECTED.equals(account.status)) {
                        return Uni.createFrom().failure(PlatformException.permanent("no_account", notConnected(platform)));
                    }
                    Credentials stored = credentials(platform, account);
                    PlatformApi api = platforms.of(platform);
                    if (!stored.accessToken().equals(used.accessToken())
                            && !stored.expiresWithin(config.tokenRefreshMargin(), api.refreshesWithAccessToken())) {
                        return Uni.createFrom().item(stored);
                    }
                    return vertx.executeBlocking(Uni.createFrom().item(() -> api.refresh(stored)), false)
                            .map(tokens -> saved(account, stored, tokens));
                }))
                .onFailure(CredentialResolver::invalidGrant)
                .call(() -> Panache.withTransaction(() -> disconnected(ownerId, platform)));
    }

    /** Keeps refreshed tokens; an answer without a refresh token keeps the stored one (only a rotation replaces it). */
    private Credentials saved(Account account, Credentials used, Tokens tokens) {
        account.accessToken = cipher.encrypt(tokens.accessToken());
        if (tokens.refreshToken() != null && !tokens.refreshToken().isBlank()) {
            account.refreshToken = cipher.encrypt(tokens.refreshToken());
        }
        account.expiresAt = tokens.expiresAt();
        account.updatedAt = Instant.now();
        return new Credentials(tokens.accessToken(), cipher.decrypt(account.refreshToken), used.platformUserId(), tokens.expiresAt());
    }

    private static boolean invalidGrant(Throwable failure) {
        return failure instanceof PlatformException platform && "invalid_grant".equals(platform.code());
    }

    /** invalid_grant: the owner must connect the account again; nothing refreshes it in a loop. */
    private Uni<Void> disconnected(String ownerId, Platform platform) {
        return Account.<Account>findById(new Account.Key(ownerId, platform.id())).invoke(account -> {
            if (account != null) {
                account.status = Account.DISCONNECTED;
                account.updatedAt = Instant.now();
            }
        }).replaceWithVoid();
    }

    /** Whether the owner can publish there at all: a connected account. Call inside a session. */
    public Uni<Boolean> available(String ownerId, Platform platform) {
        return resolve(ownerId, platform).map(Optional::isPresent);
    }

    private Credentials credentials(Platform platform, Account account) {
        return new Credentials(cipher.decrypt(account.accessToken), cipher.decrypt(account.refreshToken),
                platforms.of(platform).userId(account.platformUserId), account.expiresAt);
    }
}
