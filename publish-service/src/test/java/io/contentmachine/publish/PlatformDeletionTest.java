package io.contentmachine.publish;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.contentmachine.testsupport.Contract;
import io.contentmachine.testsupport.KafkaResource;
import io.contentmachine.testsupport.KafkaTestClient;
import io.contentmachine.testsupport.PostgresResource;
import io.contentmachine.testsupport.SandboxResource;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * DELETE /api/videos/{id}?fromPlatforms=true (video.deleted with fromPlatforms): the video is deleted on YouTube and each
 * publishing says what became of it there (TikTok and Instagram have no delete call: unsupported); without the flag nothing
 * on the platforms is touched.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(SandboxResource.class)
@WithTestResource(StorageStandIn.class)
class PlatformDeletionTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(120);

    @ConfigProperty(name = "sandbox.url")
    String sandbox;

    @Test
    void deleteFromPlatformsDeletesOnYouTubeAndSaysWhereItCannot() throws Exception {
        TestVideos video = TestVideos.generate(300_000);
        video.sendStored(UUID.randomUUID(), List.of("youtube", "tiktok"));
        String youtubeId = awaitEvent(video, "youtube", "\"status\":\"published\"").get("platformId").asText();
        awaitEvent(video, "tiktok", "\"status\":\"published\"");
        assertEquals(1, onYouTube(youtubeId), "published on YouTube");

        KafkaTestClient.send("video.deleted", video.projectId.toString(), deleted(video, true));

        JsonNode youtube = awaitEvent(video, "youtube", "\"platformDeletion\":{\"status\":\"deleted\"");
        assertEquals("deleted from YouTube", youtube.path("platformDeletion").path("message").asText(), youtube.toString());
        JsonNode tiktok = awaitEvent(video, "tiktok", "\"platformDeletion\":{\"status\":\"unsupported\"");
        assertTrue(tiktok.path("platformDeletion").path("message").asText().contains("no call to delete"), tiktok.toString());
        assertEquals(0, onYouTube(youtubeId), "gone from YouTube");
        JsonNode listed = MAPPER.readTree(given().header("X-Internal-Token", "test-internal-token")
                .get("/publish/projects/" + video.projectId + "/publishings").then().statusCode(200).extract().asString());
        for (JsonNode publishing : listed) {
            String expected = "youtube".equals(publishing.get("platform").asText()) ? "deleted" : "unsupported";
            assertEquals(expected, publishing.path("platformDeletion").path("status").asText(), listed.toString());
        }
    }

    @Test
    void deleteWithoutTheFlagLeavesThePlatformsAlone() throws Exception {
        TestVideos video = TestVideos.generate(300_000);
        video.sendStored(UUID.randomUUID(), List.of("youtube"));
        String youtubeId = awaitEvent(video, "youtube", "\"status\":\"published\"").get("platformId").asText();

        String event = deleted(video, false);
        KafkaTestClient.send("video.deleted", video.projectId.toString(), event);
        UUID eventId = UUID.fromString(MAPPER.readTree(event).get("eventId").asText());
        Awaitility.await().atMost(WAIT).until(() -> processed(eventId));

        assertEquals(1, onYouTube(youtubeId), "still on YouTube");
        JsonNode listed = MAPPER.readTree(given().header("X-Internal-Token", "test-internal-token")
                .get("/publish/projects/" + video.projectId + "/publishings").then().statusCode(200).extract().asString());
        assertTrue(listed.get(0).path("platformDeletion").isMissingNode(), listed.toString());
    }

    private static String deleted(TestVideos video, boolean fromPlatforms) {
        ObjectNode event = MAPPER.createObjectNode();
        event.put("eventId", UUID.randomUUID().toString());
        event.put("projectId", video.projectId.toString());
        event.put("ownerId", video.ownerId);
        event.put("occurredAt", Instant.now().toString());
        if (fromPlatforms) {
            event.put("fromPlatforms", true);
        }
        Contract.assertValid("video.deleted", event.toString());
        return event.toString();
    }

    /** This project's video.published on {@code platform} whose JSON contains {@code fragment}, checked against the contract. */
    private static JsonNode awaitEvent(TestVideos video, String platform, String fragment) throws Exception {
        ConsumerRecord<String, String> record = KafkaTestClient.awaitOne("video.published", r -> video.projectId.toString().equals(r.key())
                && r.value().contains("\"platform\":\"" + platform + "\"") && r.value().contains(fragment), WAIT);
        Contract.assertValid("video.published", record.value());
        return MAPPER.readTree(record.value());
    }

    private int onYouTube(String id) throws Exception {
        return MAPPER.readTree(given().header("Authorization", "Bearer sandbox-token")
                .get(sandbox + "/youtube/v3/videos?part=status&id=" + id).then().statusCode(200).extract().asString()).get("items").size();
    }

    private static boolean processed(UUID eventId) throws Exception {
        try {
            Object count = VertxContextSupport.subscribeAndAwait(() -> Panache.withSession(() -> Panache.getSession().chain(session ->
                    session.createNativeQuery("select count(*) from processed_events where event_id = ?1").setParameter(1, eventId)
                            .getSingleResult())));
            return ((Number) count).longValue() > 0;
        } catch (Exception | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }
}
