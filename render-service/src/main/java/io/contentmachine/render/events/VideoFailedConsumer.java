package io.contentmachine.render.events;

import jakarta.enterprise.context.ApplicationScoped;

import io.contentmachine.events.VideoFailed;
import io.contentmachine.kit.inbox.ProcessedEvents;
import io.contentmachine.kit.json.EventReader;
import io.contentmachine.kit.tracing.TracedConsumer;
import io.contentmachine.render.job.RenderJobs;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * video.failed with stage {@code timeout}: the gateway gave up on a project stuck in the pipeline and shows it failed, so its
 * render is cancelled as a deleted project's is (queued or running; a running render loses its lease and ffmpeg is killed at
 * the next renewal; a request arriving later finds the cancelled job and renders nothing). Other stages are failures that
 * render- or storage-service reported themselves: the work already stopped, nothing changes here.
 */
@ApplicationScoped
@TracedConsumer
public class VideoFailedConsumer {

    static final String GAVE_UP = "timeout";
    private static final String CONSUMER = "render-service.video-failed";

    private final EventReader reader;
    private final ProcessedEvents processed;
    private final RenderJobs jobs;

    VideoFailedConsumer(EventReader reader, ProcessedEvents processed, RenderJobs jobs) {
        this.reader = reader;
        this.processed = processed;
        this.jobs = jobs;
    }

    @Incoming("video-failed")
    public Uni<Void> consume(ConsumerRecord<String, String> record) {
        VideoFailed event;
        try {
            event = reader.read(record.value(), VideoFailed.class);
            if (event.getEventId() == null || event.getProjectId() == null) {
                throw new IllegalArgumentException("missing eventId or projectId");
            }
        } catch (Exception e) {
            return Uni.createFrom().failure(new IllegalArgumentException("unreadable video.failed: " + e.getMessage(), e));
        }
        String owner = event.getOwnerId() == null ? "unknown" : event.getOwnerId();
        return Panache.withTransaction(() -> processed.once(event.getEventId(), CONSUMER,
                () -> GAVE_UP.equals(event.getStage())
                        ? jobs.cancel(event.getProjectId(), owner, "the gateway gave up on the project: " + event.getReason())
                        : Uni.createFrom().voidItem()));
    }
}
