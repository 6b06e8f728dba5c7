package io.contentmachine.kit.metrics;

import java.util.Arrays;
import java.util.function.BiConsumer;

import jakarta.enterprise.context.ApplicationScoped;

import io.contentmachine.kit.deadletters.DeadLetters;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.IncomingKafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaConnectorIncomingConfiguration;
import io.smallrye.reactive.messaging.kafka.KafkaConsumer;
import io.smallrye.reactive.messaging.kafka.fault.KafkaFailureHandler;
import io.vertx.mutiny.core.Vertx;
import org.eclipse.microprofile.reactive.messaging.Metadata;

/**
 * The failure strategy of every consumer ({@code failure-strategy=counted-dead-letter-queue}): SmallRye's dead-letter
 * queue, which sends the message to the channel's {@code dead-letter-queue.topic} with the reason in headers, plus a count
 * of what it sent: {@code contentmachine_dead_letters_total{topic}}, topic being the topic the message came from (a
 * replayed letter that fails again counts for its original topic).
 */
@ApplicationScoped
@Identifier(CountedDeadLetterQueue.STRATEGY)
public class CountedDeadLetterQueue implements KafkaFailureHandler.Factory {

    public static final String STRATEGY = "counted-dead-letter-queue";

    private final KafkaFailureHandler.Factory deadLetterQueue;
    private final MeterRegistry registry;

    CountedDeadLetterQueue(@Identifier(KafkaFailureHandler.Strategy.DEAD_LETTER_QUEUE) KafkaFailureHandler.Factory deadLetterQueue,
            MeterRegistry registry) {
        this.deadLetterQueue = deadLetterQueue;
        this.registry = registry;
    }

    @Override
    public KafkaFailureHandler create(KafkaConnectorIncomingConfiguration config, Vertx vertx, KafkaConsumer<?, ?> consumer,
            BiConsumer<Throwable, Boolean> reportFailure) {
        KafkaFailureHandler delegate = deadLetterQueue.create(config, vertx, consumer, reportFailure);
        // at 0 from the start, so an alert on its increase sees the first dead letter
        config.getTopic().ifPresent(this::counter);
        config.getTopics().ifPresent(topics -> Arrays.stream(topics.split(",")).map(String::strip)
                .map(DeadLetters::originalTopic).distinct().forEach(this::counter));
        return new KafkaFailureHandler() {
            @Override
            public <K, V> Uni<Void> handle(IncomingKafkaRecord<K, V> record, Throwable reason, Metadata metadata) {
                return delegate.handle(record, reason, metadata).invoke(() -> counter(DeadLetters.originalTopic(record.getTopic()))
                        .increment());
            }

            @Override
            public void terminate() {
                delegate.terminate();
            }
        };
    }

    private Counter counter(String topic) {
        return Counter.builder("contentmachine.dead.letters")
                .description("messages sent to a dead-letter topic, by the topic they came from")
                .tag("topic", topic).register(registry);
    }
}
