package io.contentmachine.publish;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.contentmachine.testsupport.Contract;
import io.contentmachine.testsupport.KafkaResource;
import io.contentmachine.testsupport.KafkaTestClient;
import io.contentmachine.testsupport.PostgresResource;
import io.contentmachine.testsupport.SandboxResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

/** The internal publishings API: validation, conflicts, idempotent requests and republish; the contract's example consumed. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(SandboxResource.class)
@WithTestResource(StorageStandIn.class)
class PublishingApiTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String TOKEN = "test-internal-token";

    @Test
    void internalTokenIsRequired() {
        given().get("/publish/projects/" + UUID.randomUUID() + "/publishings").then().statusCode(401)
                .body("error", equalTo("Missing or invalid internal token"));
    }

    @Test
    void badRequestsAreClear4xxJson() {
        String path = "/publish/projects/" + UUID.randomUUID() + "/publishings";
        given().header("X-Internal-Token", TOKEN).contentType(ContentType.JSON)
                .body(Map.of("ownerId", "o", "platforms", List.of("youtube", "myspace")))
                .post(path).then().statusCode(400).body("error", equalTo("Unknown platform"))
                .body("details[0]", containsString("myspace"));
        given().header("X-Internal-Token", TOKEN).contentType(ContentType.JSON).body(Map.of("ownerId", "o", "platforms", List.of()))
                .post(path).then().statusCode(400).body("error", equalTo("Validation failed"));
        given().header("X-Internal-Token", TOKEN).contentType(ContentType.JSON).body("{\"ownerId\": ")
                .post(path).then().statusCode(400).contentType(ContentType.JSON).body("error", org.hamcrest.Matchers.notNullValue());
        given().header("X-Internal-Token", TOKEN).contentType(ContentType.JSON).body(Map.of("ownerId", "o", "platforms", "youtube"))
                .post(path).then().statusCode(400);
        given().header("X-Internal-Token", TOKEN).get("/publish/projects/not-a-uuid/publishings").then().statusCode(404)
                .contentType(ContentType.JSON);
        given().header("X-Internal-Token", TOKEN).contentType(ContentType.JSON)
                .body(Map.of("ownerId", "o", "platforms", List.of("youtube")))
                .post(path).then().statusCode(409).body("error", equalTo("Video not stored"));
    }

    @Test
    void storedVideoWithoutPlatformsIsKeptAndCanBePublishedAndRepublishedLater() throws Exception {
        TestVideos video = TestVideos.generate(300_000);
        video.sendStored(UUID.randomUUID(), null);
        String path = "/publish/projects/" + video.projectId + "/publishings";
        Map<String, Object> request = Map.of("ownerId", video.ownerId, "platforms", List.of("youtube"),
                "metadata", Map.of("title", "A better title"));
        // the video becomes known to this service once video.stored is consumed
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        int status;
        do {
            Thread.sleep(300);
            status = given().header("X-Internal-Token", TOKEN).contentType(ContentType.JSON).body(request).post(path).statusCode();
        } while (status == 409 && System.nanoTime() < deadline);
        assertEquals(202, status);

        JsonNode published = YouTubePublishingTest.awaitStatus(video, "published");
        JsonNode upload = YouTubePublishingTest.uploadsWithSha(sandboxUrl(), video.sha256).get(0);
        assertEquals("A better title", upload.path("metadata").path("snippet").path("title").asText());

        String again = given().header("X-Internal-Token", TOKEN).contentType(ContentType.JSON).body(request).post(path)
                .then().statusCode(202).body("$", hasSize(1)).extract().asString();
        assertEquals(published.get("publishingId").asText(), MAPPER.readTree(again).get(0).get("publishingId").asText());

        String republished = given().header("X-Internal-Token", TOKEN).contentType(ContentType.JSON)
                .body(Map.of("ownerId", video.ownerId, "platforms", List.of("youtube"), "republish", true)).post(path)
                .then().statusCode(202).body("[0].status", equalTo("pending")).extract().asString();
        assertNotEquals(published.get("publishingId").asText(), MAPPER.readTree(republished).get(0).get("publishingId").asText());
        given().header("X-Internal-Token", TOKEN).contentType(ContentType.JSON)
                .body(Map.of("ownerId", "someone-else", "platforms", List.of("youtube"))).post(path).then().statusCode(409);
    }

    @Test
    void contractExampleIsConsumed() throws Exception {
        String example = Contract.example("video.stored");
        JsonNode event = MAPPER.readTree(example);
        UUID projectId = UUID.fromString(event.get("projectId").asText());
        KafkaTestClient.send("video.stored", projectId.toString(), example);
        String path = "/publish/projects/" + projectId + "/publishings";
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        JsonNode listed;
        do {
            Thread.sleep(300);
            listed = MAPPER.readTree(given().header("X-Internal-Token", TOKEN).get(path).then().statusCode(200).extract().asString());
        } while (listed.isEmpty() && System.nanoTime() < deadline);
        assertEquals(1, listed.size(), "the example asks for youtube");
        assertEquals("youtube", listed.get(0).get("platform").asText());
        assertEquals(event.get("videoId").asText(), listed.get(0).get("videoId").asText());
    }

    @Test
    void scheduledTikTokPostWaitsForItsTimeAndIsCancelledByVideoDeleted() throws Exception {
        TestVideos video = TestVideos.generate(300_000);
        String publishAt = java.time.Instant.now().plusSeconds(3600).toString();
        KafkaTestClient.send("video.stored", video.projectId.toString(),
                video.storedEvent(UUID.randomUUID(), List.of("tiktok"), publishAt));
        String path = "/publish/projects/" + video.projectId + "/publishings";
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        JsonNode listed;
        do {
            Thread.sleep(300);
            listed = MAPPER.readTree(given().header("X-Internal-Token", TOKEN).get(path).then().statusCode(200).extract().asString());
        } while (listed.isEmpty() && System.nanoTime() < deadline);
        assertEquals(1, listed.size());
        Thread.sleep(1500);
        listed = MAPPER.readTree(given().header("X-Internal-Token", TOKEN).get(path).then().statusCode(200).extract().asString());
        assertEquals("pending", listed.get(0).get("status").asText(), "not before publishAt: " + listed);
        assertEquals(java.time.Instant.parse(publishAt).toEpochMilli(), java.time.Instant.parse(listed.get(0).get("publishAt").asText())
                .toEpochMilli());

        KafkaTestClient.send("video.deleted", video.projectId.toString(), "{\"eventId\":\"" + UUID.randomUUID() + "\",\"projectId\":\""
                + video.projectId + "\",\"ownerId\":\"" + video.ownerId + "\",\"occurredAt\":\"2026-11-24T12:00:00Z\"}");
        deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        do {
            Thread.sleep(300);
            listed = MAPPER.readTree(given().header("X-Internal-Token", TOKEN).get(path).then().statusCode(200).extract().asString());
        } while (!listed.isEmpty() && System.nanoTime() < deadline);
        assertEquals(0, listed.size(), "the pending publishing is cancelled");
        given().header("X-Internal-Token", TOKEN).contentType(ContentType.JSON)
                .body(Map.of("ownerId", video.ownerId, "platforms", List.of("tiktok"))).post(path).then().statusCode(409);
    }

    private static String sandboxUrl() {
        return org.eclipse.microprofile.config.ConfigProvider.getConfig().getValue("sandbox.url", String.class);
    }
}
