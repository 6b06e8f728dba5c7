package io.contentmachine.publish;

import static io.contentmachine.publish.YouTubePublishingTest.awaitStatus;
import static io.contentmachine.publish.YouTubePublishingTest.uploadsWithSha;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
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
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** TikTok FILE_UPLOAD and Instagram Reels on the platform sandbox, several platforms of one video in parallel. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(SandboxResource.class)
@WithTestResource(StorageStandIn.class)
class TikTokAndInstagramPublishingTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String TOKEN = "test-internal-token";

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
        arm(Map.of("platform", "tiktok", "operation", "init", "kind", "tiktok-failed", "count", 1, "failReason",
                "file_format_check_failed"));
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
            var record = KafkaTestClient.awaitOne("video.metrics",
                    r -> video.projectId.toString().equals(r.key()) && r.value().contains("\"platform\":\"" + platform + "\"")
                            && !r.value().contains("\"views\":0"), Duration.ofSeconds(60));
            Contract.assertValid("video.metrics", record.value());
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

    @Test
    void expiredStoredTokenIsRefreshedBeforeTheMetricsPullAndNeverSent() throws Exception {
        TestVideos video = TestVideos.generate(300_000);
        connect(video.ownerId, "tiktok", SandboxTokens.tiktok(sandbox), Instant.now().plusSeconds(3600));
        video.sendStored(UUID.randomUUID(), List.of("tiktok"));
        awaitPublished(video, "tiktok");

        // published; now the stored access token has expired: the pull must refresh it first, not send it
        SandboxTokens.Pair later = SandboxTokens.tiktok(sandbox);
        String stale = "stale-" + UUID.randomUUID();
        connect(video.ownerId, "tiktok", new SandboxTokens.Pair(stale, later.refreshToken()), Instant.now().minusSeconds(60));
        Awaitility.await().atMost(Duration.ofSeconds(60))
                .until(() -> SandboxTokens.refreshes(sandbox).contains("tiktok/" + later.refreshToken()));
        JsonNode figures = awaitMetrics(video, "tiktok", Instant.now());
        assertTrue(figures.get("views").asLong() >= 1, figures.toString());
        assertFalse(SandboxTokens.rejected(sandbox).contains(stale), "the expired token was sent to TikTok");
        // the rotated tokens were saved: the account is connected with the new expiry
        JsonNode account = MAPPER.readTree(given().header("X-Internal-Token", TOKEN).get("/publish/accounts/" + video.ownerId + "/tiktok")
                .then().statusCode(200).extract().asString());
        assertEquals("connected", account.path("status").asText(), account.toString());
        assertTrue(Instant.parse(account.path("expiresAt").asText()).isAfter(Instant.now().plusSeconds(1800)), account.toString());
        assertFalse(account.toString().contains(later.refreshToken()), "tokens are not shown");
    }

    @Test
    void refusedTokenIsRefreshedOnceAndThePullRetried() throws Exception {
        TestVideos video = TestVideos.generate(300_000);
        connect(video.ownerId, "youtube", SandboxTokens.youtube(sandbox), Instant.now().plusSeconds(3600));
        video.sendStored(UUID.randomUUID(), List.of("youtube"));
        awaitPublished(video, "youtube");

        // a token the platform no longer accepts although its expiry is far off (revoked, say): refused once, refreshed
        SandboxTokens.Pair later = SandboxTokens.youtube(sandbox);
        String refused = "refused-" + UUID.randomUUID();
        connect(video.ownerId, "youtube", new SandboxTokens.Pair(refused, later.refreshToken()), Instant.now().plusSeconds(3600));
        Awaitility.await().atMost(Duration.ofSeconds(60))
                .until(() -> SandboxTokens.refreshes(sandbox).contains("youtube/" + later.refreshToken()));
        assertTrue(SandboxTokens.rejected(sandbox).contains(refused), "the refusal was what led to the refresh");
        JsonNode figures = awaitMetrics(video, "youtube", Instant.now());
        Contract.assertValid("video.metrics", figures.toString());
        assertEquals(1, SandboxTokens.rejected(sandbox).stream().filter(refused::equals).count(), "refused once, then replaced");
    }

    @Test
    void invalidGrantAtTheMetricsPullDisconnectsTheAccount() throws Exception {
        TestVideos video = TestVideos.generate(300_000);
        connect(video.ownerId, "tiktok", SandboxTokens.tiktok(sandbox), Instant.now().plusSeconds(3600));
        video.sendStored(UUID.randomUUID(), List.of("tiktok"));
        awaitPublished(video, "tiktok");

        String stale = "stale-" + UUID.randomUUID();
        connect(video.ownerId, "tiktok", new SandboxTokens.Pair(stale, "revoked-" + UUID.randomUUID()), Instant.now().minusSeconds(60));
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> "disconnected".equals(given().header("X-Internal-Token", TOKEN)
                .get("/publish/accounts/" + video.ownerId + "/tiktok").then().statusCode(200).extract().path("status")));
        assertFalse(SandboxTokens.rejected(sandbox).contains(stale), "the expired token was sent to TikTok");
    }

    /** Stores the owner's tokens for the platform (as the OAuth connect flow would). */
    private static void connect(String ownerId, String platform, SandboxTokens.Pair tokens, Instant expiresAt) {
        given().header("X-Internal-Token", TOKEN).contentType(ContentType.JSON)
                .body(Map.of("accessToken", tokens.accessToken(), "refreshToken", tokens.refreshToken(), "expiresAt", expiresAt.toString()))
                .put("/publish/accounts/" + ownerId + "/" + platform).then().statusCode(200).body("status", equalTo("connected"));
    }

    /** A video.metrics event of this video on the platform collected after {@code since}. */
    private static JsonNode awaitMetrics(TestVideos video, String platform, Instant since) throws Exception {
        var record = KafkaTestClient.awaitOne("video.metrics",
                r -> video.projectId.toString().equals(r.key()) && r.value().contains("\"platform\":\"" + platform + "\"")
                        && Instant.parse(json(r.value()).path("collectedAt").asText()).isAfter(since), Duration.ofSeconds(60));
        Contract.assertValid("video.metrics", record.value());
        return MAPPER.readTree(record.value());
    }

    private static JsonNode json(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private JsonNode awaitPublished(TestVideos video, String platform) throws Exception {
        var record = KafkaTestClient.awaitOne("video.published",
                r -> video.projectId.toString().equals(r.key()) && r.value().contains("\"status\":\"published\"")
                        && r.value().contains("\"platform\":\"" + platform + "\""), Duration.ofSeconds(90));
        Contract.assertValid("video.published", record.value());
        return MAPPER.readTree(record.value());
    }

    private void arm(Map<String, Object> fault) {
        given().contentType(ContentType.JSON).body(fault).post(sandbox + "/sandbox/faults").then().statusCode(201);
    }
}
