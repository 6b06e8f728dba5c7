package io.contentmachine.api.events;

import java.util.UUID;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

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
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * Keeps the read model from the pipeline's events. Each event applies once (ProcessedEvents, same transaction);
 * one that cannot be parsed or applied fails: it goes to the dead-letter topic and its project is marked failed.
 */
@ApplicationScoped
public class PipelineConsumers {

    private static final Logger LOG = Logger.getLogger(PipelineConsumers.class);

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
        String topic = record.topic();
        E event;
        try {
            event = parse(record.value(), type);
        } catch (RuntimeException e) {
            return poisoned(record, e);
        }
        UUID projectId = projectOf(record);
        return Panache.withTransaction(() -> processed.once(eventId.apply(event), "api-service." + topic,
                        () -> effect.apply(event)
                                .call(() -> projectId == null ? Uni.createFrom().voidItem() : updates.announce(projectId))))
                .onFailure().recoverWithUni(e -> poisoned(record, e));
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
        return Panache.withTransaction(() -> readModel.poisoned(id, record.topic(), shortReason).call(() -> updates.announce(id)))
                .onItemOrFailure().transformToUni((ignored, markFailure) -> Uni.createFrom().failure(failure));
    }
}
