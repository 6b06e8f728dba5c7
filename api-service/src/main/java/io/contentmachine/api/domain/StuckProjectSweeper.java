package io.contentmachine.api.domain;

import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.contentmachine.api.config.ApiConfig;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;

/** Fails projects stuck in processing past api.stuck-after, so none waits forever for an event that never comes. */
@ApplicationScoped
public class StuckProjectSweeper {

    private static final Logger LOG = Logger.getLogger(StuckProjectSweeper.class);

    /** One statement: fail the stuck projects and NOTIFY each (delivered on commit, as every other change is). */
    private static final String SWEEP = """
            with swept as (
                update api.projects set status = 'failed', failure_stage = 'timeout', failure_reason = ?1, updated_at = ?2,
                    version = version + 1
                where status = 'processing' and updated_at < ?3
                returning id)
            select 1 from swept, pg_notify('%s', swept.id::text)""".formatted(ProjectUpdates.CHANNEL);

    private final ApiConfig config;

    StuckProjectSweeper(ApiConfig config) {
        this.config = config;
    }

    @Scheduled(every = "${api.sweep-every:1M}", delayed = "10s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> sweep() {
        return sweepOnce().replaceWithVoid();
    }

    /** Marks every project processing since before the deadline failed, announcing each to the live streams; returns how many. */
    public Uni<Integer> sweepOnce() {
        Instant deadline = Instant.now().minus(config.stuckAfter());
        String reason = "no progress within " + config.stuckAfter().toMinutes() + " minutes";
        return Panache.withTransaction(() -> Panache.getSession().chain(session -> session.createNativeQuery(SWEEP, Integer.class)
                        .setParameter(1, reason).setParameter(2, Instant.now()).setParameter(3, deadline).getResultList()))
                .map(List::size)
                .invoke(count -> {
                    if (count > 0) {
                        LOG.warnf("marked %d stuck project(s) failed", count);
                    }
                });
    }
}
