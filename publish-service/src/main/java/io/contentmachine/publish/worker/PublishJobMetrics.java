package io.contentmachine.publish.worker;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.contentmachine.kit.metrics.StateGauges;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;

/**
 * The publish jobs, across all replicas: {@code contentmachine_jobs{worker="publish", state}} with state queued (due, not
 * leased), running (leased), waiting (tried at least once and held back until later: a platform's rate limit, a 5xx or a
 * dropped connection being retried with backoff) and scheduled (a publishAt in the future); and how long the oldest
 * due job has waited ({@code contentmachine_jobs_oldest_age_seconds}).
 */
@ApplicationScoped
public class PublishJobMetrics {

    private static final String SAMPLE = """
            select case when locked_until > now() then 'running' when run_at <= now() then 'queued'
                        when attempts > 0 then 'waiting' else 'scheduled' end,
                   count(*), extract(epoch from now() - min(least(run_at, now())))::bigint
            from publish_jobs group by 1""";

    private final StateGauges gauges;

    PublishJobMetrics(MeterRegistry registry) {
        this.gauges = new StateGauges(registry, "contentmachine.jobs", Tags.of("worker", "publish"),
                List.of("queued", "running", "waiting", "scheduled"), SAMPLE);
    }

    @Scheduled(every = "${publish.metrics-interval:15s}", delayed = "2s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> sample() {
        return gauges.sample();
    }
}
