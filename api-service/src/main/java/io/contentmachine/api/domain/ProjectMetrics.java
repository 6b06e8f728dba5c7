package io.contentmachine.api.domain;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.contentmachine.kit.metrics.StateGauges;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;

/**
 * Projects in the pipeline, across all replicas: {@code contentmachine_projects{state="processing"|"rendered"}} and how
 * long the one unchanged longest has been so ({@code contentmachine_projects_oldest_age_seconds}): the age climbing
 * towards {@code api.stuck-after} is a project about to be failed by {@link StuckProjectSweeper}.
 */
@ApplicationScoped
public class ProjectMetrics {

    private final StateGauges gauges;

    ProjectMetrics(MeterRegistry registry) {
        this.gauges = new StateGauges(registry, "contentmachine.projects", Tags.empty(), List.of("processing", "rendered"),
                "select status, count(*), extract(epoch from now() - min(updated_at))::bigint from api.projects"
                        + " where status in ('processing', 'rendered') group by status");
    }

    @Scheduled(every = "${api.metrics-interval:15s}", delayed = "2s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> sample() {
        return gauges.sample();
    }
}
