package io.contentmachine.publish;

import static io.contentmachine.publish.YouTubePublishingTest.awaitStatus;
import static io.contentmachine.publish.YouTubePublishingTest.uploadsWithSha;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

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
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Rate limits and quotas are waits, not failures: the publishing shows waiting (why, until when) and goes on by itself
 * when the platform allows it again; the account's pause holds its other publishings back without calling the platform.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(SandboxResource.class)
@WithTestResource(StorageStandIn.class)
class RateLimitsTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String TOKEN = "test-internal-token";
    private static final int BURST = 8;

    @ConfigProperty(name = "sandbox.url")
    String sandbox;

    @AfterEach
    void clearFaults() {
        given().delete(sandbox + "/sandbox/faults").then().statusCode(204);
    }

    @Test
    void burstOfTikTokPublishesThroughOneTokenAllEndPublished() throws Exception {
        // one account with a token of its own, so the sandbox's per-token limit (6 inits a minute) counts only this burst
        TestVideos first = TestVideos.generate(300_000);
        SandboxTokens.Pair tokens = SandboxTokens.tiktok(sandbox);
        given().header("X-Internal-Token", TOKEN).contentType(ContentType.JSON)
                .body(Map.of("accessToken", tokens.accessToken(), "refreshToken", tokens.refreshToken()))
                .put("/publish/accounts/" + first.ownerId + "/tiktok").then().statusCode(200);
        List<TestVideos> burst = new ArrayList<>(List.of(first));
        while (burst.size() < BURST) {
            burst.add(first.sameOwnerNewProject());
        }
        Instant start = Instant.now();
        burst.forEach(video -> video.sendStored(UUID.randomUUID(), List.of("tiktok")));

        // the inits beyond the sixth wait for a free slot of the minute, shown as waiting with the pacing's reason
        Set<String> projects = burst.stream().map(video -> video.projectId.toString()).collect(Collectors.toSet());
        List<ConsumerRecord<String, String>> paced = KafkaTestClient.await("video.published", r -> projects.contains(r.key())
                && r.value().contains("\"status\":\"waiting\"") && r.value().contains("\"reason\":\"rate_limit\""),
                BURST - 6, Duration.ofSeconds(60));
        for (ConsumerRecord<String, String> record : paced) {
            Contract.assertValid("video.published", record.value());
            Instant until = Instant.parse(MAPPER.readTree(record.value()).path("waiting").path("until").asText());
            assertTrue(until.isAfter(start.plusSeconds(50)) && until.isBefore(start.plusSeconds(120)), record.value());
        }
        for (TestVideos video : burst) {
            JsonNode published = awaitStatus(video, "published");
            assertEquals("tiktok", published.path("platform").asText());
            assertNull(published.get("waiting"), published.toString());
        }
        // every video posted once, and no publishing of the burst ever failed
        assertEquals(BURST, uploadsWithSha(sandbox, first.sha256).stream()
                .filter(upload -> "tiktok".equals(upload.path("platform").asText())).count());
        for (TestVideos video : burst) {
            JsonNode listed = list(video);
            assertEquals("published", listed.get(0).path("status").asText(), listed.toString());
        }
        assertTrue(Duration.between(start, Instant.now()).toSeconds() >= 55, "the last inits waited for the next minute");
    }

    @Test
    void youTubeQuotaWaitsUntilMidnightPacificAndHoldsTheAccountsOtherPublishings() throws Exception {
        arm(Map.of("platform", "youtube", "operation", "init", "kind", "quota-exceeded", "count", 5));
        TestVideos video = TestVideos.generate(300_000);
        video.sendStored(UUID.randomUUID(), List.of("youtube"));

        JsonNode waiting = awaitStatus(video, "waiting");
        assertEquals("quotaExceeded", waiting.path("waiting").path("reason").asText(), waiting.toString());
        assertTrue(waiting.path("waiting").path("message").asText().contains("quotaExceeded"), waiting.toString());
        Instant until = Instant.parse(waiting.path("waiting").path("until").asText());
        assertEquals(LocalTime.MIDNIGHT, until.atZone(ZoneId.of("America/Los_Angeles")).toLocalTime(), until.toString());
        assertTrue(until.isAfter(Instant.now()) && until.isBefore(Instant.now().plus(Duration.ofHours(25))), until.toString());
        assertFalse(waiting.has("error"), waiting.toString());

        // another video of the same account waits for the same reset without asking YouTube
        TestVideos second = video.sameOwnerNewProject();
        second.sendStored(UUID.randomUUID(), List.of("youtube"));
        JsonNode secondWaiting = awaitStatus(second, "waiting");
        assertEquals("quotaExceeded", secondWaiting.path("waiting").path("reason").asText());
        assertEquals(until, Instant.parse(secondWaiting.path("waiting").path("until").asText()));
        JsonNode faults = MAPPER.readTree(given().get(sandbox + "/sandbox/faults").asString());
        assertEquals(4, faults.get(0).get("count").asInt(), "one init call in all: " + faults);
        // operators see the platform holding videos back, apart from failures
        await().atMost(Duration.ofSeconds(40)).untilAsserted(() -> {
            String metrics = given().get("/q/metrics").asString();
            assertTrue(metrics.lines().anyMatch(line -> line.startsWith("contentmachine_publishings_waiting{platform=\"youtube\"}")
                    && Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)) >= 2), "waiting gauge in:\n" + metrics.lines()
                    .filter(line -> line.startsWith("contentmachine_publishings_waiting")).toList());
        });
        assertTrue(uploadsWithSha(sandbox, video.sha256).isEmpty());

        JsonNode listed = list(video);
        assertEquals("waiting", listed.get(0).path("status").asText(), listed.toString());
        assertEquals("quotaExceeded", listed.get(0).path("waiting").path("reason").asText());
        assertEquals(until, Instant.parse(listed.get(0).path("waiting").path("until").asText()));
        assertTrue(listed.get(0).path("error").isNull(), "waiting is no failure: " + listed);
    }

    @Test
    void usedUpInstagramPublishingLimitWaitsThenPublishes() throws Exception {
        // media_publish refused once with "the maximum number of posts ... in 24 hours" (subcode 2207042)
        arm(Map.of("platform", "instagram", "operation", "publish", "kind", "quota-exceeded", "count", 1));
        TestVideos video = TestVideos.generate(300_000);
        video.sendStored(UUID.randomUUID(), List.of("instagram"));

        JsonNode waiting = awaitStatus(video, "waiting");
        assertEquals("publishing_limit", waiting.path("waiting").path("reason").asText(), waiting.toString());
        assertTrue(Instant.parse(waiting.path("waiting").path("until").asText()).isAfter(Instant.parse(waiting.path("occurredAt")
                .asText())), waiting.toString());
        JsonNode published = awaitStatus(video, "published");
        assertTrue(published.path("url").asText().startsWith("https://www.instagram.com/"), published.toString());
        assertEquals(1, uploadsWithSha(sandbox, video.sha256).size());
    }

    @Test
    void youTubeRateLimitWaitsForRetryAfterThenUploadsOnce() throws Exception {
        arm(Map.of("platform", "youtube", "operation", "init", "kind", "rate-limit", "count", 1, "retryAfterSeconds", 2));
        TestVideos video = TestVideos.generate(300_000);
        video.sendStored(UUID.randomUUID(), List.of("youtube"));

        JsonNode waiting = awaitStatus(video, "waiting");
        Instant occurred = Instant.parse(waiting.path("occurredAt").asText());
        Instant until = Instant.parse(waiting.path("waiting").path("until").asText());
        assertTrue(!until.isBefore(occurred.plusMillis(1500)) && until.isBefore(occurred.plusSeconds(10)), waiting.toString());
        awaitStatus(video, "published");
        assertEquals(1, uploadsWithSha(sandbox, video.sha256).size());
    }

    private void arm(Map<String, Object> fault) {
        given().contentType(ContentType.JSON).body(fault).post(sandbox + "/sandbox/faults").then().statusCode(201);
    }

    private static JsonNode list(TestVideos video) throws Exception {
        return MAPPER.readTree(given().header("X-Internal-Token", TOKEN).get("/publish/projects/" + video.projectId + "/publishings")
                .then().statusCode(200).extract().asString());
    }
}
