package io.contentmachine.publish;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.contentmachine.testsupport.Contract;
import io.contentmachine.testsupport.KafkaResource;
import io.contentmachine.testsupport.KafkaTestClient;
import io.contentmachine.testsupport.PostgresResource;
import io.contentmachine.testsupport.SandboxResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 15: YouTube's made-for-kids and synthetic-media declarations per request (operator defaults otherwise), the stored
 * thumbnail set with thumbnails.set, and a first comment on YouTube and Instagram, whose failures never fail the publishing.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(SandboxResource.class)
@WithTestResource(StorageStandIn.class)
class PostOptionsPublishingTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(120);

    @ConfigProperty(name = "sandbox.url")
    String sandbox;

    @AfterEach
    void clearFaults() {
        given().delete(sandbox + "/sandbox/faults").then().statusCode(204);
    }

    /** Options carried by video.stored (the create request's config.publish): flags, thumbnail and comment reach YouTube. */
    @Test
    void theCreateRequestsYouTubeOptionsThumbnailAndCommentReachYouTube() throws Exception {
        TestVideos video = TestVideos.generate(300_000);
        byte[] jpeg = jpeg(40_000);
        StorageStandIn.serveThumbnail(video.projectId, jpeg);
        ObjectNode event = (ObjectNode) MAPPER.readTree(video.storedEvent(UUID.randomUUID(), List.of("youtube"), null));
        String comment = "Sources are in the description ✨ Which fact surprised you?";
        ((ObjectNode) event.get("publish")).set("youtube", MAPPER.valueToTree(Map.of("madeForKids", true,
                "containsSyntheticMedia", false, "firstComment", comment)));
        KafkaTestClient.send("video.stored", video.projectId.toString(), event.toString());

        JsonNode published = YouTubePublishingTest.awaitStatus(video, "published");
        assertTrue(published.path("error").isMissingNode() || published.path("error").isNull(), published.toString());
        String videoId = published.get("platformId").asText();
        JsonNode onYouTube = get("/sandbox/youtube/videos/" + videoId);
        assertTrue(onYouTube.path("status").path("selfDeclaredMadeForKids").asBoolean(false), onYouTube.toString());
        assertFalse(onYouTube.path("status").path("containsSyntheticMedia").asBoolean(true), onYouTube.toString());
        JsonNode thumbnail = get("/sandbox/youtube/videos/" + videoId + "/thumbnail");
        assertArrayEquals(jpeg, Base64.getDecoder().decode(thumbnail.get("base64").asText()), "the stored thumbnail, byte for byte");
        JsonNode comments = get("/sandbox/youtube/videos/" + videoId + "/comments");
        assertEquals(1, comments.size());
        assertEquals(comment, comments.get(0).get("text").asText());

        JsonNode listed = publishings(video).get(0);
        assertEquals("published", listed.get("status").asText());
        assertEquals(comments.get(0).get("id").asText(), listed.path("firstComment").path("id").asText());
        assertTrue(listed.path("error").isMissingNode() || listed.path("error").isNull(), listed.toString());
    }

    /**
     * Options of POST /publishings; without them the operator's defaults (made for kids: no, synthetic: yes). A thumbnail
     * YouTube refuses and a comment the token's scope does not allow leave the publishing published, with both noted.
     */
    @Test
    void defaultsApplyAndARefusedThumbnailAndCommentAreNotedNotFatal() throws Exception {
        TestVideos video = TestVideos.generate(300_000);
        StorageStandIn.serveThumbnail(video.projectId, "this is not an image".getBytes());
        video.sendStored(UUID.randomUUID(), null);
        given().contentType(ContentType.JSON).body(Map.of("platform", "youtube", "operation", "comments",
                "kind", "insufficient-permissions")).post(sandbox + "/sandbox/faults").then().statusCode(201);
        Map<String, Object> body = Map.of("ownerId", video.ownerId, "platforms", List.of("youtube"),
                "youtube", Map.of("firstComment", "First!"));
        await().atMost(WAIT).until(() -> given().header("X-Internal-Token", "test-internal-token").contentType(ContentType.JSON)
                .body(body).post("/publish/projects/" + video.projectId + "/publishings").then().extract().statusCode() == 202);

        JsonNode published = YouTubePublishingTest.awaitStatus(video, "published");
        String videoId = published.get("platformId").asText();
        assertEquals("thumbnail_not_set,first_comment_not_posted", published.path("error").path("code").asText(), published.toString());
        String message = published.path("error").path("message").asText();
        assertTrue(message.contains("invalidImage"), message);
        assertTrue(message.contains("insufficientPermissions") && message.contains("reconnect the YouTube account")
                && message.contains("youtube.force-ssl"), message);

        JsonNode onYouTube = get("/sandbox/youtube/videos/" + videoId);
        assertFalse(onYouTube.path("status").path("selfDeclaredMadeForKids").asBoolean(true), onYouTube.toString());
        assertTrue(onYouTube.path("status").path("containsSyntheticMedia").asBoolean(false), onYouTube.toString());
        given().get(sandbox + "/sandbox/youtube/videos/" + videoId + "/thumbnail").then().statusCode(404);
        assertEquals(0, get("/sandbox/youtube/videos/" + videoId + "/comments").size());

        JsonNode listed = publishings(video).get(0);
        assertEquals("published", listed.get("status").asText());
        assertEquals("thumbnail_not_set,first_comment_not_posted", listed.path("error").path("code").asText());
        assertTrue(listed.path("firstComment").isMissingNode(), listed.toString());
    }

    /**
     * A scheduled video is private until YouTube releases it, and YouTube takes no comment on a private video: the thumbnail
     * and the comment come when the publishing sees the video public.
     */
    @Test
    void aScheduledVideoGetsItsThumbnailAndCommentWhenYouTubeReleasesIt() throws Exception {
        TestVideos video = TestVideos.generate(200_000);
        byte[] jpeg = jpeg(10_000);
        StorageStandIn.serveThumbnail(video.projectId, jpeg);
        Instant publishAt = Instant.now().plusSeconds(8).truncatedTo(ChronoUnit.MILLIS);
        ObjectNode event = (ObjectNode) MAPPER.readTree(video.storedEvent(UUID.randomUUID(), List.of("youtube"), publishAt.toString()));
        ((ObjectNode) event.get("publish")).set("youtube", MAPPER.valueToTree(Map.of("firstComment", "Out now!")));
        KafkaTestClient.send("video.stored", video.projectId.toString(), event.toString());

        String videoId = YouTubePublishingTest.awaitStatus(video, "scheduled").get("platformId").asText();
        assertEquals(0, get("/sandbox/youtube/videos/" + videoId + "/comments").size(), "no comment before the release");
        JsonNode published = YouTubePublishingTest.awaitStatus(video, "published");
        assertTrue(published.path("error").isMissingNode() || published.path("error").isNull(), published.toString());
        JsonNode comments = get("/sandbox/youtube/videos/" + videoId + "/comments");
        assertEquals(1, comments.size());
        assertEquals("Out now!", comments.get(0).get("text").asText());
        assertTrue(!Instant.parse(comments.get(0).get("publishedAt").asText()).isBefore(publishAt), comments.toString());
        assertArrayEquals(jpeg, Base64.getDecoder().decode(get("/sandbox/youtube/videos/" + videoId + "/thumbnail").get("base64")
                .asText()));
    }

    @Test
    void theFirstCommentIsPostedOnTheInstagramReel() throws Exception {
        TestVideos video = TestVideos.generate(200_000);
        video.sendStored(UUID.randomUUID(), null);
        String comment = "Which fact surprised you? #octopus #science";
        Map<String, Object> body = Map.of("ownerId", video.ownerId, "platforms", List.of("instagram"),
                "instagram", Map.of("firstComment", comment));
        await().atMost(WAIT).until(() -> given().header("X-Internal-Token", "test-internal-token").contentType(ContentType.JSON)
                .body(body).post("/publish/projects/" + video.projectId + "/publishings").then().extract().statusCode() == 202);

        var record = KafkaTestClient.awaitOne("video.published", r -> video.projectId.toString().equals(r.key())
                && r.value().contains("\"status\":\"published\""), WAIT);
        Contract.assertValid("video.published", record.value());
        String mediaId = MAPPER.readTree(record.value()).get("platformId").asText();
        JsonNode comments = get("/sandbox/instagram/media/" + mediaId + "/comments");
        assertEquals(1, comments.size(), comments.toString());
        assertEquals(comment, comments.get(0).get("text").asText());
        JsonNode listed = publishings(video).get(0);
        assertEquals(comments.get(0).get("id").asText(), listed.path("firstComment").path("id").asText(), listed.toString());
    }

    @Test
    void aCommentOverTheLimitIsRefusedWithA400NamingTheField() {
        TestVideos video = TestVideos.generate(1_000);
        given().header("X-Internal-Token", "test-internal-token").contentType(ContentType.JSON)
                .body(Map.of("ownerId", video.ownerId, "platforms", List.of("instagram"), "instagram",
                        Map.of("firstComment", "x".repeat(2_201))))
                .post("/publish/projects/" + video.projectId + "/publishings").then().statusCode(400)
                .body(containsString("firstComment"));
    }

    private JsonNode get(String path) throws Exception {
        return MAPPER.readTree(given().get(sandbox + path).then().statusCode(200).extract().asString());
    }

    private static JsonNode publishings(TestVideos video) throws Exception {
        return MAPPER.readTree(given().header("X-Internal-Token", "test-internal-token")
                .get("/publish/projects/" + video.projectId + "/publishings").then().statusCode(200).extract().asString());
    }

    /** Bytes with JPEG's signature (SOI marker), random after it. */
    private static byte[] jpeg(int size) {
        byte[] bytes = new byte[size];
        new Random(15).nextBytes(bytes);
        bytes[0] = (byte) 0xff;
        bytes[1] = (byte) 0xd8;
        bytes[2] = (byte) 0xff;
        return bytes;
    }
}
