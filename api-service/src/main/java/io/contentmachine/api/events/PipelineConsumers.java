package io.contentmachine.api.events;

import java.net.ConnectException;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.OptimisticLockException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.contentmachine.api.domain.ProjectUpdates;
import io.contentmachine.api.domain.ReadModel;
import io.contentmachine.events.VideoFailed;
import io.contentmachine.events.VideoMetrics;
import io.contentmachine.events.VideoProgress;
import io.contentmachine.events.VideoPublished;
import io.contentmachine.events.VideoRendered;
import io.contentmachine.events.VideoStored;
import io.contentmachine.kit.deadletters.DeadLetters;
import io.contentmachine.kit.inbox.ProcessedEvents;
import io.contentmachine.kit.tracing.TracedConsumer;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.hibernate.StaleStateException;
import org.jboss.logging.Logger;

/**
 * Keeps the read model from the pipeline's events. Each event applies once (ProcessedEvents, same transaction);
 * a write conflict or a transient database error is retried; one that cannot be parsed or applied fails: it goes to the
 * dead-letter topic and its project is marked failed.
 */
@ApplicationScoped
@TracedConsumer
public class PipelineConsumers {

    private static final Logger LOG = Logger.getLogger(PipelineConsumers.class);
    /** unique violation (a row a concurrent consumer inserted first), serialization failure, deadlock, connection lost. */
    private static final Set<String> RETRYABLE_STATES = Set.of("23505", "40001", "40P01", "08000", "08003", "08006", "57P01");
    private static final Duration RETRY_FIRST = Duration.ofMillis(20);
    private static final Duration RETRY_MAX = Duration.ofSeconds(5);
    private static final int RETRIES = 10;

    private final ObjectMapper mapper;
    private final ProcessedEvents processed;
    private final ReadModel readModel;
    private final ProjectUpdates updates;

    PipelineConsumers(ObjectMapper mapper, ProcessedEvents processed, ReadModel readModel, ProjectUpdates updates) {
        this.mapper = mapper;
        this.processed = processed;
        this.readModel = readModel;
        this.updates = updates;
    }

    @Incoming("video-rendered")
    public Uni<Void> rendered(ConsumerRecord<String, String> record) {
        return apply(record, VideoRendered.class, VideoRendered::getEventId, readModel::rendered);
    }

    @Incoming("video-stored")
    public Uni<Void> stored(ConsumerRecord<String, String> record) {
        return apply(record, VideoStored.class, VideoStored::getEventId, readModel::stored);
    }

    @Incoming("video-published")
    public Uni<Void> published(ConsumerRecord<String, String> record) {
        return apply(record, VideoPublished.class, VideoPublished::getEventId, readModel::published);
    }

    @Incoming("video-failed")
    public Uni<Void> failed(ConsumerRecord<String, String> record) {
        return apply(record, VideoFailed.class, VideoFailed::getEventId, readModel::failed);
    }

    @Incoming("video-progress")
    public Uni<Void> progress(ConsumerRecord<String, String> record) {
        return apply(record, VideoProgress.class, VideoProgress::getEventId, readModel::progress);
    }

    @Incoming("video-metrics")
    public Uni<Void> metrics(ConsumerRecord<String, String> record) {
        return apply(record, VideoMetrics.class, VideoMetrics::getEventId, readModel::metrics);
    }

    private <E> Uni<Void> apply(ConsumerRecord<String, String> record, Class<E> type, Function<E, UUID> eventId,
            Function<E, Uni<Void>> effect) {
        E event;
        try {
            event = parse(record.value(), type);
        } catch (RuntimeException e) {
            return poisoned(record, e);
        }
        // a replayed dead letter (topic <topic>.api-service.replay) is the same event as when it first came
        String consumer = "api-service." + DeadLetters.originalTopic(record.topic());
        return applyOnce(eventId.apply(event), consumer, projectOf(record), () -> effect.apply(event))
                .onFailure().recoverWithUni(e -> poisoned(record, e));
    }

    /**
     * Applies an event's effect once, in one transaction with its processed-events row and the live-update NOTIFY. A write
     * conflict with a concurrent consumer (a stale version, a row another transaction inserted first) or a transient
     * database error rolls back and applies the event again on fresh rows, with backoff; only what still fails after that
     * is a poison message.
     */
    public Uni<Void> applyOnce(UUID eventId, String consumer, UUID projectId, Supplier<Uni<Void>> effect) {
        return Panache.withTransaction(() -> processed.once(eventId, consumer,
                        () -> effect.get().call(() -> projectId == null ? Uni.createFrom().voidItem() : updates.announce(projectId))))
                .onFailure(PipelineConsumers::retryable).invoke(e -> LOG.debugf("event %s for %s retried: %s", eventId, projectId, e))
                .onFailure(PipelineConsumers::retryable).retry().withBackOff(RETRY_FIRST, RETRY_MAX).atMost(RETRIES);
    }

    /** A conflict between concurrent writers, or a database that is briefly unreachable: worth applying the event again. */
    static boolean retryable(Throwable failure) {
        for (Throwable e = failure; e != null; e = e.getCause()) {
            if (e instanceof OptimisticLockException || e instanceof StaleStateException || e instanceof ConnectException
                    || e instanceof ClosedConnectionException) {
                return true;
            }
            if (e instanceof PgException pg && RETRYABLE_STATES.contains(pg.getSqlState())) {
                return true;
            }
            if (e.getCause() == e) {
                break;
            }
        }
        return false;
    }

    private <E> E parse(String json, Class<E> type) {
        try {
            JsonNode tree = mapper.readTree(json);
            for (String field : new String[] {"eventId", "projectId", "ownerId", "occurredAt"}) {
                if (tree == null || !tree.hasNonNull(field)) {
                    throw new IllegalArgumentException("missing " + field);
                }
            }
            return mapper.treeToValue(tree, type);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a valid event: " + e.getOriginalMessage(), e);
        }
    }

    /** The record's project: its key, when that is a UUID. */
    private static UUID projectOf(ConsumerRecord<String, String> record) {
        try {
            return record.key() == null ? null : UUID.fromString(record.key());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Marks the record's project failed (the key is its id), then fails so the record goes to the dead-letter topic. */
    private Uni<Void> poisoned(ConsumerRecord<String, String> record, Throwable failure) {
        String reason = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
        LOG.errorf("poison %s record (key %s, offset %d): %s", record.topic(), record.key(), record.offset(), reason);
        UUID id = projectOf(record);
        if (id == null) {
            return Uni.createFrom().failure(failure);
        }
        String shortReason = reason.length() > 300 ? reason.substring(0, 300) : reason;
        return Panache.withTransaction(() -> readModel.poisoned(id, DeadLetters.originalTopic(record.topic()), shortReason).call(() ->
                updates.announce(id)))
                .onItemOrFailure().transformToUni((ignored, markFailure) -> Uni.createFrom().failure(failure));
    }
}
