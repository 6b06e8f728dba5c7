package io.contentmachine.publish.events;

import java.time.Instant;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.contentmachine.events.PublishError;
import io.contentmachine.events.PublishWait;
import io.contentmachine.events.VideoPublished;
import io.contentmachine.kit.outbox.Outbox;
import io.contentmachine.publish.domain.Publishing;
import io.smallrye.mutiny.Uni;

/** Announces a publishing's state (video.published) through the outbox, in the transaction that saved it. */
@ApplicationScoped
public class PublishedEvents {

    public static final String TOPIC = "video.published";

    private final Outbox outbox;

    PublishedEvents(Outbox outbox) {
        this.outbox = outbox;
    }

    public Uni<Void> announce(Publishing publishing) {
        VideoPublished event = event(publishing);
        event.setEventId(UUID.randomUUID());
        return outbox.add(TOPIC, event.getEventId(), publishing.projectId, event);
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
        return event;
    }
}
