package io.contentmachine.index.events;

import java.util.function.Consumer;

import jakarta.enterprise.context.ApplicationScoped;

import io.contentmachine.events.VideoDeleted;
import io.contentmachine.events.VideoRendered;
import io.contentmachine.events.VideoRequested;
import io.contentmachine.events.VideoStored;
import io.contentmachine.index.project.ProjectIndex;
import io.contentmachine.kit.json.EventReader;
import io.contentmachine.kit.tracing.TracedConsumer;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Keeps the index in step with the projects' lifecycle. Idempotent without a processed-events table: the point id is
 * the projectId and every event writes the same values again. An event that cannot be parsed or applied fails the Uni
 * and goes to {@code <topic>.index-service.dlq}. The embedding and the store calls run on worker threads.
 */
@ApplicationScoped
@TracedConsumer
public class ProjectEventsConsumer {

    private static final Logger LOG = Logger.getLogger(ProjectEventsConsumer.class);

    private final EventReader events;
    private final ProjectIndex index;
    private final Vertx vertx;

    public ProjectEventsConsumer(EventReader events, ProjectIndex index, Vertx vertx) {
        this.events = events;
        this.index = index;
        this.vertx = vertx;
    }

    @Incoming("video-requested")
    public Uni<Void> requested(ConsumerRecord<String, String> record) {
        return apply(record, VideoRequested.class, index::indexRequested);
    }

    @Incoming("video-rendered")
    public Uni<Void> rendered(ConsumerRecord<String, String> record) {
        return apply(record, VideoRendered.class, index::indexRendered);
    }

    @Incoming("video-stored")
    public Uni<Void> stored(ConsumerRecord<String, String> record) {
        return apply(record, VideoStored.class, index::indexStored);
    }

    @Incoming("video-deleted")
    public Uni<Void> deleted(ConsumerRecord<String, String> record) {
        return apply(record, VideoDeleted.class, index::remove);
    }

    private <T> Uni<Void> apply(ConsumerRecord<String, String> record, Class<T> type, Consumer<T> effect) {
        T event;
        try {
            event = events.read(record.value(), type);
        } catch (Exception e) {
            LOG.warnf("unreadable %s event with key %s: %s", record.topic(), record.key(), e.getMessage());
            return Uni.createFrom().failure(new IllegalArgumentException("unreadable " + record.topic() + " event: " + e.getMessage(), e));
        }
        if (event == null) {
            return Uni.createFrom().failure(new IllegalArgumentException("empty " + record.topic() + " event"));
        }
        return vertx.executeBlocking(Uni.createFrom().item(() -> {
            effect.accept(event);
            return true;
        }), false).replaceWithVoid()
                .onFailure().invoke(e -> LOG.warnf(e, "cannot index %s event of project %s", record.topic(), record.key()));
    }
}
