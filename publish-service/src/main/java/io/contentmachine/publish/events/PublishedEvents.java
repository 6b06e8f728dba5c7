package io.contentmachine.publish.events;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.contentmachine.events.PlatformDeletion;
import io.contentmachine.events.PublishError;
import io.contentmachine.events.PublishWait;
import io.contentmachine.events.VideoPublished;
import io.contentmachine.kit.outbox.Outbox;
import io.contentmachine.publish.domain.Publishing;
import io.contentmachine.publish.domain.PublishingStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Uni;

/**
 * Announces a publishing's state (video.published) through the outbox, in the transaction that saved it; a final state
 * also counts in {@code contentmachine_publishings_total{platform, outcome, reason}} (reason: the error code, or none) and
 * times the publish stage in {@code contentmachine_stage_seconds{stage="publish", platform}}: from when the publishing was
 * due (created, or its publishAt) to its final state, retries and the platform's processing included.
 */
@ApplicationScoped
public class PublishedEvents {

    public static final String TOPIC = "video.published";

    private final Outbox outbox;
    private final MeterRegistry registry;

    PublishedEvents(Outbox outbox, MeterRegistry registry) {
        this.outbox = outbox;
        this.registry = registry;
    }

    public Uni<Void> announce(Publishing publishing) {
        measure(publishing);
        VideoPublished event = event(publishing);
        event.setEventId(UUID.randomUUID());
        return outbox.add(TOPIC, event.getEventId(), publishing.projectId, event);
    }

    private void measure(Publishing p) {
        if (!PublishingStatus.of(p.status).isFinal()) {
            return;
        }
        Counter.builder("contentmachine.publishings").description("publishings that reached a final state")
                .tag("platform", p.platform).tag("outcome", p.status).tag("reason", p.errorCode == null ? "none" : p.errorCode)
                .register(registry).increment();
        Instant now = Instant.now();
        // a publishAt the platform holds (YouTube's scheduled publish) is in the future: the stage began at creation
        Instant due = p.publishAt != null && p.publishAt.isAfter(p.createdAt) && p.publishAt.isBefore(now) ? p.publishAt : p.createdAt;
        Timer.builder("contentmachine.stage").tag("stage", "publish").tag("platform", p.platform).publishPercentileHistogram()
                .register(registry).record(Duration.between(due, now));
    }

    static VideoPublished event(Publishing p) {
        VideoPublished event = new VideoPublished();
        event.setProjectId(p.projectId);
        event.setOwnerId(p.ownerId);
        event.setOccurredAt(Instant.now());
        event.setPublishingId(p.id);
        event.setVideoId(p.videoId);
        event.setPlatform(VideoPublished.Platform.fromValue(p.platform));
        event.setStatus(VideoPublished.PublishingStatus.fromValue(p.status));
        event.setPlatformId(p.platformId);
        event.setUrl(p.url);
        event.setPublishAt(p.publishAt);
        event.setPublishedAt(p.publishedAt);
        event.setConfirmed(p.confirmed());
        if (p.errorCode != null || p.errorMessage != null) {
            PublishError error = new PublishError();
            error.setCode(p.errorCode);
            error.setMessage(p.errorMessage);
            event.setError(error);
        }
        if ("waiting".equals(p.status)) {
            PublishWait waiting = new PublishWait();
            waiting.setReason(p.waitReason);
            waiting.setMessage(p.waitMessage);
            waiting.setUntil(p.waitingUntil);
            event.setWaiting(waiting);
        }
        if (p.platformDeletion != null) {
            PlatformDeletion deletion = new PlatformDeletion();
            deletion.setStatus(PlatformDeletion.Status.fromValue(p.platformDeletion));
            deletion.setMessage(p.platformDeletionMessage);
            event.setPlatformDeletion(deletion);
        }
        return event;
    }
}
