package io.contentmachine.publish;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.contentmachine.kit.outbox.OutboxEvent;
import io.contentmachine.publish.domain.PublishJob;
import io.contentmachine.testsupport.Contract;
import io.contentmachine.testsupport.KafkaResource;
import io.contentmachine.testsupport.KafkaTestClient;
import io.contentmachine.testsupport.PostgresResource;
import io.contentmachine.testsupport.SandboxResource;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.http.ContentType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** video.stored → YouTube resumable upload on the platform sandbox → video.published, with the sandbox's faults. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(SandboxResource.class)
@WithTestResource(StorageStandIn.class)
class YouTubePublishingTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(120);

    @ConfigProperty(name = "sandbox.url")
    String sandbox;

    @AfterEach
    void clearFaults() {
        given().delete(sandbox + "/sandbox/faults").then().statusCode(204);
    }

    @Test
    void storedVideoIsUploadedInChunksAndAnnounced() throws Exception {
        TestVideos video = TestVideos.generate(1_300_000);
        video.sendStored(UUID.randomUUID(), List.of("youtube"));

        JsonNode published = awaitStatus(video, "published");
        assertEquals("youtube", published.get("platform").asText());
        assertEquals(video.videoId.toString(), published.get("videoId").asText());
        String platformId = published.get("platformId").asText();
        assertEquals("https://www.youtube.com/shorts/" + platformId, published.get("url").asText());
        assertNotNull(published.get("publishedAt"));

        JsonNode upload = uploadWithSha(video.sha256);
        assertEquals(video.size, upload.get("sizeBytes").asLong());
        assertEquals(platformId, upload.get("id").asText());
        JsonNode snippet = upload.path("metadata").path("snippet");
        assertTrue(snippet.path("title").asText().startsWith("Why octopuses have three hearts"), upload.toString());
        assertEquals("A 30 second explainer about octopus hearts.\n\n#octopus #ocean", snippet.path("description").asText());
        assertEquals("28", snippet.path("categoryId").asText());
        assertEquals(List.of("octopus", "ocean life", "biology"), MAPPER.convertValue(snippet.path("tags"), List.class));
        assertEquals(false, upload.path("metadata").path("status").path("selfDeclaredMadeForKids").asBoolean(true));
        assertEquals(true, upload.path("metadata").path("status").path("containsSyntheticMedia").asBoolean(false),
                "generated videos are declared synthetic");

        JsonNode listed = MAPPER.readTree(given().header("X-Internal-Token", "test-internal-token")
                .get("/publish/projects/" + video.projectId + "/publishings").then().statusCode(200).extract().asString());
        assertEquals(1, listed.size());
        assertEquals("published", listed.get(0).get("status").asText());
        assertEquals(platformId, listed.get(0).get("platformId").asText());
        assertEquals(published.get("publishingId").asText(), listed.get(0).get("publishingId").asText());

        // the statistics pull announces the video's figures and shows them in the list
        ConsumerRecord<String, String> metrics = KafkaTestClient.awaitOne("video.metrics",
                r -> video.projectId.toString().equals(r.key()), WAIT);
        Contract.assertValid("video.metrics", metrics.value());
        JsonNode figures = MAPPER.readTree(metrics.value());
        assertEquals(published.get("publishingId").asText(), figures.get("publishingId").asText());
        assertTrue(figures.get("views").asLong() >= 0);
        JsonNode withMetrics = MAPPER.readTree(given().header("X-Internal-Token", "test-internal-token")
                .get("/publish/projects/" + video.projectId + "/publishings").then().statusCode(200).extract().asString());
        assertEquals(figures.get("views").asLong(), withMetrics.get(0).path("metrics").path("views").asLong(-1));
    }

    /**
     * A video scheduled on YouTube (uploaded private with status.publishAt) is announced scheduled, then published once
     * YouTube has made it public at publishAt, and from then on gets metrics like any published video.
     */
    @Test
    void scheduledVideoIsPublishedWhenYouTubeReleasesItThenGetsMetrics() throws Exception {
        TestVideos video = TestVideos.generate(300_000);
        Instant publishAt = Instant.now().plusSeconds(8).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        KafkaTestClient.send("video.stored", video.projectId.toString(),
                video.storedEvent(UUID.randomUUID(), List.of("youtube"), publishAt.toString()));

        JsonNode scheduled = awaitStatus(video, "scheduled");
        String platformId = scheduled.get("platformId").asText();
        JsonNode upload = uploadWithSha(video.sha256);
        assertEquals("private", upload.path("metadata").path("status").path("privacyStatus").asText());
        assertEquals(publishAt, Instant.parse(upload.path("metadata").path("status").path("publishAt").asText()));

        JsonNode published = awaitStatus(video, "published");
        assertEquals(platformId, published.get("platformId").asText());
        assertEquals("https://www.youtube.com/shorts/" + platformId, published.get("url").asText());
        Instant publishedAt = Instant.parse(published.get("publishedAt").asText());
        assertTrue(!publishedAt.isBefore(publishAt), "published at " + publishedAt + ", before its publishAt " + publishAt);
        ConsumerRecord<String, String> metrics = KafkaTestClient.awaitOne("video.metrics",
                r -> video.projectId.toString().equals(r.key()), WAIT);
        assertEquals(published.get("publishingId").asText(), MAPPER.readTree(metrics.value()).get("publishingId").asText());
        assertEquals(1, uploadsWithSha(sandbox, video.sha256).size(), "uploaded once");
    }

    @Test
    void redeliveredEventsDoNotUploadTwice() throws Exception {
        TestVideos video = TestVideos.generate(600_000);
        UUID eventId = UUID.randomUUID();
        video.sendStored(eventId, List.of("youtube"));
        awaitStatus(video, "published");
        // the same event again, and the same video announced again under a new eventId (storage-service redelivery)
        video.sendStored(eventId, List.of("youtube"));
        video.sendStored(UUID.randomUUID(), List.of("youtube"));
        // and the gateway asking again without republish
        given().header("X-Internal-Token", "test-internal-token").contentType(ContentType.JSON)
                .body(Map.of("ownerId", video.ownerId, "platforms", List.of("youtube")))
                .post("/publish/projects/" + video.projectId + "/publishings").then().statusCode(202);
        Thread.sleep(3000);

        assertEquals(1, uploadsWithSha(sandbox, video.sha256).size());
        JsonNode listed = MAPPER.readTree(given().header("X-Internal-Token", "test-internal-token")
                .get("/publish/projects/" + video.projectId + "/publishings").then().statusCode(200).extract().asString());
        assertEquals(1, listed.size());
    }

    @Test
    void serverErrorsAreRetriedWithBackoff() throws Exception {
        arm(Map.of("platform", "youtube", "operation", "upload", "kind", "http-5xx", "count", 3, "status", 503));
        arm(Map.of("platform", "youtube", "operation", "init", "kind", "http-5xx", "count", 2));
        TestVideos video = TestVideos.generate(900_000);
        video.sendStored(UUID.randomUUID(), List.of("youtube"));

        awaitStatus(video, "published");
        assertEquals(1, uploadsWithSha(sandbox, video.sha256).size());
        assertTrue(MAPPER.readTree(given().get(sandbox + "/sandbox/faults").asString()).isEmpty(), "every armed fault was hit");
    }

    @Test
    void droppedConnectionResumesFromTheByteTheSessionHolds() throws Exception {
        // a chunk's connection is cut after 100,000 bytes
        arm(Map.of("platform", "youtube", "operation", "upload", "kind", "drop-connection", "count", 1, "skip", 1,
                "afterBytes", 100_000));
        TestVideos video = TestVideos.generate(1_000_000);
        video.sendStored(UUID.randomUUID(), List.of("youtube"));

        awaitStatus(video, "published");
        JsonNode upload = uploadWithSha(video.sha256);
        assertEquals(video.size, upload.get("sizeBytes").asLong());
        // resumed, not restarted: after the cut the source was opened again at the first byte the session lacked
        // (the session keeps at least the 100,000 bytes before the cut; a restart from zero would read 2 x size)
        long served = StorageStandIn.bytesServed(video.projectId);
        assertTrue(served <= 2 * video.size - 100_000, "bytes read from storage: " + served);
    }

    private void arm(Map<String, Object> fault) {
        given().contentType(ContentType.JSON).body(fault).post(sandbox + "/sandbox/faults").then().statusCode(201);
    }

    /** Waits for this project's video.published with the status, checks it against the contract and returns it. */
    static JsonNode awaitStatus(TestVideos video, String status) throws Exception {
        ConsumerRecord<String, String> record;
        try {
            record = KafkaTestClient.awaitOne("video.published",
                    r -> video.projectId.toString().equals(r.key()) && r.value().contains("\"status\":\"" + status + "\""), WAIT);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; " + diagnosis(video), e);
        }
        Contract.assertValid("video.published", record.value());
        assertEquals("contentmachine.video.published.v1", KafkaTestClient.header(record, "ce_type"));
        Contract.assertTraceparent(record);
        JsonNode event = MAPPER.readTree(record.value());
        assertEquals(KafkaTestClient.header(record, "ce_id"), event.get("eventId").asText());
        return event;
    }

    /** What the service and its tables say of a project whose event did not come: the publishings, their jobs, the outbox. */
    private static String diagnosis(TestVideos video) {
        try {
            String publishings = given().header("X-Internal-Token", "test-internal-token")
                    .get("/publish/projects/" + video.projectId + "/publishings").then().extract().asString();
            String jobs = VertxContextSupport.subscribeAndAwait(() -> Panache.withSession(() -> PublishJob.<PublishJob>listAll()
                    .map(all -> all.stream().map(j -> j.publishingId + " runAt=" + j.runAt + " lockedUntil=" + j.lockedUntil
                            + " attempts=" + j.attempts).toList().toString())));
            Long outbox = VertxContextSupport.subscribeAndAwait(() -> Panache.withSession(() -> OutboxEvent.count()));
            return "publishings " + publishings + "; jobs " + jobs + "; outbox rows " + outbox + " at " + java.time.Instant.now();
        } catch (Throwable t) {
            return "no diagnosis: " + t;
        }
    }

    static JsonNode json(String text) throws Exception {
        return MAPPER.readTree(text);
    }

    static List<JsonNode> uploadsWithSha(String sandbox, String sha256) throws Exception {
        JsonNode all = MAPPER.readTree(given().get(sandbox + "/sandbox/uploads").then().statusCode(200).extract().asString());
        List<JsonNode> matching = new java.util.ArrayList<>();
        all.forEach(upload -> {
            if (sha256.equals(upload.path("sha256").asText())) {
                matching.add(upload);
            }
        });
        return matching;
    }

    private JsonNode uploadWithSha(String sha256) throws Exception {
        List<JsonNode> found = uploadsWithSha(sandbox, sha256);
        assertEquals(1, found.size(), "uploads with sha256 " + sha256);
        return found.get(0);
    }
}
