package io.contentmachine.publish;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import io.contentmachine.publish.domain.PublishJob;
import io.contentmachine.publish.domain.Publishing;
import io.contentmachine.publish.domain.PublishingStatus;
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
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * video.failed with stage timeout (the gateway's stuck-project sweeper gave up on the project): the publishings that have
 * not reached a platform end failed with the reason, their jobs go, nothing is uploaded afterwards, and a late video.stored
 * creates nothing; a video.failed of another stage changes nothing.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(SandboxResource.class)
@WithTestResource(StorageStandIn.class)
class GivenUpProjectTest {

    private static final String TOKEN = "test-internal-token";

    @ConfigProperty(name = "sandbox.url")
    String sandbox;

    @Test
    void publishingsOfAProjectTheGatewayGaveUpOnEndAndNothingIsUploadedLater() throws Throwable {
        TestVideos video = TestVideos.generate(300_000);
        // TikTok and Instagram do not schedule natively: their jobs are due at publishAt, 20 s from now
        Instant publishAt = Instant.now().plusSeconds(20);
        KafkaTestClient.send("video.stored", video.projectId.toString(),
                video.storedEvent(UUID.randomUUID(), List.of("tiktok", "instagram"), publishAt.toString()));
        await().atMost(Duration.ofSeconds(60)).until(() -> publishings(video).size() == 2);
        // the Instagram one waits for the account's rate limit, as the worker leaves a held-back publishing
        VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> Publishing.<Publishing>find(
                "projectId = ?1 and platform = 'instagram'", video.projectId).singleResult().invoke(p -> {
                    p.status = PublishingStatus.WAITING.id();
                    p.resumeStatus = PublishingStatus.PENDING.id();
                    p.waitingUntil = publishAt;
                    p.waitReason = "rate_limit";
                    p.waitMessage = "the account's pace";
                })));

        KafkaTestClient.send("video.failed", video.projectId.toString(), failed(video, "timeout"));

        List<ConsumerRecord<String, String>> ended = KafkaTestClient.await("video.published",
                r -> video.projectId.toString().equals(r.key()) && r.value().contains("\"status\":\"failed\""), 2, Duration.ofSeconds(30));
        for (ConsumerRecord<String, String> record : ended) {
            Contract.assertValid("video.published", record.value());
            JsonNode event = YouTubePublishingTest.json(record.value());
            assertEquals("project_given_up", event.path("error").path("code").asText(), record.value());
            assertTrue(event.path("error").path("message").asText().contains("stuck in processing for 30 minutes"), record.value());
        }
        List<JsonNode> listed = publishings(video);
        assertEquals(List.of("failed", "failed"), listed.stream().map(p -> p.get("status").asText()).toList(), listed.toString());
        assertTrue(listed.stream().allMatch(p -> p.path("error").path("message").asText().startsWith("the gateway gave up")),
                listed.toString());
        assertEquals(0L, jobsOf(video));

        // a video.stored emitted just before the sweep and delivered now (YouTube would start at once) creates nothing
        UUID late = UUID.randomUUID();
        KafkaTestClient.send("video.stored", video.projectId.toString(), video.storedEvent(late, List.of("youtube"), null));
        await().atMost(Duration.ofSeconds(30)).until(() -> processed(late) == 1);
        // past publishAt nothing runs, nothing reaches a platform
        await().atMost(Duration.ofSeconds(40)).until(() -> Instant.now().isAfter(publishAt.plusSeconds(1)));
        await().atMost(Duration.ofSeconds(20)).during(Duration.ofSeconds(4)).until(() -> publishings(video).size() == 2
                && jobsOf(video) == 0 && YouTubePublishingTest.uploadsWithSha(sandbox, video.sha256).isEmpty());
        assertEquals(2, publishings(video).stream().filter(p -> "failed".equals(p.get("status").asText())).count());
    }

    @Test
    void failuresOfOtherStagesChangeNothing() throws Throwable {
        TestVideos video = TestVideos.generate(200_000);
        KafkaTestClient.send("video.stored", video.projectId.toString(),
                video.storedEvent(UUID.randomUUID(), List.of("tiktok"), Instant.now().plusSeconds(3600).toString()));
        await().atMost(Duration.ofSeconds(60)).until(() -> publishings(video).size() == 1);

        String failed = failed(video, "render");
        UUID eventId = UUID.fromString(YouTubePublishingTest.json(failed).get("eventId").asText());
        KafkaTestClient.send("video.failed", video.projectId.toString(), failed);
        await().atMost(Duration.ofSeconds(30)).until(() -> processed(eventId) == 1);

        List<JsonNode> listed = publishings(video);
        assertEquals("pending", listed.get(0).get("status").asText(), listed.toString());
        assertEquals(1L, jobsOf(video));
    }

    private static String failed(TestVideos video, String stage) {
        String json = "{\"eventId\":\"" + UUID.randomUUID() + "\",\"projectId\":\"" + video.projectId + "\",\"ownerId\":\""
                + video.ownerId + "\",\"occurredAt\":\"" + Instant.now() + "\",\"stage\":\"" + stage
                + "\",\"reason\":\"stuck in processing for 30 minutes\",\"retryable\":false}";
        Contract.assertValid("video.failed", json);
        return json;
    }

    private static List<JsonNode> publishings(TestVideos video) throws Exception {
        JsonNode all = YouTubePublishingTest.json(given().header("X-Internal-Token", TOKEN)
                .get("/publish/projects/" + video.projectId + "/publishings").then().statusCode(200).extract().asString());
        List<JsonNode> list = new java.util.ArrayList<>();
        all.forEach(list::add);
        return list;
    }

    private static long jobsOf(TestVideos video) throws Exception {
        try {
            return VertxContextSupport.subscribeAndAwait(() -> Panache.withSession(() -> PublishJob.count(
                    "publishingId in (select p.id from Publishing p where p.projectId = ?1)", video.projectId)));
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private static long processed(UUID eventId) throws Exception {
        try {
            return VertxContextSupport.subscribeAndAwait(() -> Panache.withSession(() -> Panache.getSession().chain(s -> s
                    .createNativeQuery("select count(*) from processed_events where event_id = ?1", Long.class)
                    .setParameter(1, eventId).getSingleResult())));
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }
}
