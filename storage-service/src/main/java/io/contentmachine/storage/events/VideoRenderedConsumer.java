package io.contentmachine.storage.events;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import io.contentmachine.events.VideoRendered;
import io.contentmachine.kit.inbox.DeadLetter;
import io.contentmachine.kit.json.EventReader;
import io.contentmachine.kit.tracing.TracedConsumer;
import io.contentmachine.storage.video.VideoIds;
import io.contentmachine.storage.video.VideoService;
import io.smallrye.mutiny.Uni;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * video.rendered: verify and store the staged video. A message that cannot be parsed or lacks what storing needs is
 * poison: the project gets a video.failed (when its id is known) and the message goes to the dead-letter topic. A
 * failure of S3 or the database is retried a few times, then handled the same way but marked retryable.
 */
@ApplicationScoped
@TracedConsumer
public class VideoRenderedConsumer {

    private static final Pattern SHA256 = Pattern.compile("^[0-9a-f]{64}$");

    private final EventReader reader;
    private final VideoService videos;

    VideoRenderedConsumer(EventReader reader, VideoService videos) {
        this.reader = reader;
        this.videos = videos;
    }

    @Incoming("video-rendered")
    public Uni<Void> consume(ConsumerRecord<String, String> record) {
        VideoRendered event;
        try {
            event = reader.read(record.value(), VideoRendered.class);
        } catch (Exception e) {
            return poison(record, "unreadable video.rendered: " + e.getMessage(), false);
        }
        List<String> missing = problems(event);
        if (!missing.isEmpty()) {
            return poison(record, "invalid video.rendered: " + String.join(", ", missing), false);
        }
        return videos.store(event)
                .onFailure().retry().withBackOff(Duration.ofSeconds(1), Duration.ofSeconds(10)).atMost(3)
                .onFailure().recoverWithUni(e -> poison(record, "storing failed: " + e, true));
    }

    private static List<String> problems(VideoRendered event) {
        List<String> problems = new ArrayList<>();
        if (event.getEventId() == null) {
            problems.add("eventId missing");
        }
        if (event.getProjectId() == null) {
            problems.add("projectId missing");
        }
        if (event.getOwnerId() == null || event.getOwnerId().isBlank()) {
            problems.add("ownerId missing");
        }
        if (event.getStagingKey() == null || event.getStagingKey().isBlank()) {
            problems.add("stagingKey missing");
        }
        if (event.getSha256() == null || !SHA256.matcher(event.getSha256()).matches()) {
            problems.add("sha256 must be 64 lowercase hex digits");
        }
        if (event.getSizeBytes() == null || event.getSizeBytes() < 1) {
            problems.add("sizeBytes must be at least 1");
        }
        if (event.getDurationSeconds() == null) {
            problems.add("durationSeconds missing");
        }
        if (event.getResolution() == null || event.getResolution().isBlank()) {
            problems.add("resolution missing");
        }
        return problems;
    }

    /** Emits video.failed for the project (when the message names one), then sends the message to the dead-letter topic. */
    private Uni<Void> poison(ConsumerRecord<String, String> record, String reason, boolean retryable) {
        return DeadLetter.poison(record, reason, null, poison -> videos.failedOnce(
                VideoIds.failedEventId(poison.eventId() != null ? poison.eventId() : poison.position()),
                poison.projectId(), poison.ownerId(), reason, retryable));
    }
}
