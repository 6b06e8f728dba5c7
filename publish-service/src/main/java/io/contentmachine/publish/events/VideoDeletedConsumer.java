package io.contentmachine.publish.events;

import jakarta.enterprise.context.ApplicationScoped;

import io.contentmachine.events.VideoDeleted;
import io.contentmachine.kit.inbox.ProcessedEvents;
import io.contentmachine.kit.json.EventReader;
import io.contentmachine.kit.tracing.TracedConsumer;
import io.contentmachine.publish.domain.PublishingService;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * video.deleted: cancel what is not yet started and forget the project's videos; with {@code fromPlatforms}, its published
 * videos are also deleted where the platform allows ({@link io.contentmachine.publish.worker.PlatformDeletions}).
 */
@ApplicationScoped
@TracedConsumer
public class VideoDeletedConsumer {

    private static final Logger LOG = Logger.getLogger(VideoDeletedConsumer.class);

    private final EventReader reader;
    private final ProcessedEvents processed;
    private final PublishingService publishings;

    VideoDeletedConsumer(EventReader reader, ProcessedEvents processed, PublishingService publishings) {
        this.reader = reader;
        this.processed = processed;
        this.publishings = publishings;
    }

    @Incoming("video-deleted")
    public Uni<Void> consume(ConsumerRecord<String, String> record) {
        return apply(record).onFailure().invoke(e -> LOG.errorf(e, "video.deleted of project %s goes to the dead-letter topic: %s",
                record.key(), e.getMessage()));
    }

    private Uni<Void> apply(ConsumerRecord<String, String> record) {
        VideoDeleted event;
        try {
            event = reader.read(record.value(), VideoDeleted.class);
        } catch (Exception e) {
            return Uni.createFrom().failure(new IllegalArgumentException("unreadable video.deleted: " + e.getMessage(), e));
        }
        if (event.getEventId() == null || event.getProjectId() == null) {
            return Uni.createFrom().failure(new IllegalArgumentException("video.deleted lacks eventId or projectId"));
        }
        return Panache.withTransaction(() -> processed.once(event.getEventId(), "video-deleted",
                () -> publishings.forget(event.getProjectId(), Boolean.TRUE.equals(event.getFromPlatforms()))));
    }
}
