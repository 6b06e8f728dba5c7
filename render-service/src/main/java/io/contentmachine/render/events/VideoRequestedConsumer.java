package io.contentmachine.render.events;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.contentmachine.events.VideoRequested;
import io.contentmachine.kit.inbox.DeadLetter;
import io.contentmachine.kit.inbox.ProcessedEvents;
import io.contentmachine.kit.json.EventReader;
import io.contentmachine.kit.tracing.TracedConsumer;
import io.contentmachine.render.api.Catalog;
import io.contentmachine.render.job.RenderJobs;
import io.contentmachine.render.job.RenderWorker;
import io.contentmachine.render.video.Template;
import io.contentmachine.render.voice.VoiceCatalog;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Records a render job for each video.requested and acks; {@link RenderWorker}, woken at commit, renders it. A request
 * the catalog cannot serve fails the project (video.failed, stage request); an unreadable message fails the project
 * its key names and goes to the dead-letter topic.
 */
@ApplicationScoped
@TracedConsumer
public class VideoRequestedConsumer {

    private static final Logger LOG = Logger.getLogger(VideoRequestedConsumer.class);
    private static final String CONSUMER = "render-service.video-requested";

    private final EventReader reader;
    private final ProcessedEvents processed;
    private final RenderJobs jobs;
    private final RenderEvents events;
    private final VoiceCatalog voices;
    private final RenderWorker worker;

    VideoRequestedConsumer(EventReader reader, ProcessedEvents processed, RenderJobs jobs, RenderEvents events, VoiceCatalog voices,
            RenderWorker worker) {
        this.reader = reader;
        this.processed = processed;
        this.jobs = jobs;
        this.events = events;
        this.voices = voices;
        this.worker = worker;
    }

    @Incoming("video-requested")
    public Uni<Void> consume(ConsumerRecord<String, String> record) {
        VideoRequested event;
        try {
            event = reader.read(record.value(), VideoRequested.class);
            List<String> missing = missing(event);
            if (!missing.isEmpty()) {
                throw new IllegalArgumentException("missing required field(s): " + String.join(", ", missing));
            }
        } catch (Exception e) {
            return poison(record, e);
        }
        List<String> problems = problems(event);
        return Panache.withTransaction(() -> processed.once(event.getEventId(), CONSUMER, () -> problems.isEmpty()
                ? jobs.enqueue(event.getProjectId(), event.getEventId(), event.getOwnerId(), record.value())
                        .invoke(created -> LOG.infof("project %s: render job %s", event.getProjectId(),
                                created ? "queued" : "already exists, request ignored"))
                        .call(created -> created ? worker.wakeAfterCommit() : Uni.createFrom().voidItem())
                : events.failed(event.getProjectId(), event.getOwnerId(), "request", String.join("; ", problems), false,
                        "request:" + event.getEventId())));
    }

    /** What the catalog cannot serve (the gateway validates too; this guards against other producers). */
    List<String> problems(VideoRequested event) {
        List<String> problems = new ArrayList<>();
        if (Template.byId(event.getConfig().getTemplate()).isEmpty()) {
            problems.add("unknown template '" + event.getConfig().getTemplate() + "'");
        }
        if (voices.byId(event.getConfig().getVoice()).isEmpty()) {
            problems.add("unknown voice '" + event.getConfig().getVoice() + "'");
        }
        int length = event.getConfig().getLengthSeconds();
        if (length < Catalog.MIN_LENGTH || length > Catalog.MAX_LENGTH) {
            problems.add("lengthSeconds " + length + " outside " + Catalog.MIN_LENGTH + ".." + Catalog.MAX_LENGTH);
        }
        return problems;
    }

    private static List<String> missing(VideoRequested event) {
        List<String> missing = new ArrayList<>();
        if (event.getEventId() == null) {
            missing.add("eventId");
        }
        if (event.getProjectId() == null) {
            missing.add("projectId");
        }
        if (event.getOwnerId() == null || event.getOwnerId().isBlank()) {
            missing.add("ownerId");
        }
        if (event.getTopic() == null || event.getTopic().isBlank()) {
            missing.add("topic");
        }
        if (event.getConfig() == null) {
            missing.add("config");
        } else {
            if (event.getConfig().getTemplate() == null) {
                missing.add("config.template");
            }
            if (event.getConfig().getVoice() == null) {
                missing.add("config.voice");
            }
            if (event.getConfig().getLengthSeconds() == null) {
                missing.add("config.lengthSeconds");
            }
        }
        return missing;
    }

    /** Fails the project the message names (video.failed, stage request), then sends the message to the dead-letter topic. */
    private Uni<Void> poison(ConsumerRecord<String, String> record, Exception cause) {
        String reason = "unreadable video.requested: " + cause.getMessage();
        return DeadLetter.poison(record, reason, cause, poison -> Panache.withTransaction(() -> events.failed(poison.projectId(),
                poison.ownerId(), "request", abbreviate(reason), false, "poison:" + poison.position())));
    }

    private static String abbreviate(String text) {
        return text.length() > 500 ? text.substring(0, 500) : text;
    }
}
