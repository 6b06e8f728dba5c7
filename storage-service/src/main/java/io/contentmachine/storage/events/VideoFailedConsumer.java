package io.contentmachine.storage.events;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import io.contentmachine.events.VideoFailed;
import io.contentmachine.kit.inbox.ProcessedEvents;
import io.contentmachine.kit.json.EventReader;
import io.contentmachine.kit.tracing.TracedConsumer;
import io.contentmachine.storage.video.VideoService;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * video.failed with stage {@code timeout}: the gateway gave up on a project stuck in the pipeline and shows it failed, so
 * storage ends it as it ends a deleted project (objects and rows removed, a tombstone that refuses every later grant with
 * 410 and keeps a late render from being stored, and so from being published). Failures that render-service or this
 * service reported themselves change nothing here: they already stopped the work.
 */
@ApplicationScoped
@TracedConsumer
public class VideoFailedConsumer {

    /** Not "video-failed": VideoService records the video.failed events it emitted under that name. */
    static final String CONSUMER = "video-failed-consumer";
    static final String GAVE_UP = "timeout";

    private final EventReader reader;
    private final VideoService videos;
    private final ProcessedEvents processed;

    VideoFailedConsumer(EventReader reader, VideoService videos, ProcessedEvents processed) {
        this.reader = reader;
        this.videos = videos;
        this.processed = processed;
    }

    @Incoming("video-failed")
    public Uni<Void> consume(ConsumerRecord<String, String> record) {
        VideoFailed event;
        try {
            event = reader.read(record.value(), VideoFailed.class);
        } catch (Exception e) {
            return Uni.createFrom().failure(new IllegalArgumentException("unreadable video.failed: " + e.getMessage(), e));
        }
        if (event.getEventId() == null || event.getProjectId() == null) {
            return Uni.createFrom().failure(new IllegalArgumentException("invalid video.failed: eventId and projectId are required"));
        }
        Uni<Void> effect = GAVE_UP.equals(event.getStage())
                // removing objects and rows is idempotent, so a crash between the two steps is repaired by the redelivery
                ? videos.deleteProject(event.getProjectId()).onFailure().retry().withBackOff(Duration.ofSeconds(1), Duration.ofSeconds(10))
                        .atMost(3)
                : Uni.createFrom().voidItem();
        return effect.chain(() -> Panache.withTransaction(() -> processed.once(event.getEventId(), CONSUMER,
                () -> Uni.createFrom().voidItem())));
    }
}
