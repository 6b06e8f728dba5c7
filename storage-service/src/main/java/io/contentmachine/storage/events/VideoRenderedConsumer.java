package io.contentmachine.storage.events;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.contentmachine.events.VideoRendered;
import io.contentmachine.storage.video.VideoIds;
import io.contentmachine.storage.video.VideoService;
import io.smallrye.mutiny.Uni;

/**
 * video.rendered: verify and store the staged video. A message that cannot be parsed or lacks what storing needs is
 * poison: the project gets a video.failed (when its id is known) and the message goes to the dead-letter topic. A
 * failure of S3 or the database is retried a few times, then handled the same way but marked retryable.
 */
@ApplicationScoped
public class VideoRenderedConsumer {

    private static final Logger LOG = Logger.getLogger(VideoRenderedConsumer.class);
    private static final Pattern SHA256 = Pattern.compile("^[0-9a-f]{64}$");

    private final ObjectMapper mapper;
    private final EventReader reader;
    private final VideoService videos;

    VideoRenderedConsumer(ObjectMapper mapper, EventReader reader, VideoService videos) {
        this.mapper = mapper;
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

    /**
     * Emits video.failed for the project named by the record (value's projectId, else the key) and fails the message,
     * which sends it to the dead-letter topic with the reason in its headers.
     */
    private Uni<Void> poison(ConsumerRecord<String, String> record, String reason, boolean retryable) {
        LOG.warnf("video.rendered at %s-%d@%d: %s", record.topic(), record.partition(), record.offset(), reason);
        JsonNode tree = readTree(record.value());
        UUID projectId = uuid(tree.path("projectId").asText(null));
        if (projectId == null) {
            projectId = uuid(record.key());
        }
        IllegalArgumentException failure = new IllegalArgumentException(reason);
        if (projectId == null) {
            return Uni.createFrom().failure(failure);
        }
        String cause = tree.hasNonNull("eventId") ? tree.get("eventId").asText()
                : record.topic() + "-" + record.partition() + "@" + record.offset();
        UUID project = projectId;
        return videos.failedOnce(VideoIds.failedEventId(cause), project, tree.path("ownerId").asText(null), reason, retryable)
                .onFailure().invoke(e -> LOG.errorf(e, "project %s: cannot record video.failed", project))
                .onItemOrFailure().transformToUni((ignored, e) -> Uni.createFrom().failure(failure));
    }

    private JsonNode readTree(String json) {
        try {
            return json == null ? mapper.createObjectNode() : mapper.readTree(json);
        } catch (Exception e) {
            return mapper.createObjectNode();
        }
    }

    private static UUID uuid(String text) {
        try {
            return text == null ? null : UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
