package io.contentmachine.storage;

import static io.contentmachine.storage.StorageTesting.awaitEvent;
import static io.contentmachine.storage.StorageTesting.bytes;
import static io.contentmachine.storage.StorageTesting.internal;
import static io.contentmachine.storage.StorageTesting.rendered;
import static io.contentmachine.storage.StorageTesting.send;
import static io.contentmachine.storage.StorageTesting.sha256;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.contentmachine.storage.video.VideoIds;
import io.contentmachine.testsupport.Contract;
import io.contentmachine.testsupport.KafkaResource;
import io.contentmachine.testsupport.KafkaTestClient;
import io.contentmachine.testsupport.PostgresDatabase;
import io.contentmachine.testsupport.PostgresResource;
import io.contentmachine.testsupport.S3Resource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(S3Resource.class)
class VideoStorageTest {

    @Inject
    S3Client s3;

    PostgresDatabase database;

    @Test
    void renderedVideoIsCheckedRecordedAndAnnouncedWhereItWasUploaded() throws Exception {
        UUID projectId = UUID.randomUUID();
        byte[] video = bytes(3_000_000, 10);
        byte[] thumbnail = bytes(40_000, 11);
        String stagingKey = StorageTesting.upload(projectId, video, "video/mp4").get("stagingKey").asText();
        String thumbKey = StorageTesting.upload(projectId, thumbnail, "image/jpeg").get("stagingKey").asText();
        ObjectNode event = rendered(projectId, stagingKey, thumbKey, video);
        send(event);

        JsonNode stored = awaitEvent("video.stored", projectId);
        UUID videoId = VideoIds.videoId(projectId, sha256(video));
        assertEquals(videoId.toString(), stored.get("videoId").asText());
        assertEquals(projectId + "/" + videoId + ".mp4", stored.get("storageKey").asText());
        assertEquals(stagingKey, stored.get("storageKey").asText(), "stored where it was uploaded");
        assertEquals(thumbKey, stored.get("thumbnailKey").asText());
        assertEquals(sha256(video), stored.get("sha256").asText());
        assertEquals(video.length, stored.get("sizeBytes").asLong());
        assertEquals(event.get("ownerId").asText(), stored.get("ownerId").asText());
        assertEquals(event.get("durationSeconds").asDouble(), stored.get("durationSeconds").asDouble());
        assertEquals("1080x1920", stored.get("resolution").asText());
        assertEquals(event.at("/script/title").asText(), stored.at("/metadata/title").asText());
        assertEquals(event.at("/script/description").asText(), stored.at("/metadata/description").asText());
        assertEquals(event.at("/script/tags"), stored.at("/metadata/tags"));
        assertEquals(event.at("/script/hashtags"), stored.at("/metadata/hashtags"));
        assertEquals(event.get("publish"), stored.get("publish"));

        assertArrayEquals(video, s3.getObjectAsBytes(b -> b.bucket("videos").key(projectId + "/" + videoId + ".mp4")).asByteArray());
        assertArrayEquals(thumbnail, s3.getObjectAsBytes(b -> b.bucket("videos").key(thumbKey)).asByteArray());
        assertEquals(2, s3.listObjectsV2(b -> b.bucket("videos").prefix(projectId + "/")).contents().size(), "no copies");

        internal().get("/storage/projects/{id}/video", projectId).then().statusCode(200)
                .body("videoId", equalTo(videoId.toString()))
                .body("projectId", equalTo(projectId.toString()))
                .body("storageKey", equalTo(projectId + "/" + videoId + ".mp4"))
                .body("thumbnailKey", equalTo(thumbKey))
                .body("sha256", equalTo(sha256(video)))
                .body("sizeBytes", equalTo(video.length))
                .body("durationSeconds", equalTo(30.4f))
                .body("resolution", equalTo("1080x1920"))
                .body("contentType", equalTo("video/mp4"));
        assertEquals(1, count("select count(*) from storage.videos where project_id = ?", projectId));

        // presigned GETs download the bytes with the right content type
        String url = internal().queryParam("expiresIn", 120).get("/storage/projects/{id}/video/url", projectId)
                .then().statusCode(200).extract().path("url");
        HttpResponse<byte[]> download = StorageTesting.download(url);
        assertEquals(200, download.statusCode());
        assertArrayEquals(video, download.body());
        assertEquals("video/mp4", download.headers().firstValue("Content-Type").orElse(""));
        String thumbUrl = internal().queryParam("asset", "thumbnail").get("/storage/projects/{id}/video/url", projectId)
                .then().statusCode(200).extract().path("url");
        HttpResponse<byte[]> thumbDownload = StorageTesting.download(thumbUrl);
        assertArrayEquals(thumbnail, thumbDownload.body());
        assertEquals("image/jpeg", thumbDownload.headers().firstValue("Content-Type").orElse(""));
    }

    @Test
    void sameEventTwiceAndAReplayWithANewIdGiveOneRowAndOneDistinctStoredEvent() throws Exception {
        UUID projectId = UUID.randomUUID();
        byte[] video = bytes(500_000, 20);
        String stagingKey = StorageTesting.upload(projectId, video, "video/mp4").get("stagingKey").asText();
        ObjectNode event = rendered(projectId, stagingKey, null, video);
        send(event);
        send(event);
        ObjectNode replay = event.deepCopy();
        replay.put("eventId", UUID.randomUUID().toString());
        send(replay);

        awaitEvent("video.stored", projectId);
        await().atMost(Duration.ofSeconds(30)).until(() -> processed(UUID.fromString(replay.get("eventId").asText())));
        List<ConsumerRecord<String, String>> all = StorageTesting.allEvents("video.stored", projectId, Duration.ofSeconds(3));
        Set<String> eventIds = all.stream().map(r -> KafkaTestClient.header(r, "ce_id")).collect(Collectors.toSet());
        assertEquals(1, eventIds.size(), "one distinct video.stored: " + eventIds);
        // a resend of the same event continues the same trace (none when tracing is off, as here)
        all.forEach(Contract::assertTraceparent);
        assertEquals(1, all.stream().map(Contract::traceId).distinct().count());
        assertEquals(1, count("select count(*) from storage.videos where project_id = ?", projectId));
        assertTrue(StorageTesting.allEvents("video.failed", projectId, Duration.ofSeconds(1)).isEmpty(), "no video.failed");
    }

    @Test
    void anObjectTheServerReportsNoSha256ForIsReadBackThenStored() throws Exception {
        UUID projectId = UUID.randomUUID();
        byte[] video = bytes(800_000, 30);
        UUID videoId = VideoIds.videoId(projectId, sha256(video));
        // written without a SHA-256 the server checked (as on a server that does not verify checksums): finalize reads it
        s3.putObject(b -> b.bucket("videos").key(projectId + "/" + videoId + ".mp4").contentType("video/mp4"),
                RequestBody.fromBytes(video));
        ObjectNode event = rendered(projectId, projectId + "/" + videoId + ".mp4", null, video);
        send(event);

        JsonNode stored = awaitEvent("video.stored", projectId);
        assertEquals(videoId.toString(), stored.get("videoId").asText());
        assertEquals(1, count("select count(*) from storage.videos where project_id = ?", projectId));
        assertArrayEquals(video, s3.getObjectAsBytes(b -> b.bucket("videos").key(projectId + "/" + videoId + ".mp4")).asByteArray());
    }

    @Test
    void anEventForOtherBytesThanTheUploadFailsTheVideo() throws Exception {
        UUID projectId = UUID.randomUUID();
        byte[] video = bytes(400_000, 40);
        String stagingKey = StorageTesting.upload(projectId, video, "video/mp4").get("stagingKey").asText();
        ObjectNode event = rendered(projectId, stagingKey, null, video);
        String wrong = sha256(bytes(10, 41));
        event.put("sha256", wrong);
        send(event);

        JsonNode failed = awaitEvent("video.failed", projectId);
        assertEquals("storage", failed.get("stage").asText());
        assertFalse(failed.get("retryable").asBoolean());
        // the key is derived from the SHA-256: an event announcing other bytes names a key that is not theirs
        assertTrue(failed.get("reason").asText().contains("stagingKey " + stagingKey + " is not the key granted"),
                failed.get("reason").asText());
        assertEquals(event.get("ownerId").asText(), failed.get("ownerId").asText());
        assertTrue(exists("videos", stagingKey), "the upload is left to the sweeper (a correct event may still come)");
        assertEquals(0, count("select count(*) from storage.videos where project_id = ?", projectId));
        internal().get("/storage/projects/{id}/video", projectId).then().statusCode(404).body("error", containsString("No stored video"));
        assertTrue(StorageTesting.allEvents("video.stored", projectId, Duration.ofSeconds(2)).isEmpty());

        // redelivery does not fail it a second time
        send(event);
        await().atMost(Duration.ofSeconds(20)).until(() -> processed(UUID.fromString(event.get("eventId").asText())));
        List<ConsumerRecord<String, String>> failures = StorageTesting.allEvents("video.failed", projectId, Duration.ofSeconds(3));
        assertEquals(1, failures.stream().map(r -> KafkaTestClient.header(r, "ce_id")).distinct().count());
    }

    @Test
    void sizeMismatchAndMissingObjectFailTheVideo() throws Exception {
        UUID projectId = UUID.randomUUID();
        byte[] video = bytes(100_000, 50);
        String stagingKey = StorageTesting.upload(projectId, video, "video/mp4").get("stagingKey").asText();
        ObjectNode event = rendered(projectId, stagingKey, null, video);
        event.put("sizeBytes", video.length + 1);
        send(event);
        JsonNode failed = awaitEvent("video.failed", projectId);
        assertTrue(failed.get("reason").asText().contains("size mismatch"), failed.get("reason").asText());
        assertFalse(exists("videos", stagingKey), "a wrong object is removed: its key is free for a correct upload");

        UUID other = UUID.randomUUID();
        send(rendered(other, other + "/" + VideoIds.videoId(other, sha256(video)) + ".mp4", null, video));
        JsonNode missing = awaitEvent("video.failed", other);
        assertTrue(missing.get("reason").asText().contains("is missing"), missing.get("reason").asText());
        assertFalse(missing.get("retryable").asBoolean());
    }

    @Test
    void poisonMessageGoesToTheDeadLetterTopicAndFailsTheProject() throws Exception {
        UUID projectId = UUID.randomUUID();
        KafkaTestClient.send("video.rendered", projectId.toString(), "{not json");
        JsonNode failed = awaitEvent("video.failed", projectId);
        assertEquals("storage", failed.get("stage").asText());
        assertTrue(failed.get("reason").asText().startsWith("unreadable video.rendered"), failed.get("reason").asText());
        ConsumerRecord<String, String> dead = KafkaTestClient.awaitOne("video.rendered.storage-service.dlq",
                r -> projectId.toString().equals(r.key()), Duration.ofSeconds(30));
        assertEquals("{not json", dead.value());
        String deadReason = KafkaTestClient.header(dead, "dead-letter-reason");
        assertTrue(deadReason != null && deadReason.contains("unreadable"), "dead-letter-reason: " + deadReason);

        UUID second = UUID.randomUUID();
        ObjectNode invalid = rendered(second, second + "/video.mp4", null, bytes(10, 1));
        invalid.remove("resolution");
        send(invalid);
        JsonNode failedInvalid = awaitEvent("video.failed", second);
        assertTrue(failedInvalid.get("reason").asText().contains("resolution missing"));

        // the kit's failure strategy counted both, by the topic they came from
        await().atMost(Duration.ofSeconds(10)).until(() -> deadLetters("video.rendered") >= 2);
        assertEquals(0, deadLetters("video.deleted"), "a topic with no dead letter reads 0 from the start");
    }

    private static double deadLetters(String topic) {
        String metrics = RestAssured.get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher m = Pattern.compile("^contentmachine_dead_letters_total\\{[^}]*topic=\"" + topic.replace(".", "\\.")
                // a counter may carry an exemplar (the trace that last counted): "value # {trace_id=...} ..."
                + "\"[^}]*} (\\S+)( # .*)?$", Pattern.MULTILINE).matcher(metrics);
        assertTrue(m.find(), "no contentmachine_dead_letters_total for " + topic + " in:\n" + metrics);
        return Double.parseDouble(m.group(1));
    }

    @Test
    void contractExampleIsConsumed() throws Exception {
        // the example names an object that does not exist here (and is not its SHA-256's key): storage fails it cleanly
        JsonNode example = StorageTesting.JSON.readTree(Contract.example("video.rendered"));
        UUID projectId = UUID.fromString(example.get("projectId").asText());
        KafkaTestClient.send("video.rendered", projectId.toString(), example.toString());
        JsonNode failed = awaitEvent("video.failed", projectId);
        assertTrue(failed.get("reason").asText().contains(example.get("stagingKey").asText() + " is not the key granted"),
                failed.get("reason").asText());
    }

    @Test
    void urlExpiryBoundsAndAssetsAreChecked() throws Exception {
        UUID projectId = UUID.randomUUID();
        byte[] video = bytes(50_000, 60);
        send(rendered(projectId, StorageTesting.upload(projectId, video, "video/mp4").get("stagingKey").asText(), null, video));
        awaitEvent("video.stored", projectId);

        for (String bad : List.of("0", "-5", "604801", "abc", "1.5")) {
            internal().queryParam("expiresIn", bad).get("/storage/projects/{id}/video/url", projectId)
                    .then().statusCode(400).body("error", containsString("expiresIn"));
        }
        Instant before = Instant.now();
        String expiresAt = internal().queryParam("expiresIn", 604800).get("/storage/projects/{id}/video/url", projectId)
                .then().statusCode(200).extract().path("expiresAt");
        long seconds = Duration.between(before, Instant.parse(expiresAt)).toSeconds();
        assertTrue(seconds >= 604795 && seconds <= 604805, "expiresAt 7 days ahead: " + expiresAt);
        String url = internal().queryParam("expiresIn", 1).get("/storage/projects/{id}/video/url", projectId)
                .then().statusCode(200).extract().path("url");
        assertTrue(url.contains("X-Amz-Expires=1&") || url.endsWith("X-Amz-Expires=1"), url);
        String defaultUrl = internal().get("/storage/projects/{id}/video/url", projectId).then().statusCode(200).extract().path("url");
        assertTrue(defaultUrl.contains("X-Amz-Expires=3600"), defaultUrl);

        internal().queryParam("asset", "audio").get("/storage/projects/{id}/video/url", projectId)
                .then().statusCode(400).body("error", containsString("asset"));
        internal().queryParam("asset", "thumbnail").get("/storage/projects/{id}/video/url", projectId)
                .then().statusCode(404).body("error", containsString("no thumbnail"));
        internal().get("/storage/projects/{id}/video/url", UUID.randomUUID()).then().statusCode(404);
        internal().get("/storage/projects/{id}/video", "not-a-uuid").then().statusCode(400).body("error", containsString("UUID"));
    }

    @Test
    void deletingAProjectRemovesObjectsAndRowsAndIsIdempotent() throws Exception {
        UUID projectId = UUID.randomUUID();
        byte[] video = bytes(70_000, 70);
        send(rendered(projectId, StorageTesting.upload(projectId, video, "video/mp4").get("stagingKey").asText(), null, video));
        JsonNode stored = awaitEvent("video.stored", projectId);
        // a leftover uploaded thumbnail goes too
        String thumbKey = StorageTesting.upload(projectId, bytes(1_000, 71), "image/jpeg").get("stagingKey").asText();

        internal().delete("/storage/projects/{id}", projectId).then().statusCode(204);
        internal().delete("/storage/projects/{id}", projectId).then().statusCode(204);
        assertFalse(exists("videos", stored.get("storageKey").asText()));
        assertFalse(exists("videos", thumbKey));
        assertEquals(0, count("select count(*) from storage.videos where project_id = ?", projectId));
        assertEquals(0, count("select count(*) from storage.uploads where project_id = ?", projectId));
        internal().get("/storage/projects/{id}/video", projectId).then().statusCode(404);
    }

    @Test
    void videoDeletedEventRemovesTheProject() throws Exception {
        UUID projectId = UUID.randomUUID();
        byte[] video = bytes(60_000, 80);
        send(rendered(projectId, StorageTesting.upload(projectId, video, "video/mp4").get("stagingKey").asText(), null, video));
        JsonNode stored = awaitEvent("video.stored", projectId);

        ObjectNode deleted = (ObjectNode) StorageTesting.JSON.readTree(Contract.example("video.deleted"));
        deleted.put("eventId", UUID.randomUUID().toString());
        deleted.put("projectId", projectId.toString());
        KafkaTestClient.send("video.deleted", projectId.toString(), deleted.toString());
        KafkaTestClient.send("video.deleted", projectId.toString(), deleted.toString());

        await().atMost(Duration.ofSeconds(30)).until(() -> count("select count(*) from storage.videos where project_id = ?",
                projectId) == 0);
        await().atMost(Duration.ofSeconds(10)).until(() -> !exists("videos", stored.get("storageKey").asText()));
    }

    @Test
    void videoRenderedAfterTheProjectWasDeletedStoresNothing() throws Exception {
        UUID projectId = UUID.randomUUID();
        byte[] video = bytes(90_000, 90);
        UUID videoId = VideoIds.videoId(projectId, sha256(video));
        String firstKey = StorageTesting.upload(projectId, video, "video/mp4").get("stagingKey").asText();
        ObjectNode first = rendered(projectId, firstKey, null, video);
        send(first);
        awaitEvent("video.stored", projectId);
        // a second render got its grants before the deletion
        byte[] thumbnail = bytes(2_000, 91);
        JsonNode videoGrant = grant(projectId, video, "video/mp4");
        JsonNode thumbGrant = grant(projectId, thumbnail, "image/jpeg");
        internal().delete("/storage/projects/{id}", projectId).then().statusCode(204);
        assertEquals(1, count("select count(*) from storage.deleted_projects where project_id = ?", projectId), "tombstone");
        internal().contentType(ContentType.JSON)
                .body(Map.of("projectId", projectId.toString(), "sizeBytes", video.length, "sha256", sha256(video),
                        "contentType", "video/mp4"))
                .post("/storage/uploads").then().statusCode(410);

        // and uploads with them after it (presigned URLs outlive the deletion), then announces them: a late event with a new id
        assertEquals(200, StorageTesting.put(videoGrant, video).statusCode());
        assertEquals(200, StorageTesting.put(thumbGrant, thumbnail).statusCode());
        String stagingKey = videoGrant.get("stagingKey").asText();
        String thumbKey = thumbGrant.get("stagingKey").asText();
        assertTrue(exists("videos", stagingKey) && exists("videos", thumbKey), "uploaded after the deletion");
        ObjectNode late = rendered(projectId, stagingKey, thumbKey, video);
        send(late);
        // and the first event is delivered again
        send(first);

        await().atMost(Duration.ofSeconds(30)).until(() -> processed(UUID.fromString(late.get("eventId").asText())));
        assertEquals(0, count("select count(*) from storage.videos where project_id = ?", projectId));
        assertFalse(exists("videos", projectId + "/" + videoId + ".mp4"), "no stored copy");
        assertFalse(exists("videos", projectId + "/" + videoId + ".jpg"), "no stored thumbnail");
        assertFalse(exists("videos", stagingKey), "uploaded video removed");
        assertFalse(exists("videos", thumbKey), "uploaded thumbnail removed");
        List<ConsumerRecord<String, String>> stored = StorageTesting.allEvents("video.stored", projectId, Duration.ofSeconds(3));
        assertEquals(1, stored.stream().map(r -> KafkaTestClient.header(r, "ce_id")).distinct().count(), "only the first video.stored");
        assertTrue(StorageTesting.allEvents("video.failed", projectId, Duration.ofSeconds(1)).isEmpty(), "no video.failed");
        internal().get("/storage/projects/{id}/video", projectId).then().statusCode(404);
    }

    @Test
    void aTombstonedProjectsUploadedFilesAreRemoved() throws Exception {
        UUID projectId = UUID.randomUUID();
        byte[] video = bytes(80_000, 95);
        UUID videoId = VideoIds.videoId(projectId, sha256(video));
        String stagingKey = StorageTesting.upload(projectId, video, "video/mp4").get("stagingKey").asText();
        // the tombstone a deletion left after the upload
        try (Connection connection = database.connect(); PreparedStatement insert = connection.prepareStatement(
                "insert into storage.deleted_projects (project_id, deleted_at) values (?, now())")) {
            insert.setObject(1, projectId);
            insert.executeUpdate();
        }
        ObjectNode event = rendered(projectId, stagingKey, null, video);
        send(event);

        await().atMost(Duration.ofSeconds(30)).until(() -> processed(UUID.fromString(event.get("eventId").asText())));
        assertEquals(projectId + "/" + videoId + ".mp4", stagingKey);
        assertFalse(exists("videos", stagingKey), "uploaded video removed");
        assertEquals(0, count("select count(*) from storage.videos where project_id = ?", projectId));
        assertTrue(StorageTesting.allEvents("video.stored", projectId, Duration.ofSeconds(2)).isEmpty(), "no video.stored");
    }

    private static JsonNode grant(UUID projectId, byte[] data, String contentType) throws Exception {
        return StorageTesting.JSON.readTree(internal().contentType(ContentType.JSON)
                .body(Map.of("projectId", projectId.toString(), "sizeBytes", data.length, "sha256", sha256(data),
                        "contentType", contentType))
                .post("/storage/uploads").then().statusCode(200).extract().asString());
    }

    private boolean exists(String bucket, String key) {
        try {
            s3.headObject(b -> b.bucket(bucket).key(key));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        }
    }

    private boolean processed(UUID eventId) throws Exception {
        return count("select count(*) from storage.processed_events where event_id = ?", eventId) > 0;
    }

    private long count(String sql, UUID id) throws Exception {
        try (Connection connection = database.connect(); PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setObject(1, id);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }
}
