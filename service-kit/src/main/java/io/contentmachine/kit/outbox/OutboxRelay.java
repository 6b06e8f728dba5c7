package io.contentmachine.kit.outbox;

import java.net.URI;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.contentmachine.kit.tracing.Traces;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.TracingMetadata;
import io.smallrye.reactive.messaging.ce.OutgoingCloudEventMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Sends outbox rows to Kafka (acks=all, idempotent producer, CloudEvents binary-mode headers) and deletes them once
 * the broker acknowledged. Rows are claimed with FOR UPDATE SKIP LOCKED, so replicas never send the same row at the
 * same time; a crash between send and delete resends with the same eventId, which consumers deduplicate.
 * The service configures the outgoing channel {@code outbox} (see docs/DEVELOPING.md). Each record's producer span is a child
 * of the span that wrote its row (the row's trace context), and SmallRye's Kafka tracing puts that span in the record's W3C
 * {@code traceparent} header (with the project in {@code baggage}); with tracing off, records carry no trace headers.
 * <p>
 * Events leave at commit: {@link Outbox} wakes the relay right after a transaction that wrote rows commits. The timer
 * stays as the fallback (rows of a replica that died before its wake-up, a failed send); other replicas are not told,
 * since the replica that committed the rows is alive to send them.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final int BATCH = 200;
    /** How long a batch waits for the broker's acks before it is rolled back and sent again (consumers deduplicate). */
    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(30);
    private static final String CLAIM = "select * from outbox order by created_at limit " + BATCH + " for update skip locked";

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);

    private final MutinyEmitter<String> emitter;
    private final String source;
    private final Vertx vertx;
    /** One drain at a time per replica; a wake-up during a drain makes it look once more instead of waiting. */
    private final AtomicBoolean draining = new AtomicBoolean();
    private final AtomicBoolean again = new AtomicBoolean();
    private volatile boolean started;

    OutboxRelay(@Channel("outbox") MutinyEmitter<String> emitter, @ConfigProperty(name = "quarkus.application.name") String source,
            Vertx vertx) {
        this.emitter = emitter;
        this.source = source;
        this.vertx = vertx;
    }

    // no wake-ups while the application starts: until then the timer's first run (2 s in) is early enough
    void started(@Observes StartupEvent event) {
        started = true;
    }

    /** Sends what is in the outbox now, on a context of its own (the caller's transaction is over). */
    public void wake() {
        if (!started) {
            return;
        }
        Context context = VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext());
        VertxContextSafetyToggle.setContextSafe(context, true);
        context.runOnContext(ignored -> drain().subscribe().with(done -> { }, e -> LOG.warn("outbox relay failed; the timer retries", e)));
    }

    // the fallback; delayed: the first run must not race the wiring of the Kafka channel at start
    @Scheduled(every = "${outbox.poll-interval:1s}", delayed = "2s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> tick() {
        return started ? drain() : Uni.createFrom().voidItem();
    }

    private Uni<Void> drain() {
        again.set(true);
        if (!draining.compareAndSet(false, true)) {
            return Uni.createFrom().voidItem();
        }
        return Uni.createFrom().deferred(this::drainAgain)
                .eventually(() -> {
                    draining.set(false);
                    // a wake-up that came between the last look and the release
                    if (again.get()) {
                        wake();
                    }
                });
    }

    private Uni<Void> drainAgain() {
        return again.getAndSet(false) ? relay().chain(this::drainAgain) : Uni.createFrom().voidItem();
    }

    Uni<Void> relay() {
        // drains the outbox: a full batch means more may be waiting, so it claims the next one at once
        return Panache.withTransaction(() -> Panache.getSession()
                .chain(session -> session.createNativeQuery(CLAIM, OutboxEvent.class).getResultList())
                .call(this::sendAndDelete))
                .chain(rows -> rows.size() == BATCH ? relay() : Uni.createFrom().voidItem());
    }

    private Uni<Void> sendAndDelete(List<OutboxEvent> rows) {
        if (rows.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        // sent in order (one producer keeps per-partition order), acknowledged together
        List<Uni<Void>> acks = rows.stream().map(this::send).toList();
        // one statement for the batch: deleting row by row cost a round trip per event, competing with the requests' inserts
        // an ack that never comes must not hold the relay (and every later event) forever: give up, roll back, send again
        return Uni.join().all(acks).andFailFast().ifNoItem().after(ACK_TIMEOUT).fail()
                .chain(() -> OutboxEvent.delete("id in ?1", rows.stream().map(row -> row.id).toList()))
                .replaceWithVoid();
    }

    private Uni<Void> send(OutboxEvent row) {
        OutgoingCloudEventMetadata<Object> cloudEvent = OutgoingCloudEventMetadata.builder()
                .withId(row.id.toString())
                .withType(row.type)
                .withSource(URI.create(source))
                .withSubject(row.recordKey)
                .withTimestamp(row.createdAt.atZone(ZoneOffset.UTC))
                .withDataContentType("application/json")
                .build();
        OutgoingKafkaRecordMetadata<String> kafka = OutgoingKafkaRecordMetadata.<String>builder()
                .withTopic(row.topic)
                .withKey(row.recordKey)
                .build();
        TracingMetadata trace = TracingMetadata.withCurrent(Traces.withProject(Traces.parent(row.traceContext), row.recordKey));
        return emitter.sendMessage(Message.of(row.payload).addMetadata(cloudEvent).addMetadata(kafka).addMetadata(trace));
    }
}
