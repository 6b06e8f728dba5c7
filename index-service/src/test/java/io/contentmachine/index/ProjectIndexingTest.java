package io.contentmachine.index;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;

import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.contentmachine.index.embedding.Embeddings;
import io.contentmachine.index.store.StoredProject;
import io.contentmachine.index.store.VectorField;
import io.contentmachine.index.store.VectorStore;
import io.contentmachine.testsupport.Contract;
import io.contentmachine.testsupport.KafkaResource;
import io.contentmachine.testsupport.KafkaTestClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** The consumers keep the index in step with the events of the contract, on the embedded store. */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(EmbeddedIndexResource.class)
class ProjectIndexingTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Inject
    VectorStore store;

    @Inject
    Embeddings embeddings;

    @Test
    void contractExamplesMoveAProjectThroughTheIndex() throws Exception {
        ObjectMapper json = new ObjectMapper();
        JsonNode requested = json.readTree(Contract.example("video.requested"));
        UUID projectId = UUID.fromString(requested.get("projectId").asText());

        KafkaTestClient.send("video.requested", projectId.toString(), Contract.example("video.requested"));
        StoredProject afterRequest = awaitProject(projectId, project -> project.vectors().containsKey(VectorField.TOPIC));
        assertEquals("owner-1", afterRequest.payload().get("ownerId"));
        assertEquals(projectId.toString(), afterRequest.payload().get("projectId"));
        assertEquals("Why octopuses have three hearts", afterRequest.payload().get("topic"));
        assertEquals("processing", afterRequest.payload().get("status"));
        assertEquals("2026-11-24T12:00:00Z", afterRequest.payload().get("createdAt"));
        float[] topicVector = afterRequest.vectors().get(VectorField.TOPIC);
        assertEquals(384, topicVector.length);
        assertEquals(1.0, Embeddings.cosine(topicVector, embeddings.embed("Why octopuses have three hearts")), 1e-5);

        KafkaTestClient.send("video.rendered", projectId.toString(), Contract.example("video.rendered"));
        StoredProject afterRender = awaitProject(projectId, project -> project.vectors().containsKey(VectorField.SCRIPT));
        assertArrayEquals(topicVector, afterRender.vectors().get(VectorField.TOPIC), "writing the script kept the topic vector");
        assertEquals("Why octopuses have three hearts", afterRender.payload().get("topic"), "and the payload");
        assertEquals("Why octopuses have three hearts", afterRender.payload().get("title"));
        assertEquals("rendered", afterRender.payload().get("status"));
        assertEquals(1.0, Embeddings.cosine(afterRender.vectors().get(VectorField.SCRIPT),
                embeddings.embed("Why octopuses have three hearts\nOctopuses have three hearts.")), 1e-5);

        KafkaTestClient.send("video.stored", projectId.toString(), Contract.example("video.stored"));
        StoredProject afterStore = awaitProject(projectId, project -> "stored".equals(project.payload().get("status")));
        assertArrayEquals(topicVector, afterStore.vectors().get(VectorField.TOPIC));
        assertTrue(afterStore.vectors().containsKey(VectorField.SCRIPT));

        // a redelivered video.requested does not set the status back, nor drop the script vector
        KafkaTestClient.send("video.requested", projectId.toString(), Contract.example("video.requested"));
        UUID marker = UUID.randomUUID();
        IndexEvents.requested(marker, "owner-marker", "a marker sent after the redelivery, on its partition", projectId.toString());
        awaitProject(marker, project -> true);
        StoredProject afterRedelivery = store.get(projectId).orElseThrow();
        assertEquals("stored", afterRedelivery.payload().get("status"));
        assertTrue(afterRedelivery.vectors().containsKey(VectorField.SCRIPT));

        KafkaTestClient.send("video.deleted", projectId.toString(), Contract.example("video.deleted"));
        StoredProject tombstone = awaitProject(projectId, project -> "deleted".equals(project.payload().get("status")));
        assertTrue(tombstone.vectors().isEmpty());
        assertEquals(Map.of("projectId", projectId.toString(), "status", "deleted"), tombstone.payload());

        // a late video.rendered and a redelivered video.requested do not bring it back
        KafkaTestClient.send("video.rendered", projectId.toString(), Contract.example("video.rendered"));
        KafkaTestClient.send("video.requested", projectId.toString(), Contract.example("video.requested"));
        UUID renderedMarker = UUID.randomUUID();
        UUID requestedMarker = UUID.randomUUID();
        IndexEvents.renderedKeyed(renderedMarker, "owner-marker", projectId.toString(), "A marker", "sent after the late render");
        IndexEvents.requested(requestedMarker, "owner-marker", "a marker sent after the late request", projectId.toString());
        awaitProject(renderedMarker, project -> true);
        awaitProject(requestedMarker, project -> true);
        StoredProject afterLateEvents = store.get(projectId).orElseThrow();
        assertTrue(afterLateEvents.vectors().isEmpty());
        assertEquals(tombstone.payload(), afterLateEvents.payload());
        for (VectorField field : VectorField.values()) {
            assertTrue(store.search(field, embeddings.embed("Why octopuses have three hearts"), "owner-1", 50, -1).stream()
                    .noneMatch(hit -> hit.projectId().equals(projectId)), field + " search found the deleted project");
        }
    }

    @Test
    void unreadableEventGoesToTheDeadLetterTopic() {
        String key = UUID.randomUUID().toString();
        KafkaTestClient.send("video.rendered", key, "{not json");
        ConsumerRecord<String, String> dead = KafkaTestClient.awaitOne("video.rendered.index-service.dlq",
                record -> key.equals(record.key()), WAIT);
        assertEquals("{not json", dead.value());
        String reason = KafkaTestClient.header(dead, "dead-letter-reason");
        assertTrue(reason != null && reason.contains("unreadable video.rendered event"), "reason header: " + reason);
    }

    @Test
    void eventWithoutTopicTextGoesToTheDeadLetterTopic() throws Exception {
        ObjectMapper json = new ObjectMapper();
        UUID projectId = UUID.randomUUID();
        ObjectNode event = (ObjectNode) json.readTree(Contract.example("video.requested"));
        event.put("projectId", projectId.toString());
        event.put("topic", "   ");
        KafkaTestClient.send("video.requested", projectId.toString(), event.toString());
        ConsumerRecord<String, String> dead = KafkaTestClient.awaitOne("video.requested.index-service.dlq",
                record -> projectId.toString().equals(record.key()), WAIT);
        assertTrue(KafkaTestClient.header(dead, "dead-letter-reason").contains("no topic"));
        assertTrue(store.get(projectId).isEmpty());
    }

    private StoredProject awaitProject(UUID projectId, Predicate<StoredProject> condition) {
        return await().atMost(WAIT).pollInterval(Duration.ofMillis(100))
                .until(() -> store.get(projectId), (Optional<StoredProject> found) -> found.isPresent() && condition.test(found.get()))
                .orElseThrow();
    }
}
