package io.contentmachine.api.domain;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.contentmachine.api.config.ApiConfig;
import io.contentmachine.events.VideoFailed;
import io.contentmachine.kit.outbox.Outbox;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import org.jboss.logging.Logger;

/**
 * Fails projects stuck in the pipeline (processing or rendered, with no change past api.stuck-after), so none waits forever
 * for an event that never comes and none holds its owner at the in-flight limit. Each swept project is announced as
 * video.failed, in the same transaction: the services downstream stop their work on it, so a project the API calls failed
 * is not stored or published later. Stored projects are never swept: they may wait for a schedule or a platform's quota.
 */
@ApplicationScoped
public class StuckProjectSweeper {

    private static final Logger LOG = Logger.getLogger(StuckProjectSweeper.class);

    /** One statement: fail the stuck projects and NOTIFY each (delivered on commit, as every other change is). */
    private static final String SWEEP = """
            with swept as (
                update api.projects set status = 'failed', failure_stage = 'timeout', failure_reason = ?1, updated_at = ?2,
                    version = version + 1
                where status in ('processing', 'rendered') and updated_at < ?3
                returning id, owner_id)
            select swept.id, swept.owner_id from swept, pg_notify('%s', swept.id::text)""".formatted(ProjectUpdates.CHANNEL);

    private final ApiConfig config;
    private final Outbox outbox;

    StuckProjectSweeper(ApiConfig config, Outbox outbox) {
        this.config = config;
        this.outbox = outbox;
    }

    @Scheduled(every = "${api.sweep-every:1M}", delayed = "10s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> sweep() {
        return sweepOnce().replaceWithVoid();
    }

    /** Marks every project in the pipeline unchanged since before the deadline failed and announces it; returns how many. */
    public Uni<Integer> sweepOnce() {
        Instant now = Instant.now();
        Instant deadline = now.minus(config.stuckAfter());
        String reason = "no progress within " + config.stuckAfter().toMinutes() + " minutes";
        return Panache.withTransaction(() -> Panache.getSession()
                        .chain(session -> session.createNativeQuery(SWEEP, Object[].class)
                                .setParameter(1, reason).setParameter(2, now).setParameter(3, deadline).getResultList())
                        .call(swept -> Multi.createFrom().iterable(swept)
                                .onItem().transformToUniAndConcatenate(row -> announce((UUID) row[0], (String) row[1], reason, now))
                                .collect().last()))
                .map(List::size)
                .invoke(count -> {
                    if (count > 0) {
                        LOG.warnf("marked %d stuck project(s) failed", count);
                    }
                });
    }

    private Uni<Void> announce(UUID projectId, String ownerId, String reason, Instant now) {
        VideoFailed event = new VideoFailed();
        event.setEventId(UUID.randomUUID());
        event.setProjectId(projectId);
        event.setOwnerId(ownerId);
        event.setOccurredAt(now);
        event.setStage("timeout");
        event.setReason(reason);
        event.setRetryable(false);
        return outbox.add("video.failed", event.getEventId(), projectId, event);
    }
}
