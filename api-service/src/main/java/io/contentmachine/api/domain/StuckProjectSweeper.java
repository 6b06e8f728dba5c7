package io.contentmachine.api.domain;

import java.time.Instant;

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

    private final ApiConfig config;

    StuckProjectSweeper(ApiConfig config) {
        this.config = config;
    }

    @Scheduled(every = "${api.sweep-every:1M}", delayed = "10s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> sweep() {
        return sweepOnce().replaceWithVoid();
    }

    /** Marks every project processing since before the deadline failed; returns how many. */
    public Uni<Integer> sweepOnce() {
        Instant deadline = Instant.now().minus(config.stuckAfter());
        String reason = "no progress within " + config.stuckAfter().toMinutes() + " minutes";
        return Panache.withTransaction(() -> Project.update(
                        "status = 'failed', failureStage = 'timeout', failureReason = ?1, updatedAt = ?2"
                                + " where status = 'processing' and updatedAt < ?3", reason, Instant.now(), deadline))
                .invoke(count -> {
                    if (count > 0) {
                        LOG.warnf("marked %d stuck project(s) failed", count);
                    }
                });
    }
}
