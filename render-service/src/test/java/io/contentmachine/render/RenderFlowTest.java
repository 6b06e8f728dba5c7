package io.contentmachine.render;

import static io.contentmachine.render.RenderTesting.MAPPER;
import static io.contentmachine.render.RenderTesting.count;
import static io.contentmachine.render.RenderTesting.request;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import io.contentmachine.render.client.Uploader;
import io.contentmachine.render.video.MediaProbe;
import io.contentmachine.render.video.RenderControl;
import io.contentmachine.testsupport.Contract;
import io.contentmachine.testsupport.KafkaResource;
import io.contentmachine.testsupport.KafkaTestClient;
import io.contentmachine.testsupport.PostgresDatabase;
import io.contentmachine.testsupport.PostgresResource;
import io.contentmachine.testsupport.S3Resource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/** From video.requested to an uploaded, checked video and one video.rendered, against real Kafka, Postgres and S3. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(S3Resource.class)
@WithTestResource(StorageGrantServer.class)
class RenderFlowTest {

    static final String HOSTILE = "你好世界 😀 It's 100% \"real\": C:\\new\\path; {x} %{pts} 'quoted' שלום";
    static final Duration RENDER = Duration.ofSeconds(150);

    PostgresDatabase database;

    @Inject
    Uploader uploader;

    @Test
    void aFileOverThePartSizeIsUploadedWithPartChecksumsTheServerChecks() throws Exception {
        // 12 MiB + a little: three parts of the tests' 5 MiB part size, each part's SHA-256 in the grant request
        byte[] data = new byte[(12 << 20) + 4321];
        new java.util.Random(18).nextBytes(data);
        Path file = Files.createTempFile("cm-upload-", ".mp4");
        try {
            Files.write(file, data);
            String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
            UUID project = UUID.randomUUID();
            String key = uploader.upload(project, file, sha256, "video/mp4", RenderControl.unlimited());

            List<String> signed = StorageGrantServer.PART_CHECKSUMS.get(key);
            assertEquals(3, signed.size(), "one signed SHA-256 per part");
            String first = java.util.Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256")
                    .digest(java.util.Arrays.copyOfRange(data, 0, 5 << 20)));
            assertEquals(first, signed.get(0));
            HeadObjectResponse head = StorageGrantServer.s3().headObject(b -> b.bucket(StorageGrantServer.BUCKET).key(key)
                    .checksumMode(ChecksumMode.ENABLED));
            // the server verified every part and reports the composite: SHA-256 of the part digests, "-3"
            MessageDigest composite = MessageDigest.getInstance("SHA-256");
            signed.forEach(b64 -> composite.update(java.util.Base64.getDecoder().decode(b64)));
            assertEquals(java.util.Base64.getEncoder().encodeToString(composite.digest()) + "-3", head.checksumSHA256());
            assertEquals(data.length, head.contentLength());
            byte[] stored = StorageGrantServer.s3().getObjectAsBytes(b -> b.bucket(StorageGrantServer.BUCKET).key(key)).asByteArray();
            assertEquals(sha256, HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(stored)));
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Test
    void requestBecomesOneUploadedVideoEvenWhenRedelivered() throws Exception {
        UUID project = UUID.randomUUID();
        UUID eventId = UUID.randomUUID();
        String json = request(eventId, project, HOSTILE, "news", 15);
        // storage-service is restarting when the first upload is asked for: the upload waits it out in the same attempt
        // (attempts = 1 below), it does not render the video again
        StorageGrantServer.unavailableGrants.set(3);
        KafkaTestClient.send("video.requested", project.toString(), json);

        ConsumerRecord<String, String> record = KafkaTestClient.awaitOne("video.rendered", r -> project.toString().equals(r.key()), RENDER);
        Contract.assertValid("video.rendered", record.value());
        assertEquals("contentmachine.video.rendered.v1", KafkaTestClient.header(record, "ce_type"));
        assertEquals("render-service", KafkaTestClient.header(record, "ce_source"));
        Contract.assertTraceparent(record);
        JsonNode event = MAPPER.readTree(record.value());
        assertEquals(KafkaTestClient.header(record, "ce_id"), event.get("eventId").asText());
        assertEquals("1080x1920", event.get("resolution").asText());
        assertEquals(15, event.get("durationSeconds").asDouble(), 1.5);
        JsonNode script = event.get("script");
        assertEquals("offline", script.get("writer").asText());
        assertTrue(script.get("title").asText().startsWith("你好世界 😀 It's 100%"), script.get("title").asText());
        double scenes = 0;
        for (JsonNode scene : script.get("scenes")) {
            scenes += scene.get("durationSeconds").asDouble();
            assertTrue(scene.get("visualPrompt").asText().length() > 5);
        }
        assertEquals(event.get("durationSeconds").asDouble(), scenes, 0.6, "scene durations add up to the video");
        JsonNode requested = MAPPER.readTree(json);
        assertEquals(requested.get("publish"), event.get("publish"), "publish passed on unchanged");
        assertEquals(requested.get("ownerId"), event.get("ownerId"));

        // the bytes really are in S3, as announced
        String key = event.get("stagingKey").asText();
        ResponseBytes<GetObjectResponse> video = StorageGrantServer.s3().getObjectAsBytes(b -> b.bucket(StorageGrantServer.BUCKET)
                .key(key));
        assertEquals(event.get("sizeBytes").asLong(), video.asByteArray().length);
        assertEquals(event.get("sha256").asText(), HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(video.asByteArray())));
        assertEquals("video/mp4", video.response().contentType());
        Path file = Files.createTempFile("rendered-", ".mp4");
        Files.write(file, video.asByteArray());
        MediaProbe.Facts facts = new MediaProbe("ffprobe").probe(file, file.getParent(), RenderControl.unlimited());
        Files.delete(file);
        assertEquals("h264", facts.videoCodec());
        assertEquals("1080x1920", facts.resolution());
        assertEquals("aac", facts.audioCodec());
        assertEquals(48000, facts.sampleRate());
        assertEquals(15, facts.durationSeconds(), 1.5);
        ResponseBytes<GetObjectResponse> thumbnail = StorageGrantServer.s3().getObjectAsBytes(
                b -> b.bucket(StorageGrantServer.BUCKET).key(event.get("thumbnailStagingKey").asText()));
        assertEquals("image/jpeg", thumbnail.response().contentType());
        assertEquals((byte) 0xFF, thumbnail.asByteArray()[0]);
        assertEquals((byte) 0xD8, thumbnail.asByteArray()[1]);
        List<StorageGrantServer.Grant> grants = StorageGrantServer.GRANTS.stream().filter(g -> g.projectId().equals(project)).toList();
        assertEquals(Set.of("video/mp4:multipart", "image/jpeg:single"),
                grants.stream().map(g -> g.contentType() + ":" + g.method()).collect(Collectors.toSet()));
        assertTrue(StorageGrantServer.COMPLETED.contains(key));

        // progress through the stages (percent within each stage), each valid against the contract; all of it was sent
        // before video.rendered, in order: the encode reports several increasing render percents, ending at 100
        List<JsonNode> progress = KafkaTestClient.await("video.progress", r -> project.toString().equals(r.key()), 5,
                Duration.ofSeconds(10)).stream().peek(r -> Contract.assertValid("video.progress", r.value()))
                .map(r -> read(r.value())).toList();
        assertEquals(List.of("script", "voice", "render", "upload"),
                progress.stream().map(p -> p.get("stage").asText()).distinct().toList());
        List<Integer> render = progress.stream().filter(p -> p.get("stage").asText().equals("render")).map(p -> p.get("percent").asInt())
                .toList();
        assertTrue(render.size() >= 3, "render progress " + render);
        assertEquals(0, render.get(0), "render progress " + render);
        assertEquals(100, render.get(render.size() - 1), "render progress " + render);
        for (int i = 1; i < render.size(); i++) {
            assertTrue(render.get(i) > render.get(i - 1), "render progress " + render);
        }

        // redelivery of the same event, and a repeat of the request under another eventId: still one job, one video
        UUID repeat = UUID.randomUUID();
        KafkaTestClient.send("video.requested", project.toString(), json);
        KafkaTestClient.send("video.requested", project.toString(), request(repeat, project, HOSTILE, "news", 15));
        await().atMost(Duration.ofSeconds(30)).until(() -> count(database,
                "select count(*) from render.processed_events where event_id = ?", repeat) == 1);
        assertEquals(1, count(database, "select count(*) from render.render_jobs where project_id = ?", project));
        assertEquals(1, count(database, "select count(*) from render.render_jobs where project_id = ? and status = 'done' and attempts = 1",
                project));
        assertThrows(AssertionError.class, () -> KafkaTestClient.await("video.rendered", r -> project.toString().equals(r.key()), 2,
                Duration.ofSeconds(5)));
        assertEquals(2, StorageGrantServer.GRANTS.stream().filter(g -> g.projectId().equals(project)).count());
        assertEquals(0, StorageGrantServer.unavailableGrants.get(), "the grants refused with 503 were asked again");
    }

    @Test
    void jobOfACrashedWorkerIsClaimedAgainAndFinishedOnce() throws Exception {
        UUID project = UUID.randomUUID();
        UUID eventId = UUID.randomUUID();
        String json = request(eventId, project, "How bees find their way home", "minimal", 15);
        // as left by a worker that died mid-render: running, attempt 1, its lease long over
        RenderTesting.update(database, "insert into render.render_jobs (project_id, event_id, owner_id, request, status, attempts,"
                + " claimed_at, locked_until, lease_token) values (?, ?, 'owner-1', ?, 'running', 1, now() - interval '10 minutes',"
                + " now() - interval '9 minutes', gen_random_uuid())", project, eventId, json);

        ConsumerRecord<String, String> record = KafkaTestClient.awaitOne("video.rendered", r -> project.toString().equals(r.key()), RENDER);
        Contract.assertValid("video.rendered", record.value());
        assertEquals(1, count(database, "select count(*) from render.render_jobs where project_id = ? and status = 'done' and attempts = 2",
                project));
        // the request arriving now (the consumer had not committed before the crash) changes nothing
        KafkaTestClient.send("video.requested", project.toString(), json);
        await().atMost(Duration.ofSeconds(30)).until(() -> count(database,
                "select count(*) from render.processed_events where event_id = ?", eventId) == 1);
        assertThrows(AssertionError.class, () -> KafkaTestClient.await("video.rendered", r -> project.toString().equals(r.key()), 2,
                Duration.ofSeconds(3)));
    }

    @Test
    void poisonMessageGoesToTheDeadLetterTopicAndFailsTheProject() {
        UUID project = UUID.randomUUID();
        KafkaTestClient.send("video.requested", project.toString(), "{\"eventId\": \"not-a-uuid\", \"ownerId\": \"owner-9\", \"config\": ");

        ConsumerRecord<String, String> dead = KafkaTestClient.awaitOne("video.requested.render-service.dlq",
                r -> project.toString().equals(r.key()), Duration.ofSeconds(30));
        assertNotNull(KafkaTestClient.header(dead, "dead-letter-reason"));
        ConsumerRecord<String, String> failed = KafkaTestClient.awaitOne("video.failed", r -> project.toString().equals(r.key()),
                Duration.ofSeconds(30));
        Contract.assertValid("video.failed", failed.value());
        JsonNode event = read(failed.value());
        assertEquals("request", event.get("stage").asText());
        assertEquals("unknown", event.get("ownerId").asText(), "an unreadable message names no owner");
        assertTrue(event.get("reason").asText().startsWith("unreadable video.requested"), event.get("reason").asText());
        assertEquals(false, event.get("retryable").asBoolean());
    }

    @Test
    void requestMissingRequiredFieldsIsPoisonToo() throws Exception {
        UUID project = UUID.randomUUID();
        KafkaTestClient.send("video.requested", project.toString(),
                "{\"eventId\":\"" + UUID.randomUUID() + "\",\"projectId\":\"" + project + "\",\"ownerId\":\"o\",\"topic\":\"x\"}");
        KafkaTestClient.awaitOne("video.requested.render-service.dlq", r -> project.toString().equals(r.key()), Duration.ofSeconds(30));
        JsonNode event = read(KafkaTestClient.awaitOne("video.failed", r -> project.toString().equals(r.key()), Duration.ofSeconds(30))
                .value());
        assertTrue(event.get("reason").asText().contains("config"), event.get("reason").asText());
        assertEquals("o", event.get("ownerId").asText());
    }

    @Test
    void requestTheCatalogCannotServeFailsWithoutAJob() throws Exception {
        UUID project = UUID.randomUUID();
        String json = request(UUID.randomUUID(), project, "Volcanoes", "vaporwave", 15);
        KafkaTestClient.send("video.requested", project.toString(), json);
        ConsumerRecord<String, String> failed = KafkaTestClient.awaitOne("video.failed", r -> project.toString().equals(r.key()),
                Duration.ofSeconds(30));
        Contract.assertValid("video.failed", failed.value());
        assertTrue(read(failed.value()).get("reason").asText().contains("unknown template 'vaporwave'"));
        assertEquals(0, count(database, "select count(*) from render.render_jobs where project_id = ?", project));
    }

    @Test
    void deletedProjectIsNotRendered() throws Exception {
        UUID project = UUID.randomUUID();
        UUID requestId = UUID.randomUUID();
        String deleted = "{\"eventId\":\"" + UUID.randomUUID() + "\",\"projectId\":\"" + project
                + "\",\"ownerId\":\"owner-1\",\"occurredAt\":\"2026-11-24T12:00:00Z\"}";
        Contract.assertValid("video.deleted", deleted);
        KafkaTestClient.send("video.deleted", project.toString(), deleted);
        await().atMost(Duration.ofSeconds(30)).until(() -> count(database,
                "select count(*) from render.render_jobs where project_id = ? and status = 'cancelled'", project) == 1);
        KafkaTestClient.send("video.requested", project.toString(), request(requestId, project, "Deleted before it started", "news", 15));
        await().atMost(Duration.ofSeconds(30)).until(() -> count(database,
                "select count(*) from render.processed_events where event_id = ?", requestId) == 1);
        Thread.sleep(1500);
        assertEquals(1, count(database, "select count(*) from render.render_jobs where project_id = ? and status = 'cancelled'", project));
        assertTrue(StorageGrantServer.GRANTS.stream().noneMatch(g -> g.projectId().equals(project)));
    }

    @Test
    void projectTheGatewayGaveUpOnIsNotRenderedLater() throws Exception {
        UUID project = UUID.randomUUID();
        UUID requestId = UUID.randomUUID();
        String json = request(requestId, project, "Given up while it waited", "news", 15);
        // a job in flight: queued, due in 20 s (the worker would claim it then)
        RenderTesting.update(database, "insert into render.render_jobs (project_id, event_id, owner_id, request, status, run_at)"
                + " values (?, ?, 'owner-1', ?, 'queued', now() + interval '20 seconds')", project, requestId, json);
        KafkaTestClient.send("video.failed", project.toString(), failed(project, "timeout"));

        await().atMost(Duration.ofSeconds(30)).until(() -> count(database,
                "select count(*) from render.render_jobs where project_id = ? and status = 'cancelled'", project) == 1);
        assertTrue(RenderTesting.text(database, "select error from render.render_jobs where project_id = ?", project)
                .startsWith("the gateway gave up on the project"));
        // past its run time the job is never claimed, and a late redelivery of the request changes nothing
        await().atMost(Duration.ofSeconds(40)).until(() -> count(database,
                "select count(*) from render.render_jobs where project_id = ? and run_at < now()", project) == 1);
        KafkaTestClient.send("video.requested", project.toString(), json);
        await().atMost(Duration.ofSeconds(30)).during(Duration.ofSeconds(4)).until(() -> count(database,
                "select count(*) from render.render_jobs where project_id = ? and status = 'cancelled' and attempts = 0", project) == 1);
        assertThrows(AssertionError.class, () -> KafkaTestClient.await("video.rendered", r -> project.toString().equals(r.key()), 1,
                Duration.ofSeconds(3)));
        assertTrue(StorageGrantServer.GRANTS.stream().noneMatch(g -> g.projectId().equals(project)));
    }

    @Test
    void failuresOfOtherStagesLeaveTheRenderAlone() throws Exception {
        UUID project = UUID.randomUUID();
        UUID requestId = UUID.randomUUID();
        RenderTesting.update(database, "insert into render.render_jobs (project_id, event_id, owner_id, request, status, run_at)"
                + " values (?, ?, 'owner-1', ?, 'queued', now() + interval '1 hour')", project, requestId,
                request(requestId, project, "Someone else's failure", "news", 15));
        String failed = failed(project, "storage");
        KafkaTestClient.send("video.failed", project.toString(), failed);

        UUID eventId = UUID.fromString(MAPPER.readTree(failed).get("eventId").asText());
        await().atMost(Duration.ofSeconds(30)).until(() -> count(database,
                "select count(*) from render.processed_events where event_id = ?", eventId) == 1);
        assertEquals(1, count(database, "select count(*) from render.render_jobs where project_id = ? and status = 'queued'"
                + " and error is null", project));
    }

    /** A video.failed as the gateway's sweeper (stage timeout) or another service sends it. */
    private static String failed(UUID project, String stage) {
        String json = "{\"eventId\":\"" + UUID.randomUUID() + "\",\"projectId\":\"" + project + "\",\"ownerId\":\"owner-1\","
                + "\"occurredAt\":\"2026-11-24T12:00:00Z\",\"stage\":\"" + stage + "\",\"reason\":\"stuck in processing for 30 minutes\","
                + "\"retryable\":false}";
        Contract.assertValid("video.failed", json);
        return json;
    }

    private static JsonNode read(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
