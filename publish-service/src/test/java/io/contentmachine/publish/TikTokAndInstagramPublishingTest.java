package io.contentmachine.publish;

import static io.contentmachine.publish.YouTubePublishingTest.awaitStatus;
import static io.contentmachine.publish.YouTubePublishingTest.uploadsWithSha;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.contentmachine.testsupport.KafkaResource;
import io.contentmachine.testsupport.PostgresResource;
import io.contentmachine.testsupport.SandboxResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** TikTok FILE_UPLOAD and Instagram Reels on the platform sandbox, several platforms of one video in parallel. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(SandboxResource.class)
@WithTestResource(StorageStandIn.class)
class TikTokAndInstagramPublishingTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @ConfigProperty(name = "sandbox.url")
    String sandbox;

    @AfterEach
    void clearFaults() {
        given().delete(sandbox + "/sandbox/faults").then().statusCode(204);
    }

    @Test
    void threePlatformsPublishIndependently() throws Exception {
        // 12,000,000 bytes with 5 MiB chunks: 2 TikTok chunks, the last one 6,757,120 bytes
        TestVideos video = TestVideos.generate(12_000_000);
        video.sendStored(UUID.randomUUID(), List.of("youtube", "tiktok", "instagram"));

        JsonNode tiktok = awaitPublished(video, "tiktok");
        JsonNode instagram = awaitPublished(video, "instagram");
        JsonNode youtube = awaitPublished(video, "youtube");
        assertTrue(tiktok.path("url").asText().startsWith("https://www.tiktok.com/@"), tiktok.toString());
        assertTrue(instagram.path("url").asText().startsWith("https://www.instagram.com/"), instagram.toString());
        assertTrue(youtube.path("url").asText().startsWith("https://www.youtube.com/shorts/"), youtube.toString());

        List<JsonNode> uploads = uploadsWithSha(sandbox, video.sha256);
        assertEquals(3, uploads.size(), uploads.toString());
        for (JsonNode upload : uploads) {
            assertEquals(video.size, upload.get("sizeBytes").asLong(), upload.toString());
        }
        JsonNode tiktokUpload = uploads.stream().filter(u -> "tiktok".equals(u.path("platform").asText())).findFirst().orElseThrow();
        String title = tiktokUpload.path("metadata").path("post_info").path("title").asText();
        assertTrue(title.startsWith("Why octopuses have three hearts") && title.endsWith("#octopus #ocean"), tiktokUpload.toString());
    }

    @Test
    void tiktokFailureIsReadFromDataStatusAndDoesNotStopInstagram() throws Exception {
        arm(Map.of("platform", "tiktok", "operation", "init", "kind", "tiktok-failed", "count", 1, "failReason", "file_format_check_failed"));
        TestVideos video = TestVideos.generate(400_000);
        video.sendStored(UUID.randomUUID(), List.of("tiktok", "instagram"));

        JsonNode failed = awaitStatus(video, "failed");
        assertEquals("tiktok", failed.get("platform").asText());
        assertEquals("file_format_check_failed", failed.path("error").path("code").asText(), failed.toString());
        assertEquals("instagram", awaitPublished(video, "instagram").get("platform").asText());
    }

    @Test
    void instagramContainerErrorFailsWithThePlatformsReason() throws Exception {
        arm(Map.of("platform", "instagram", "operation", "container", "kind", "container-error", "count", 1));
        TestVideos video = TestVideos.generate(300_000);
        video.sendStored(UUID.randomUUID(), List.of("instagram"));

        JsonNode failed = awaitStatus(video, "failed");
        assertEquals("container_error", failed.path("error").path("code").asText(), failed.toString());
    }

    @Test
    void instagramExpiredContainerIsRecreatedOnce() throws Exception {
        arm(Map.of("platform", "instagram", "operation", "container", "kind", "container-expired", "count", 1));
        TestVideos video = TestVideos.generate(300_000);
        video.sendStored(UUID.randomUUID(), List.of("instagram"));

        awaitPublished(video, "instagram");
        assertTrue(MAPPER.readTree(given().get(sandbox + "/sandbox/faults").asString()).isEmpty(), "the expiry was hit");
        List<JsonNode> containers = uploadsWithSha(sandbox, video.sha256);
        assertEquals(1, containers.stream().filter(u -> "PUBLISHED".equals(u.path("status").asText())).count(), containers.toString());
    }

    @Test
    void tiktokRateLimitIsRetriedAfterRetryAfter() throws Exception {
        arm(Map.of("platform", "tiktok", "operation", "init", "kind", "rate-limit", "count", 1, "retryAfterSeconds", 1));
        TestVideos video = TestVideos.generate(300_000);
        long start = System.nanoTime();
        video.sendStored(UUID.randomUUID(), List.of("tiktok"));

        awaitPublished(video, "tiktok");
        assertTrue(System.nanoTime() - start >= 1_000_000_000L, "Retry-After honoured");
        assertEquals(1, uploadsWithSha(sandbox, video.sha256).size());
    }

    @Test
    void tiktokAndInstagramFiguresArePulledIntoMetrics() throws Exception {
        TestVideos video = TestVideos.generate(300_000);
        video.sendStored(UUID.randomUUID(), List.of("tiktok", "instagram"));
        awaitPublished(video, "tiktok");
        awaitPublished(video, "instagram");

        // the sandbox counts one view a second after publishing: wait for figures that are not all zero
        for (String platform : List.of("tiktok", "instagram")) {
            var record = io.contentmachine.testsupport.KafkaTestClient.awaitOne("video.metrics",
                    r -> video.projectId.toString().equals(r.key()) && r.value().contains("\"platform\":\"" + platform + "\"")
                            && !r.value().contains("\"views\":0"), java.time.Duration.ofSeconds(60));
            io.contentmachine.testsupport.Contract.assertValid("video.metrics", record.value());
            JsonNode figures = MAPPER.readTree(record.value());
            assertTrue(figures.get("views").asLong() >= 1, figures.toString());
            assertTrue(figures.get("likes").asLong() <= figures.get("views").asLong(), figures.toString());
            JsonNode listed = MAPPER.readTree(given().header("X-Internal-Token", "test-internal-token")
                    .get("/publish/projects/" + video.projectId + "/publishings").then().statusCode(200).extract().asString());
            JsonNode mine = null;
            for (JsonNode p : listed) {
                if (platform.equals(p.path("platform").asText())) {
                    mine = p;
                }
            }
            assertTrue(mine != null && mine.path("metrics").path("views").asLong(-1) >= figures.get("views").asLong(), listed.toString());
        }
    }

    private JsonNode awaitPublished(TestVideos video, String platform) throws Exception {
        var record = io.contentmachine.testsupport.KafkaTestClient.awaitOne("video.published",
                r -> video.projectId.toString().equals(r.key()) && r.value().contains("\"status\":\"published\"")
                        && r.value().contains("\"platform\":\"" + platform + "\""), java.time.Duration.ofSeconds(90));
        io.contentmachine.testsupport.Contract.assertValid("video.published", record.value());
        return MAPPER.readTree(record.value());
    }

    private void arm(Map<String, Object> fault) {
        given().contentType(ContentType.JSON).body(fault).post(sandbox + "/sandbox/faults").then().statusCode(201);
    }
}
