package io.contentmachine.render.job;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.contentmachine.kit.metrics.StateGauges;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;

/**
 * The render backlog, across all replicas: {@code contentmachine_jobs{worker="render", state="queued"|"running"}} and how
 * long the oldest has been in that state ({@code contentmachine_jobs_oldest_age_seconds}). Queued jobs that stay while
 * every replica is busy mean render-service needs more replicas.
 */
@ApplicationScoped
public class RenderJobMetrics {

    private final StateGauges gauges;

    RenderJobMetrics(MeterRegistry registry) {
        this.gauges = new StateGauges(registry, "contentmachine.jobs", Tags.of("worker", "render"), List.of("queued", "running"),
                "select status, count(*), extract(epoch from now() - min(updated_at))::bigint from render_jobs"
                        + " where status in ('queued', 'running') group by status");
    }

    @Scheduled(every = "${render.metrics-interval:15s}", delayed = "2s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> sample() {
        return gauges.sample();
    }
}
