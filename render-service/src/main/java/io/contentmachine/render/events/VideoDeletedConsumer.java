package io.contentmachine.render.events;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.contentmachine.events.VideoDeleted;
import io.contentmachine.render.job.RenderJobs;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/** Cancels the project's render (queued or running; the worker kills ffmpeg at its next heartbeat). */
@ApplicationScoped
public class VideoDeletedConsumer {

    private static final String CONSUMER = "render-service.video-deleted";

    private final ObjectMapper mapper;
    private final ProcessedEvents processed;
    private final RenderJobs jobs;

    VideoDeletedConsumer(ObjectMapper mapper, ProcessedEvents processed, RenderJobs jobs) {
        this.mapper = mapper;
        this.processed = processed;
        this.jobs = jobs;
    }

    @Incoming("video-deleted")
    public Uni<Void> consume(ConsumerRecord<String, String> record) {
        VideoDeleted event;
        try {
            event = mapper.readValue(record.value(), VideoDeleted.class);
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
