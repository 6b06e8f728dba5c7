package io.contentmachine.storage.events;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import io.contentmachine.events.VideoDeleted;
import io.contentmachine.kit.inbox.ProcessedEvents;
import io.contentmachine.kit.json.EventReader;
import io.contentmachine.kit.tracing.TracedConsumer;
import io.contentmachine.storage.video.VideoService;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** video.deleted: remove the project's objects and rows (idempotent by nature, and recorded by eventId). */
@ApplicationScoped
@TracedConsumer
public class VideoDeletedConsumer {

    private final EventReader reader;
    private final VideoService videos;
    private final ProcessedEvents processed;

    VideoDeletedConsumer(EventReader reader, VideoService videos, ProcessedEvents processed) {
        this.reader = reader;
        this.videos = videos;
        this.processed = processed;
    }

    @Incoming("video-deleted")
    public Uni<Void> consume(ConsumerRecord<String, String> record) {
        VideoDeleted event;
        try {
            event = reader.read(record.value(), VideoDeleted.class);
        } catch (Exception e) {
            return Uni.createFrom().failure(new IllegalArgumentException("unreadable video.deleted: " + e.getMessage(), e));
        }
        if (event.getEventId() == null || event.getProjectId() == null) {
            return Uni.createFrom().failure(new IllegalArgumentException("invalid video.deleted: eventId and projectId are required"));
        }
        // deleting objects and rows is idempotent, so a crash between the two steps is repaired by the redelivery
        return videos.deleteProject(event.getProjectId())
                .onFailure().retry().withBackOff(Duration.ofSeconds(1), Duration.ofSeconds(10)).atMost(3)
                .chain(() -> Panache.withTransaction(() -> processed.once(event.getEventId(), VideoService.DELETED_CONSUMER,
                        () -> Uni.createFrom().voidItem())));
    }
}
