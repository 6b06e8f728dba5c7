package io.contentmachine.kit.outbox;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.contentmachine.kit.metrics.StateGauges;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;

/**
 * The outbox as an operator sees it: {@code contentmachine_outbox_events{state="waiting"}}, the events committed but not yet
 * acknowledged by Kafka, and {@code contentmachine_outbox_events_oldest_age_seconds{state="waiting"}}, how long the oldest has
 * waited. Normally both stay near 0 (events leave at commit); a growing age means the relay cannot reach the broker.
 */
@ApplicationScoped
public class OutboxMetrics {

    private final StateGauges gauges;

    OutboxMetrics(MeterRegistry registry) {
        this.gauges = new StateGauges(registry, "contentmachine.outbox.events", Tags.empty(), List.of("waiting"),
                "select 'waiting', count(*), extract(epoch from now() - min(created_at))::bigint from outbox");
    }

    @Scheduled(every = "${outbox.metrics-interval:15s}", delayed = "2s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> sample() {
        return gauges.sample();
    }
}
