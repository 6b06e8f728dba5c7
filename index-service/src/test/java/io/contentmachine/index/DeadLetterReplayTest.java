package io.contentmachine.index;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.contentmachine.index.store.StoredProject;
import io.contentmachine.index.store.VectorStore;
import io.contentmachine.testsupport.Contract;
import io.contentmachine.testsupport.KafkaResource;
import io.contentmachine.testsupport.KafkaTestClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** An operator sees this service's dead letters and replays them through the consumer that refused them (service-kit). */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(EmbeddedIndexResource.class)
class DeadLetterReplayTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String REQUESTED_DLQ = "video.requested.index-service.dlq";
    private static final String RENDERED_DLQ = "video.rendered.index-service.dlq";

    @Inject
    VectorStore store;

    @Test
    void aDeadLetterIsCountedThenReplayedOnceThroughTheConsumer() throws Exception {
        // a video.requested refused earlier (say while the vector store was down) waits on the dead-letter topic
        UUID projectId = UUID.randomUUID();
        ObjectNode event = (ObjectNode) new ObjectMapper().readTree(Contract.example("video.requested"));
        event.put("projectId", projectId.toString()).put("eventId", UUID.randomUUID().toString()).put("ownerId", "owner-dlq")
                .put("topic", "Why glaciers move");
        KafkaTestClient.send(REQUESTED_DLQ, projectId.toString(), event.toString(),
                Map.of("dead-letter-reason", "vector store unavailable", "dead-letter-topic", "video.requested"));
        await().atMost(WAIT).until(() -> pending(REQUESTED_DLQ) >= 1);
        assertTrue(store.get(projectId).isEmpty(), "a dead letter is not applied until it is replayed");

        Map<String, Object> replayed = admin().post("/admin/dead-letters/replay?topic=" + REQUESTED_DLQ)
                .then().statusCode(200).extract().jsonPath().getMap("replayed");
        assertEquals(Set.of(REQUESTED_DLQ), replayed.keySet(), "only the asked topic is replayed");
        assertTrue(((Number) replayed.get(REQUESTED_DLQ)).longValue() >= 1, "replayed: " + replayed);

        StoredProject indexed = await().atMost(WAIT).until(() -> store.get(projectId), Optional::isPresent).orElseThrow();
        assertEquals("Why glaciers move", indexed.payload().get("topic"));
        assertEquals("owner-dlq", indexed.payload().get("ownerId"));
        assertEquals(0, pending(REQUESTED_DLQ), "nothing left to replay");
        assertEquals(0, ((Number) admin().post("/admin/dead-letters/replay?topic=" + REQUESTED_DLQ).then().statusCode(200)
                .extract().jsonPath().getMap("replayed").get(REQUESTED_DLQ)).longValue(), "a second replay copies nothing");
    }

    @Test
    void aLetterThatStillFailsGoesBackToItsDeadLetterTopic() {
        String key = UUID.randomUUID().toString();
        KafkaTestClient.send("video.rendered", key, "{still not json");
        KafkaTestClient.awaitOne(RENDERED_DLQ, record -> key.equals(record.key()), WAIT);

        admin().post("/admin/dead-letters/replay").then().statusCode(200);

        // replayed through the consumer, refused again for the same reason, dead-lettered again: two letters now
        List<ConsumerRecord<String, String>> letters = KafkaTestClient.await(RENDERED_DLQ, record -> key.equals(record.key()), 2, WAIT);
        String reason = KafkaTestClient.header(letters.get(1), "dead-letter-reason");
        assertTrue(reason != null && reason.contains("unreadable video.rendered event"), "reason header: " + reason);
    }

    @Test
    void everyDeadLetterTopicIsListedWithItsReplayTopic() {
        JsonPath listing = admin().get("/admin/dead-letters").then().statusCode(200).extract().jsonPath();
        assertEquals(List.of("asset.deleted.index-service.dlq", "asset.ready.index-service.dlq", "video.deleted.index-service.dlq",
                RENDERED_DLQ, REQUESTED_DLQ, "video.stored.index-service.dlq"), listing.getList("topics.topic"));
        assertEquals(List.of("video.requested"), listing.getList("topics.find { it.topic == '" + REQUESTED_DLQ + "' }.from"));
        assertEquals("video.requested.index-service.replay",
                listing.getString("topics.find { it.topic == '" + REQUESTED_DLQ + "' }.replayTopic"));
        assertEquals(List.of(true, true, true, true, true, true), listing.getList("topics.replayable"));
    }

    @Test
    void adminPathsNeedTheInternalTokenAndKnownTopics() {
        given().get("/admin/dead-letters").then().statusCode(401)
                .body("error", equalTo("Missing or invalid internal token"));
        given().header("X-Internal-Token", "wrong").post("/admin/dead-letters/replay").then().statusCode(401);
        admin().post("/admin/dead-letters/replay?topic=video.requested").then().statusCode(404)
                .body("error", equalTo("Not a dead-letter topic of this service"))
                .body("details", equalTo(List.of("topic: video.requested")));
    }

    private static long pending(String topic) {
        return admin().get("/admin/dead-letters").then().statusCode(200).extract().jsonPath()
                .getLong("topics.find { it.topic == '" + topic + "' }.pending");
    }

    private static RequestSpecification admin() {
        return given().header("X-Internal-Token", "test-internal-token");
    }
}
