package io.contentmachine.render.events;

import jakarta.enterprise.context.ApplicationScoped;

import io.contentmachine.events.VideoDeleted;
import io.contentmachine.kit.inbox.ProcessedEvents;
import io.contentmachine.kit.json.EventReader;
import io.contentmachine.kit.tracing.TracedConsumer;
import io.contentmachine.render.job.RenderJobs;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Cancels the project's render (queued or running; a running render loses its lease and ffmpeg is killed). */
@ApplicationScoped
@TracedConsumer
public class VideoDeletedConsumer {

    private static final String CONSUMER = "render-service.video-deleted";

    private final EventReader reader;
    private final ProcessedEvents processed;
    private final RenderJobs jobs;

    VideoDeletedConsumer(EventReader reader, ProcessedEvents processed, RenderJobs jobs) {
        this.reader = reader;
        this.processed = processed;
        this.jobs = jobs;
    }

    @Incoming("video-deleted")
    public Uni<Void> consume(ConsumerRecord<String, String> record) {
        VideoDeleted event;
        try {
            event = reader.read(record.value(), VideoDeleted.class);
            if (event.getEventId() == null || event.getProjectId() == null) {
                throw new IllegalArgumentException("missing eventId or projectId");
            }
        } catch (Exception e) {
            return Uni.createFrom().failure(new IllegalArgumentException("unreadable video.deleted: " + e.getMessage(), e));
        }
        String owner = event.getOwnerId() == null ? "unknown" : event.getOwnerId();
        return Panache.withTransaction(() -> processed.once(event.getEventId(), CONSUMER,
                () -> jobs.cancel(event.getProjectId(), owner)));
    }
}
