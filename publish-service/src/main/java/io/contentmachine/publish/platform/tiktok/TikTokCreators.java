package io.contentmachine.publish.platform.tiktok;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.contentmachine.publish.accounts.CredentialResolver;
import io.contentmachine.publish.config.PublishConfig;
import io.contentmachine.publish.domain.Platform;
import io.contentmachine.publish.platform.PlatformException;
import io.contentmachine.publish.platform.PublishTask.Credentials;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;

/**
 * The creator behind an owner's TikTok account, asked with the account's own token (refreshed first when it is about to
 * expire, or once when TikTok refuses it). Empty when the owner has no connected TikTok account.
 */
@ApplicationScoped
public class TikTokCreators {

    private final CredentialResolver credentials;
    private final TikTokCreatorInfo creatorInfo;
    private final PublishConfig config;
    private final Vertx vertx;

    TikTokCreators(CredentialResolver credentials, TikTokCreatorInfo creatorInfo, PublishConfig config, Vertx vertx) {
        this.credentials = credentials;
        this.creatorInfo = creatorInfo;
        this.config = config;
        this.vertx = vertx;
    }

    /** Call outside a transaction (a refresh saves the rotated tokens in its own). */
    public Uni<Optional<TikTokCreatorInfo.Creator>> of(String ownerId) {
        return Panache.withSession(() -> credentials.resolve(ownerId, Platform.TIKTOK)).chain(found -> {
            if (found.isEmpty()) {
                return Uni.createFrom().item(Optional.<TikTokCreatorInfo.Creator>empty());
            }
            Credentials stored = found.get();
            Uni<Credentials> usable = stored.expiresWithin(config.tokenRefreshMargin(), false)
                    ? credentials.refresh(ownerId, Platform.TIKTOK, stored) : Uni.createFrom().item(stored);
            return usable.chain(current -> query(current)
                    .onFailure(failure -> failure instanceof PlatformException platform && platform.isUnauthorized())
                    .recoverWithUni(() -> credentials.refresh(ownerId, Platform.TIKTOK, current).chain(this::query)))
                    .map(Optional::of);
        });
    }

    private Uni<TikTokCreatorInfo.Creator> query(Credentials current) {
        return vertx.executeBlocking(Uni.createFrom().item(() -> creatorInfo.query(current.accessToken())), false);
    }
}
