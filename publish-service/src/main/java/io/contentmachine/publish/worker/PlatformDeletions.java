package io.contentmachine.publish.worker;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.contentmachine.publish.accounts.CredentialResolver;
import io.contentmachine.publish.config.PublishConfig;
import io.contentmachine.publish.domain.Platform;
import io.contentmachine.publish.domain.Publishing;
import io.contentmachine.publish.events.PublishedEvents;
import io.contentmachine.publish.platform.Platforms;
import io.contentmachine.publish.platform.PublishTask.Credentials;
import io.contentmachine.publish.platform.Publisher;
import io.contentmachine.publish.platform.Publisher.Deletion;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import org.jboss.logging.Logger;

/**
 * Deletes a deleted project's videos on the platforms when the delete asked for it (video.deleted with fromPlatforms):
 * each publishing marked pending is tried through its platform's {@link Publisher#delete}, and its outcome (deleted,
 * unsupported, failed with why) is saved and announced on video.published. A try claims the row and moves its due time a
 * few minutes on, so a replica that dies mid-call leaves it to be tried again; a transient failure is tried again then too.
 */
@ApplicationScoped
public class PlatformDeletions {

    private static final Logger LOG = Logger.getLogger(PlatformDeletions.class);
    private static final String CLAIM = "select * from publishings where platform_deletion = 'pending' and deletion_due_at <= now()"
            + " order by deletion_due_at limit ?1 for update skip locked";
    private static final int BATCH = 4;
    private static final Duration RETRY = Duration.ofMinutes(5);

    private final PublishConfig config;
    private final Platforms platforms;
    private final CredentialResolver credentials;
    private final PublishedEvents events;
    private final Vertx vertx;

    PlatformDeletions(PublishConfig config, Platforms platforms, CredentialResolver credentials, PublishedEvents events, Vertx vertx) {
        this.config = config;
        this.platforms = platforms;
        this.credentials = credentials;
        this.events = events;
        this.vertx = vertx;
    }

    /** One publishing to delete on its platform. */
    record Due(UUID publishingId, String ownerId, Platform platform, String platformId) {
    }

    @Scheduled(every = "${publish.worker.poll-interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> tick() {
        return claim().chain(due -> Multi.createFrom().iterable(due).onItem().transformToUniAndConcatenate(this::delete).collect().asList())
                .onFailure().invoke(e -> LOG.warnf("platform deletions: %s", e.getMessage()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    private Uni<List<Due>> claim() {
        Instant retryAt = Instant.now().plus(RETRY);
        return Panache.withTransaction(() -> Panache.getSession()
                .chain(session -> session.createNativeQuery(CLAIM, Publishing.class).setParameter(1, BATCH).getResultList())
                .map(rows -> rows.stream().map(publishing -> {
                    publishing.deletionDueAt = retryAt;
                    return new Due(publishing.id, publishing.ownerId, publishing.platform(), publishing.platformId);
                }).toList()));
    }

    private Uni<Void> delete(Due due) {
        Publisher publisher = platforms.of(due.platform()).publisher();
        if (!publisher.canDelete()) {
            return save(due, Deletion.unsupported(due.platform()));
        }
        if (due.platformId() == null) {
            return save(due, new Deletion("failed", due.platform().id() + " never gave this publishing a video id to delete"));
        }
        return Panache.withSession(() -> credentials.resolve(due.ownerId(), due.platform())).chain(found -> found.isEmpty()
                ? save(due, new Deletion("failed", CredentialResolver.notConnected(due.platform())))
                : usable(due, found.get()).chain(current -> vertx.executeBlocking(Uni.createFrom().item(() -> publisher.delete(
                        due.platformId(), current)), false)).chain(deletion -> save(due, deletion)))
                .onFailure().invoke(e -> LOG.warnf("publishing %s: deleting %s video %s failed, tried again in %s: %s", due.publishingId(),
                        due.platform().id(), due.platformId(), RETRY, e.getMessage()))
                .onFailure().recoverWithNull();
    }

    /** A token about to expire is refreshed first, as for publishing. */
    private Uni<Credentials> usable(Due due, Credentials stored) {
        return stored.expiresWithin(config.tokenRefreshMargin(), false) ? credentials.refresh(due.ownerId(), due.platform(), stored)
                : Uni.createFrom().item(stored);
    }

    private Uni<Void> save(Due due, Deletion deletion) {
        return Panache.withTransaction(() -> Publishing.<Publishing>findById(due.publishingId()).chain(publishing -> {
            if (publishing == null || !"pending".equals(publishing.platformDeletion)) {
                return Uni.createFrom().voidItem();
            }
            publishing.platformDeletion = deletion.status();
            publishing.platformDeletionMessage = deletion.message();
            publishing.deletionDueAt = null;
            publishing.updatedAt = Instant.now();
            LOG.infof("publishing %s: %s video %s %s (%s)", publishing.id, publishing.platform, publishing.platformId, deletion.status(),
                    deletion.message());
            return events.announce(publishing);
        }));
    }
}
