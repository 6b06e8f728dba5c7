package io.contentmachine.publish.platform.instagram;

import java.time.Duration;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import io.contentmachine.publish.accounts.Account;
import io.contentmachine.publish.accounts.CredentialResolver;
import io.contentmachine.publish.config.PublishConfig;
import io.contentmachine.publish.domain.Platform;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import org.jboss.logging.Logger;

/**
 * Keeps idle Instagram accounts alive. A long-lived Instagram token lasts 60 days and dies unless refreshed, which
 * Instagram allows once the token is 24 hours old; publishing refreshes only a token about to expire, so an account that
 * does not publish for two months would be lost. This looks at the accounts every
 * {@code publish.instagram.token-check-interval} and refreshes those expiring within {@code publish.instagram.refresh-ahead}
 * (the refresh itself locks the account row, so replicas do not refresh one token twice).
 */
@ApplicationScoped
public class LongLivedTokens {

    private static final Logger LOG = Logger.getLogger(LongLivedTokens.class);
    /** Instagram refuses to refresh a token younger than this. */
    static final Duration MINIMUM_AGE = Duration.ofHours(24);

    private final PublishConfig config;
    private final CredentialResolver credentials;

    LongLivedTokens(PublishConfig config, CredentialResolver credentials) {
        this.config = config;
        this.credentials = credentials;
    }

    @Scheduled(every = "${publish.instagram.token-check-interval:PT1H}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> refreshAhead() {
        Instant now = Instant.now();
        return Panache.withSession(() -> Account.<Account>find("platform = ?1 and status = ?2 and expiresAt < ?3"
                + " and (updatedAt is null or updatedAt < ?4)", Platform.INSTAGRAM.id(), Account.CONNECTED,
                now.plus(config.instagram().refreshAhead()), now.minus(MINIMUM_AGE)).list())
                .chain(due -> Multi.createFrom().iterable(due).onItem().transformToUniAndConcatenate(this::refresh).collect().asList())
                .onFailure().invoke(e -> LOG.warnf("Instagram token check failed: %s", e.getMessage()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    private Uni<Void> refresh(Account account) {
        String owner = account.ownerId;
        return Panache.withSession(() -> credentials.resolve(owner, Platform.INSTAGRAM))
                .chain(found -> found.isEmpty() ? Uni.createFrom().voidItem()
                        : credentials.refresh(owner, Platform.INSTAGRAM, found.get())
                                .invoke(fresh -> LOG.infof("Instagram token of owner %s refreshed ahead; it now expires at %s", owner,
                                        fresh.expiresAt()))
                                .replaceWithVoid())
                .onFailure().invoke(e -> LOG.warnf("Instagram token of owner %s not refreshed: %s", owner, e.getMessage()))
                .onFailure().recoverWithNull();
    }
}
