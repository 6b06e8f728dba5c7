package io.contentmachine.publish.worker;

import java.util.Arrays;

import jakarta.enterprise.context.ApplicationScoped;

import io.contentmachine.kit.metrics.StateGauges;
import io.contentmachine.publish.domain.Platform;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;

/**
 * Publishings held back by a platform (a rate limit, a daily quota, an account to reconnect), across all replicas:
 * {@code contentmachine_publishings_waiting{platform}} and how long the oldest has waited
 * ({@code contentmachine_publishings_waiting_oldest_age_seconds{platform}}). A wait is not a failure, so the failure
 * alert never sees it: this is where an operator sees a platform's limit holding videos back.
 */
@ApplicationScoped
public class PublishingWaitMetrics {

    private static final String SAMPLE = """
            select platform, count(*), extract(epoch from now() - min(updated_at))::bigint
            from publishings where status = 'waiting' group by platform""";

    private final StateGauges gauges;

    PublishingWaitMetrics(MeterRegistry registry) {
        this.gauges = new StateGauges(registry, "contentmachine.publishings.waiting", Tags.empty(), "platform",
                Arrays.stream(Platform.values()).map(Platform::id).toList(), SAMPLE);
    }

    @Scheduled(every = "${publish.metrics-interval:15s}", delayed = "3s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> sample() {
        return gauges.sample();
    }
}
