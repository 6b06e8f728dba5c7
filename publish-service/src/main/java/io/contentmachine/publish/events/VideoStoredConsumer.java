package io.contentmachine.publish.events;

import jakarta.enterprise.context.ApplicationScoped;

import io.contentmachine.events.VideoStored;
import io.contentmachine.kit.inbox.ProcessedEvents;
import io.contentmachine.kit.json.EventReader;
import io.contentmachine.kit.tracing.TracedConsumer;
import io.contentmachine.publish.domain.PublishingService;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/** video.stored: remember the video and, when platforms were asked for, create the publishings and their jobs. */
@ApplicationScoped
@TracedConsumer
public class VideoStoredConsumer {

    private static final Logger LOG = Logger.getLogger(VideoStoredConsumer.class);

    private final EventReader reader;
    private final ProcessedEvents processed;
    private final PublishingService publishings;

    VideoStoredConsumer(EventReader reader, ProcessedEvents processed, PublishingService publishings) {
        this.reader = reader;
        this.processed = processed;
        this.publishings = publishings;
    }

    @Incoming("video-stored")
    public Uni<Void> consume(ConsumerRecord<String, String> record) {
        return apply(record).onFailure().invoke(e -> LOG.errorf(e, "video.stored of project %s goes to the dead-letter topic: %s",
                record.key(), e.getMessage()));
    }

    private Uni<Void> apply(ConsumerRecord<String, String> record) {
        VideoStored event;
        try {
            event = reader.read(record.value(), VideoStored.class);
        } catch (Exception e) {
            return Uni.createFrom().failure(new IllegalArgumentException("unreadable video.stored: " + e.getMessage(), e));
        }
        if (event.getEventId() == null || event.getVideoId() == null || event.getProjectId() == null || event.getOwnerId() == null
                || event.getSizeBytes() == null || event.getStorageKey() == null) {
            return Uni.createFrom().failure(new IllegalArgumentException("video.stored lacks eventId, projectId, ownerId, videoId,"
                    + " storageKey or sizeBytes"));
        }
        return Panache.withTransaction(() -> processed.once(event.getEventId(), "video-stored", () -> publishings.recordStored(event)));
    }
}
