package io.contentmachine.index;

import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.contentmachine.testsupport.Contract;
import io.contentmachine.testsupport.KafkaTestClient;

/** Sends the contract's example events, changed for a project of the test, as the other services would. */
final class IndexEvents {

    private static final ObjectMapper JSON = new ObjectMapper();

    private IndexEvents() {
    }

    static void requested(UUID projectId, String ownerId, String topic) {
        requested(projectId, ownerId, topic, projectId.toString());
    }

    /** With another record key: a key decides the partition, so a marker keyed like a project is read after it. */
    static void requested(UUID projectId, String ownerId, String topic, String key) {
        ObjectNode event = example("video.requested", projectId, ownerId);
        event.put("topic", topic);
        String json = event.toString();
        Contract.assertValid("video.requested", json);
        KafkaTestClient.send("video.requested", key, json);
    }

    static void rendered(UUID projectId, String ownerId, String title, String... scenes) {
        renderedKeyed(projectId, ownerId, projectId.toString(), title, scenes);
    }

    /** With another record key, as {@link #requested(UUID, String, String, String)}. */
    static void renderedKeyed(UUID projectId, String ownerId, String key, String title, String... scenes) {
        ObjectNode event = example("video.rendered", projectId, ownerId);
        ObjectNode script = (ObjectNode) event.get("script");
        script.put("title", title);
        ArrayNode sceneNodes = script.putArray("scenes");
        for (int i = 0; i < scenes.length; i++) {
            sceneNodes.addObject().put("sequence", i + 1).put("text", scenes[i]).put("durationSeconds", 3.0);
        }
        String json = event.toString();
        Contract.assertValid("video.rendered", json);
        KafkaTestClient.send("video.rendered", key, json);
    }

    static void stored(UUID projectId, String ownerId) {
        send("video.stored", projectId, example("video.stored", projectId, ownerId));
    }

    static void deleted(UUID projectId, String ownerId) {
        send("video.deleted", projectId, example("video.deleted", projectId, ownerId));
    }

    private static ObjectNode example(String topic, UUID projectId, String ownerId) {
        try {
            ObjectNode event = (ObjectNode) JSON.readTree(Contract.example(topic));
            event.put("eventId", UUID.randomUUID().toString());
            event.put("projectId", projectId.toString());
            event.put("ownerId", ownerId);
            return event;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void send(String topic, UUID projectId, ObjectNode event) {
        String json = event.toString();
        Contract.assertValid(topic, json);
        KafkaTestClient.send(topic, projectId.toString(), json);
    }
}
