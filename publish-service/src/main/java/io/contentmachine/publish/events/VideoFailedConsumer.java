package io.contentmachine.publish.events;

import jakarta.enterprise.context.ApplicationScoped;

import io.contentmachine.events.VideoFailed;
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
 * video.failed with stage {@code timeout}: the gateway gave up on a project stuck in the pipeline and shows it failed, so its
 * publishings that have not reached the platform yet end here ({@link PublishingService#giveUp}). Other stages are
 * failures of render or storage, before any video was stored: nothing to publish, nothing changes.
 */
@ApplicationScoped
@TracedConsumer
public class VideoFailedConsumer {

    static final String GAVE_UP = "timeout";
    private static final Logger LOG = Logger.getLogger(VideoFailedConsumer.class);

    private final EventReader reader;
    private final ProcessedEvents processed;
    private final PublishingService publishings;

    VideoFailedConsumer(EventReader reader, ProcessedEvents processed, PublishingService publishings) {
        this.reader = reader;
        this.processed = processed;
        this.publishings = publishings;
    }

    @Incoming("video-failed")
    public Uni<Void> consume(ConsumerRecord<String, String> record) {
        return apply(record).onFailure().invoke(e -> LOG.errorf(e, "video.failed of project %s goes to the dead-letter topic: %s",
                record.key(), e.getMessage()));
    }

    private Uni<Void> apply(ConsumerRecord<String, String> record) {
        VideoFailed event;
        try {
            event = reader.read(record.value(), VideoFailed.class);
        } catch (Exception e) {
            return Uni.createFrom().failure(new IllegalArgumentException("unreadable video.failed: " + e.getMessage(), e));
        }
        if (event.getEventId() == null || event.getProjectId() == null) {
            return Uni.createFrom().failure(new IllegalArgumentException("video.failed lacks eventId or projectId"));
        }
        return Panache.withTransaction(() -> processed.once(event.getEventId(), "video-failed",
                () -> GAVE_UP.equals(event.getStage()) ? publishings.giveUp(event.getProjectId(), event.getReason())
                        : Uni.createFrom().voidItem()));
    }
}
