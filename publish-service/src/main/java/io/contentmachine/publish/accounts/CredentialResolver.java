package io.contentmachine.publish.accounts;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.contentmachine.publish.config.PublishConfig;
import io.contentmachine.publish.domain.Platform;
import io.contentmachine.publish.platform.PlatformException;
import io.contentmachine.publish.platform.PublishTask.Credentials;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;

/** The token to publish with: the owner's connected account, else the platform's default token (single-tenant installs). */
@ApplicationScoped
public class CredentialResolver {

    private final PublishConfig config;
    private final TokenCipher cipher;
    private final TokenRefresher refresher;
    private final Vertx vertx;
    private final java.util.Map<Platform, String> refreshedDefaults = new java.util.concurrent.ConcurrentHashMap<>();

    CredentialResolver(PublishConfig config, TokenCipher cipher, TokenRefresher refresher, Vertx vertx) {
        this.config = config;
        this.cipher = cipher;
        this.refresher = refresher;
        this.vertx = vertx;
    }

    /** Call inside a session. */
    public Uni<Optional<Credentials>> resolve(String ownerId, Platform platform) {
        return Account.<Account>findById(new Account.Key(ownerId, platform.id())).map(account -> {
            if (account != null && Account.CONNECTED.equals(account.status)) {
                return Optional.of(new Credentials(cipher.decrypt(account.accessToken), cipher.decrypt(account.refreshToken),
                        userId(platform, account.platformUserId), true, account.expiresAt));
            }
            String refreshed = refreshedDefaults.get(platform);
            return defaults(platform).defaultAccessToken().filter(token -> !token.isBlank())
                    .map(token -> new Credentials(refreshed != null ? refreshed : token,
                            defaults(platform).defaultRefreshToken().orElse(null), userId(platform, null), false, null));
        });
    }

    /**
     * Refreshes the access token (the token endpoint is called on a worker thread) and keeps the new tokens in their own
     * transaction (see {@link #refreshed}); returns the credentials to go on with. A refusal fails the Uni with the
     * {@link PlatformException}; on invalid_grant the account is marked disconnected first. Call outside a transaction.
     */
    public Uni<Credentials> refresh(String ownerId, Platform platform, Credentials used) {
        return vertx.executeBlocking(Uni.createFrom().item(() -> refresher.refresh(platform, used)), false)
                .onFailure(PlatformException.class).call(failure -> used.account()
                        && "invalid_grant".equals(((PlatformException) failure).code())
                        ? Panache.withTransaction(() -> disconnected(ownerId, platform)) : Uni.createFrom().voidItem())
                .chain(tokens -> Panache.withTransaction(() -> refreshed(ownerId, platform, used, tokens))
                        .replaceWith(new Credentials(tokens.accessToken(),
                                tokens.refreshToken() != null ? tokens.refreshToken() : used.refreshToken(), used.platformUserId(),
                                used.account(), tokens.expiresAt())));
    }

    /**
     * Keeps a refreshed token: an account's tokens are saved encrypted (a rotated refresh token included); a default
     * token's refresh lives in memory. Call inside a transaction.
     */
    private Uni<Void> refreshed(String ownerId, Platform platform, Credentials used, TokenRefresher.Tokens tokens) {
        if (!used.account()) {
            refreshedDefaults.put(platform, tokens.accessToken());
            return Uni.createFrom().voidItem();
        }
        return Account.<Account>findById(new Account.Key(ownerId, platform.id())).invoke(account -> {
            if (account != null) {
                account.accessToken = cipher.encrypt(tokens.accessToken());
                if (tokens.refreshToken() != null) {
                    account.refreshToken = cipher.encrypt(tokens.refreshToken());
                }
                account.expiresAt = tokens.expiresAt();
                account.updatedAt = java.time.Instant.now();
            }
        }).replaceWithVoid();
    }

    /** invalid_grant: the owner must connect the account again; nothing refreshes it in a loop. */
    private Uni<Void> disconnected(String ownerId, Platform platform) {
        return Account.<Account>findById(new Account.Key(ownerId, platform.id())).invoke(account -> {
            if (account != null) {
                account.status = Account.DISCONNECTED;
                account.updatedAt = java.time.Instant.now();
            }
        }).replaceWithVoid();
    }

    /** Whether the owner can publish there at all (a connected account or a default token). */
    public Uni<Boolean> available(String ownerId, Platform platform) {
        return resolve(ownerId, platform).map(Optional::isPresent);
    }

    private String userId(Platform platform, String accountUserId) {
        if (platform != Platform.INSTAGRAM) {
            return accountUserId;
        }
        return accountUserId != null ? accountUserId : config.instagram().defaultUserId();
    }

    PublishConfig.PlatformAccess defaults(Platform platform) {
        return switch (platform) {
            case YOUTUBE -> config.youtube();
            case TIKTOK -> config.tiktok();
            case INSTAGRAM -> config.instagram();
        };
    }
}
