package io.contentmachine.kit.inbox;

import java.util.UUID;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;

/**
 * The dead-letter policy of every consumer: a message that cannot be applied first fails the project it concerns (so
 * the project is never left processing forever), then fails itself, which sends it to the channel's dead-letter topic
 * ({@code failure-strategy=dead-letter-queue}) with the reason in its headers.
 */
public final class DeadLetter {

    private static final Logger LOG = Logger.getLogger(DeadLetter.class);
    /** Only reads trees out of values that may be anything: no settings of the application apply. */
    private static final ObjectMapper TREES = new ObjectMapper();

    private DeadLetter() {
    }

    /**
     * What a poison message tells of its project, read leniently: the value's projectId, else the record key; the
     * value's ownerId and eventId when it has them (any may be null).
     */
    public record Poison(ConsumerRecord<String, String> record, UUID projectId, String ownerId, String eventId, String reason) {

        /** topic-partition@offset: names the message when its value has no eventId. */
        public String position() {
            return record.topic() + "-" + record.partition() + "@" + record.offset();
        }
    }

    /**
     * Fails the project of {@code record} through {@code failProject} when one is named, then fails with {@code reason}.
     * A failure to fail the project is logged; the message goes to the dead-letter topic either way.
     */
    public static Uni<Void> poison(ConsumerRecord<String, String> record, String reason, Throwable cause,
            Function<Poison, Uni<?>> failProject) {
        Poison poison = read(record, reason);
        IllegalArgumentException failure = new IllegalArgumentException(reason, cause);
        LOG.warnf("poison %s message at %s (project %s): %s", record.topic(), poison.position(), poison.projectId(), reason);
        if (poison.projectId() == null) {
            return Uni.createFrom().failure(failure);
        }
        return Uni.createFrom().deferred(() -> failProject.apply(poison))
                .onFailure().invoke(e -> LOG.errorf(e, "project %s: cannot record the failure of a poison message", poison.projectId()))
                .onItemOrFailure().transformToUni((ignored, e) -> Uni.createFrom().failure(failure));
    }

    static Poison read(ConsumerRecord<String, String> record, String reason) {
        JsonNode tree = tree(record.value());
        UUID projectId = uuid(text(tree, "projectId"));
        if (projectId == null) {
            projectId = uuid(record.key());
        }
        return new Poison(record, projectId, text(tree, "ownerId"), text(tree, "eventId"), reason);
    }

    private static JsonNode tree(String json) {
        try {
            return json == null ? TREES.createObjectNode() : TREES.readTree(json);
        } catch (Exception e) {
            return TREES.createObjectNode();
        }
    }

    private static String text(JsonNode tree, String field) {
        JsonNode node = tree.path(field);
        return node.isTextual() ? node.asText() : null;
    }

    private static UUID uuid(String text) {
        try {
            return text == null ? null : UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
