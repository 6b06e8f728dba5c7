package io.contentmachine.storage;

import static io.contentmachine.storage.StorageTesting.HTTP;
import static io.contentmachine.storage.StorageTesting.JSON;
import static io.contentmachine.storage.StorageTesting.bytes;
import static io.contentmachine.storage.StorageTesting.internal;
import static io.contentmachine.storage.StorageTesting.sha256;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import io.contentmachine.storage.assets.AssetSweeper;
import io.contentmachine.testsupport.Contract;
import io.contentmachine.testsupport.ErrorShape;
import io.contentmachine.testsupport.KafkaResource;
import io.contentmachine.testsupport.KafkaTestClient;
import io.contentmachine.testsupport.PostgresDatabase;
import io.contentmachine.testsupport.PostgresResource;
import io.contentmachine.testsupport.S3Resource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.restassured.http.ContentType;
import io.smallrye.common.vertx.VertxContext;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/** The media library's storage side (docs/MEDIA-LIBRARY.md) against real S3Proxy, PostgreSQL and Kafka. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(S3Resource.class)
class AssetsTest {

    private static final Duration EVENT_TIMEOUT = Duration.ofSeconds(60);

    @Inject
    S3Client s3;

    @Inject
    AssetSweeper sweeper;

    @Inject
    Vertx vertx;

    @TestHTTPResource("/storage/assets")
    URI assets;

    PostgresDatabase database;

    @Test
    void anUploadedOriginalIsCheckedAndAnnounced() throws Exception {
        String owner = owner();
        byte[] image = bytes(40_000, 11);
        JsonNode created = create(owner, "beach.PNG", "image/png", image, List.of("Ocean", "beach", "ocean "));
        JsonNode asset = created.get("asset");
        String id = asset.get("id").asText();
        assertEquals("uploading", asset.get("status").asText());
        assertEquals("image", asset.get("kind").asText());
        assertEquals(owner, asset.get("ownerId").asText());
        assertEquals("beach.PNG", asset.get("filename").asText());
        assertEquals(List.of("ocean", "beach"), strings(asset.get("tags")), "tags trimmed, lowercased, once each");
        assertEquals(image.length, asset.get("sizeBytes").asLong());
        assertTrue(asset.path("readyAt").isMissingNode() && asset.path("previewUrl").isMissingNode());

        JsonNode upload = created.get("upload");
        assertEquals("single", upload.get("method").asText());
        assertEquals("originals/" + owner + "/" + id, upload.get("key").asText());
        assertEquals("image/png", upload.at("/headers/Content-Type").asText());
        assertEquals(Base64.getEncoder().encodeToString(HexFormat.of().parseHex(sha256(image))),
                upload.at("/headers/x-amz-checksum-sha256").asText(), "the grant signs the SHA-256: S3 checks the bytes");
        assertTrue(Instant.parse(upload.get("expiresAt").asText()).isAfter(Instant.now()));

        assertEquals(200, put(upload, image).statusCode());
        internal().contentType(ContentType.JSON).body(Map.of("ownerId", owner))
                .post("/storage/assets/{id}/complete", id)
                .then().statusCode(200).body("status", equalTo("processing")).body("id", equalTo(id));

        ConsumerRecord<String, String> record = KafkaTestClient.awaitOne("asset.uploaded", r -> id.equals(r.key()), EVENT_TIMEOUT);
        Contract.assertValid("asset.uploaded", record.value());
        assertEquals("contentmachine.asset.uploaded.v1", KafkaTestClient.header(record, "ce_type"));
        Contract.assertTraceparent(record);
        JsonNode event = JSON.readTree(record.value());
        assertEquals(id, event.get("assetId").asText());
        assertEquals(owner, event.get("ownerId").asText());
        assertEquals("image", event.get("kind").asText());
        assertEquals("image/png", event.get("contentType").asText());
        assertEquals(image.length, event.get("sizeBytes").asLong());
        assertEquals(sha256(image), event.get("sha256").asText());

        // completing again answers the asset as it is and announces nothing new
        internal().contentType(ContentType.JSON).body(Map.of("ownerId", owner))
                .post("/storage/assets/{id}/complete", id).then().statusCode(200).body("status", equalTo("processing"));
        assertEquals("processing", status(id));
        assertArrayEquals(image, s3.getObjectAsBytes(b -> b.bucket("assets").key(upload.get("key").asText())).asByteArray());
        // render-service reads the original with a presigned GET
        String original = internal().queryParam("variant", "original").get("/storage/assets/{id}/url", id)
                .then().statusCode(200).body("expiresAt", notNullValue()).extract().path("url");
        assertArrayEquals(image, StorageTesting.download(original).body());
        internal().queryParam("variant", "normalised").get("/storage/assets/{id}/url", id)
                .then().statusCode(409).body("error", containsString("no normalised copy"));
    }

    @Test
    void refusalsAreJsonClientErrors() {
        String owner = owner();
        Map<String, Object> body = request(owner, "clip.mkv", "video/x-matroska", 1_000, "a".repeat(64), List.of());
        internal().contentType(ContentType.JSON).body(body).post("/storage/assets")
                .then().statusCode(415).contentType(ContentType.JSON).body("error", containsString("video/quicktime"));
        body = request(owner, "song.mp3", "audio/mpeg", 524_288_001L, "a".repeat(64), List.of());
        internal().contentType(ContentType.JSON).body(body).post("/storage/assets")
                .then().statusCode(413).contentType(ContentType.JSON).body("error", containsString("exceeds the limit of 524288000"));
        body = request(owner, "song.mp3", "audio/mpeg", 1_000, "XYZ", List.of());
        internal().contentType(ContentType.JSON).body(body).post("/storage/assets")
                .then().statusCode(400).contentType(ContentType.JSON).body("details[0]", containsString("sha256"));
        body = request(owner, "song.mp3", "audio/mpeg", 1_000, "a".repeat(64), List.of());
        body.remove("description");
        internal().contentType(ContentType.JSON).body(body).post("/storage/assets")
                .then().statusCode(400).body("details[0]", containsString("description"));
        internal().contentType(ContentType.JSON).body(Map.of("ownerId", owner)).post("/storage/assets/{id}/complete", "nope")
                .then().statusCode(400).body("error", containsString("UUID"));
        internal().get("/storage/assets").then().statusCode(400).body("error", containsString("ownerId"));
        internal().queryParam("ownerId", owner).queryParam("kind", "gif").get("/storage/assets").then().statusCode(400);
        internal().queryParam("ownerId", owner).queryParam("cursor", "garbage").get("/storage/assets").then().statusCode(400)
                .body("error", containsString("cursor"));
        given().queryParam("ownerId", owner).get("/storage/assets").then().statusCode(401);
        // nothing was recorded for the owner
        internal().queryParam("ownerId", owner).get("/storage/assets").then().statusCode(200).body("items.size()", equalTo(0))
                .body("nextCursor", nullValue());
        given().queryParam("format", "json").get("/q/openapi").then().statusCode(200)
                .body("paths.'/storage/assets'.post.responses.'415'", notNullValue())
                .body("paths.'/storage/assets/{id}/ready'.post.responses.'409'", notNullValue());
    }

    @Test
    void anObjectThatDoesNotMatchItsGrantIsRefusedAndRemoved() throws Exception {
        String owner = owner();
        byte[] song = bytes(30_000, 21);
        JsonNode created = create(owner, "song.wav", "audio/wav", song, List.of("calm"));
        String id = created.at("/asset/id").asText();
        JsonNode upload = created.get("upload");
        String key = upload.get("key").asText();

        // other bytes through the grant: the S3 server checks them against the signed SHA-256
        assertEquals(400, put(upload, bytes(song.length, 22)).statusCode());
        internal().contentType(ContentType.JSON).body(Map.of("ownerId", owner)).post("/storage/assets/{id}/complete", id)
                .then().statusCode(409).contentType(ContentType.JSON).body("error", containsString("nothing was uploaded"));

        // other bytes put there some other way (a server that does not check): read, refused and removed
        s3.putObject(b -> b.bucket("assets").key(key).contentType("audio/wav"), RequestBody.fromBytes(bytes(song.length, 23)));
        internal().contentType(ContentType.JSON).body(Map.of("ownerId", owner)).post("/storage/assets/{id}/complete", id)
                .then().statusCode(409).body("error", containsString("sha256 mismatch"));
        assertFalse(exists(key), "the mismatching object is removed");
        assertEquals("uploading", status(id));

        // the right bytes with the same grant: accepted
        assertEquals(200, put(upload, song).statusCode());
        internal().contentType(ContentType.JSON).body(Map.of("ownerId", owner)).post("/storage/assets/{id}/complete", id)
                .then().statusCode(200).body("status", equalTo("processing")).body("kind", equalTo("audio"));
        assertEquals(1, sent("asset.uploaded", id).size(), "announced once, by the complete that matched");
    }

    @Test
    void anotherOwnersAssetIsNotFound() throws Exception {
        String owner = owner();
        String other = owner();
        String id = processing(owner, "image/jpeg", bytes(5_000, 31)).get("id").asText();
        internal().queryParam("ownerId", other).get("/storage/assets/{id}", id).then().statusCode(404)
                .contentType(ContentType.JSON).body("error", containsString("No asset"));
        internal().queryParam("ownerId", other).delete("/storage/assets/{id}", id).then().statusCode(404);
        internal().contentType(ContentType.JSON).body(Map.of("ownerId", other)).post("/storage/assets/{id}/complete", id)
                .then().statusCode(404);
        internal().queryParam("ownerId", other).get("/storage/assets").then().statusCode(200).body("items.size()", equalTo(0));
        internal().queryParam("ownerId", owner).get("/storage/assets/{id}", UUID.randomUUID()).then().statusCode(404);
        internal().get("/storage/assets/{id}", id).then().statusCode(400).body("error", containsString("ownerId"));

        internal().queryParam("ownerId", owner).get("/storage/assets/{id}", id).then().statusCode(200)
                .body("status", equalTo("processing")).body("previewUrl", nullValue());
        assertEquals("processing", status(id), "the other owner's delete changed nothing");
    }

    @Test
    void aNormalisedCopyMakesTheAssetReady() throws Exception {
        String owner = owner();
        byte[] clip = bytes(80_000, 41);
        JsonNode asset = processing(owner, "video/quicktime", clip);
        String id = asset.get("id").asText();
        byte[] copy = bytes(60_000, 42);
        Map<String, Object> normalised = Map.of("sizeBytes", copy.length, "sha256", sha256(copy), "contentType", "video/mp4");

        // not ready yet: no url of a copy, no ready without one
        internal().contentType(ContentType.JSON).body(Map.of()).post("/storage/assets/{id}/ready", id)
                .then().statusCode(409).body("error", containsString("ask for its grant"));
        internal().contentType(ContentType.JSON).body(Map.of("sizeBytes", copy.length, "sha256", sha256(copy), "contentType", "image/jpeg"))
                .post("/storage/assets/{id}/normalised", id).then().statusCode(415).body("error", containsString("video/mp4"));

        String body = internal().contentType(ContentType.JSON).body(normalised).post("/storage/assets/{id}/normalised", id)
                .then().statusCode(200).body("method", equalTo("single"))
                .body("key", equalTo("normalised/" + owner + "/" + id)).extract().asString();
        JsonNode grant = JSON.readTree(body);
        // ready before the copy is there: refused, the asset stays processing
        internal().contentType(ContentType.JSON).body(Map.of("width", 1080, "height", 1920, "durationSeconds", 12.5))
                .post("/storage/assets/{id}/ready", id).then().statusCode(409).body("error", containsString("nothing was uploaded"));
        assertEquals(200, put(grant, copy).statusCode());
        internal().contentType(ContentType.JSON).body(Map.of("width", 1080, "height", 1920, "durationSeconds", 12.5))
                .post("/storage/assets/{id}/ready", id)
                .then().statusCode(200).body("status", equalTo("ready")).body("width", equalTo(1080))
                .body("readyAt", notNullValue());

        ConsumerRecord<String, String> record = KafkaTestClient.awaitOne("asset.ready", r -> id.equals(r.key()), EVENT_TIMEOUT);
        Contract.assertValid("asset.ready", record.value());
        JsonNode event = JSON.readTree(record.value());
        assertEquals(owner, event.get("ownerId").asText());
        assertEquals("video", event.get("kind").asText());
        assertEquals("waves breaking on a rocky beach", event.get("description").asText());
        assertEquals(List.of("ocean"), strings(event.get("tags")));
        assertEquals(1080, event.get("width").asInt());
        assertEquals(1920, event.get("height").asInt());
        assertEquals(12.5, event.get("durationSeconds").asDouble());

        String preview = internal().queryParam("ownerId", owner).get("/storage/assets/{id}", id).then().statusCode(200)
                .body("status", equalTo("ready")).body("durationSeconds", equalTo(12.5f)).extract().path("previewUrl");
        HttpResponse<byte[]> downloaded = StorageTesting.download(preview);
        assertEquals(200, downloaded.statusCode());
        assertArrayEquals(copy, downloaded.body(), "the preview is the normalised copy");
        assertEquals("video/mp4", downloaded.headers().firstValue("Content-Type").orElse(""));
        String url = internal().queryParam("variant", "normalised").queryParam("expiresIn", 60).get("/storage/assets/{id}/url", id)
                .then().statusCode(200).extract().path("url");
        assertArrayEquals(copy, StorageTesting.download(url).body());
        internal().queryParam("expiresIn", 0).get("/storage/assets/{id}/url", id).then().statusCode(400);
        // ready again: answered as it is; no second grant for a ready asset
        internal().contentType(ContentType.JSON).body(Map.of()).post("/storage/assets/{id}/ready", id)
                .then().statusCode(200).body("status", equalTo("ready"));
        internal().contentType(ContentType.JSON).body(normalised).post("/storage/assets/{id}/normalised", id).then().statusCode(409);
    }

    @Test
    void aRejectedAssetLosesItsObjects() throws Exception {
        String owner = owner();
        byte[] image = bytes(9_000, 51);
        JsonNode asset = processing(owner, "image/jpeg", image);
        String id = asset.get("id").asText();
        String original = "originals/" + owner + "/" + id;
        assertTrue(exists(original));
        internal().contentType(ContentType.JSON).body(Map.of("reason", "not an image: ffprobe found no video stream"))
                .post("/storage/assets/{id}/rejected", id)
                .then().statusCode(200).body("status", equalTo("rejected"))
                .body("reason", equalTo("not an image: ffprobe found no video stream"));
        assertFalse(exists(original), "the original is removed");
        assertEquals("rejected", status(id));
        internal().queryParam("ownerId", owner).get("/storage/assets/{id}", id).then().statusCode(200)
                .body("status", equalTo("rejected")).body("reason", containsString("ffprobe"));
        internal().queryParam("variant", "original").get("/storage/assets/{id}/url", id).then().statusCode(409);
        internal().contentType(ContentType.JSON).body(Map.of("ownerId", owner)).post("/storage/assets/{id}/complete", id)
                .then().statusCode(409).body("error", containsString("rejected"));
        assertEquals(List.of(), sent("asset.deleted", id), "never announced ready, so not announced deleted");

        // one announced ready is announced deleted when rejected
        JsonNode ready = ready(owner, bytes(7_000, 52), bytes(6_000, 53));
        String readyId = ready.get("id").asText();
        internal().contentType(ContentType.JSON).body(Map.of("reason", "found to be a still frame"))
                .post("/storage/assets/{id}/rejected", readyId).then().statusCode(200).body("status", equalTo("rejected"));
        ConsumerRecord<String, String> deleted = KafkaTestClient.awaitOne("asset.deleted", r -> readyId.equals(r.key()), EVENT_TIMEOUT);
        Contract.assertValid("asset.deleted", deleted.value());
        assertEquals("image", JSON.readTree(deleted.value()).get("kind").asText());
        assertFalse(exists("originals/" + owner + "/" + readyId));
        assertFalse(exists("normalised/" + owner + "/" + readyId));
        internal().contentType(ContentType.JSON).body(Map.of("reason", "again")).post("/storage/assets/{id}/rejected", readyId)
                .then().statusCode(200).body("reason", equalTo("found to be a still frame"));
    }

    @Test
    void anOwnerDeletesAnAsset() throws Exception {
        String owner = owner();
        JsonNode asset = ready(owner, bytes(7_000, 61), bytes(5_000, 62));
        String id = asset.get("id").asText();
        internal().queryParam("ownerId", owner).delete("/storage/assets/{id}", id).then().statusCode(204);

        ConsumerRecord<String, String> record = KafkaTestClient.awaitOne("asset.deleted", r -> id.equals(r.key()), EVENT_TIMEOUT);
        Contract.assertValid("asset.deleted", record.value());
        JsonNode event = JSON.readTree(record.value());
        assertEquals(owner, event.get("ownerId").asText());
        assertEquals(id, event.get("assetId").asText());
        assertEquals("deleted", status(id));
        assertFalse(exists("originals/" + owner + "/" + id));
        assertFalse(exists("normalised/" + owner + "/" + id));
        internal().queryParam("ownerId", owner).get("/storage/assets/{id}", id).then().statusCode(404);
        internal().get("/storage/assets/{id}/url", id).then().statusCode(404);
        internal().queryParam("ownerId", owner).delete("/storage/assets/{id}", id).then().statusCode(204);
        internal().queryParam("ownerId", owner).get("/storage/assets").then().statusCode(200).body("items.size()", equalTo(0));
        internal().queryParam("ownerId", owner).queryParam("status", "deleted").get("/storage/assets").then().statusCode(200)
                .body("items[0].id", equalTo(id));
    }

    @Test
    void anOwnersLibraryIsPagedNewestFirst() throws Exception {
        String owner = owner();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String type = i % 2 == 0 ? "audio/mpeg" : "image/png";
            ids.add(create(owner, "file-" + i, type, bytes(1_000 + i, 70 + i), i < 2 ? List.of("Calm", "piano") : List.of("upbeat"))
                    .at("/asset/id").asText());
        }
        List<String> newestFirst = new ArrayList<>(ids);
        Collections.reverse(newestFirst);

        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            var request = internal().queryParam("ownerId", owner).queryParam("limit", 2);
            if (cursor != null) {
                request.queryParam("cursor", cursor);
            }
            JsonNode page = JSON.readTree(request.get("/storage/assets").then().statusCode(200).extract().asString());
            page.get("items").forEach(item -> seen.add(item.get("id").asText()));
            cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asText();
            pages++;
        } while (cursor != null && pages < 10);
        assertEquals(3, pages);
        assertEquals(newestFirst, seen);

        internal().queryParam("ownerId", owner).queryParam("kind", "audio").get("/storage/assets").then().statusCode(200)
                .body("items.size()", equalTo(3)).body("items.kind", org.hamcrest.Matchers.everyItem(equalTo("audio")));
        internal().queryParam("ownerId", owner).queryParam("status", "processing").get("/storage/assets").then().statusCode(200)
                .body("items.size()", equalTo(0));
        internal().queryParam("ownerId", owner).queryParam("status", "uploading").queryParam("kind", "image")
                .get("/storage/assets").then().statusCode(200).body("items.id", equalTo(List.of(ids.get(3), ids.get(1))));
        internal().queryParam("ownerId", owner).queryParam("tag", "CALM").get("/storage/assets").then().statusCode(200)
                .body("items.id", equalTo(List.of(ids.get(1), ids.get(0))));
        internal().queryParam("ownerId", owner).queryParam("tag", "calm").queryParam("kind", "audio").get("/storage/assets")
                .then().statusCode(200).body("items.id", equalTo(List.of(ids.get(0))));
        internal().queryParam("ownerId", owner).queryParam("limit", 101).get("/storage/assets").then().statusCode(400);
    }

    @Test
    void uploadsNeverCompletedAreSwept() throws Exception {
        String owner = owner();
        byte[] image = bytes(3_000, 81);
        JsonNode abandoned = create(owner, "never.jpg", "image/jpeg", image, List.of());
        String abandonedId = abandoned.at("/asset/id").asText();
        String key = abandoned.at("/upload/key").asText();
        assertEquals(200, put(abandoned.get("upload"), image).statusCode());
        JsonNode multipart = create(owner, "big.mp4", "video/mp4", 70L << 20, sha256(new byte[1]));
        String multipartId = multipart.at("/asset/id").asText();
        assertEquals("multipart", multipart.at("/upload/method").asText());
        assertEquals(2, multipart.at("/upload/parts").size());
        String completedId = processing(owner, "image/jpeg", bytes(2_000, 82)).get("id").asText();

        // the grants have not expired yet: nothing is swept
        sweep(Instant.now().minus(Duration.ofMinutes(1)));
        assertEquals("uploading", status(abandonedId));

        // seen from after the grants' expiry, both uploads are abandoned
        int swept = sweep(Instant.now().plus(Duration.ofHours(2)));
        assertTrue(swept >= 2, "swept " + swept);
        assertNull(status(abandonedId), "row removed");
        assertNull(status(multipartId), "row removed");
        assertFalse(exists(key), "object removed");
        assertTrue(s3.listMultipartUploads(b -> b.bucket("assets").prefix("originals/" + owner + "/")).uploads().isEmpty(),
                "multipart upload aborted");
        assertEquals("processing", status(completedId), "a completed upload is kept");
        assertTrue(exists("originals/" + owner + "/" + completedId));
        internal().contentType(ContentType.JSON).body(Map.of("ownerId", owner)).post("/storage/assets/{id}/complete", abandonedId)
                .then().statusCode(404);
    }

    @Test
    void malformedUnknownWrongTypeAndOversizedBodiesGetTheSharedShape() {
        ErrorShape.Endpoint endpoint = new ErrorShape.Endpoint(assets, Map.of("X-Internal-Token", StorageTesting.TOKEN),
                "{\"ownerId\": \"o\", \"filename\": \"a.png\", \"contentType\": \"image/png\", \"sizeBytes\": 10, \"sha256\": \""
                        + "a".repeat(64) + "\", \"description\": \"d\", \"owner\": \"mallory\"}", "owner");
        ErrorShape.assertMalformedBody(endpoint);
        ErrorShape.assertUnknownField(endpoint);
        ErrorShape.assertWrongMediaType(endpoint);
        ErrorShape.assertBodyTooLarge(endpoint, 10240 * 1024);
    }

    @Test
    void aLargeOriginalIsUploadedInPartsAndReadToCheckIt() throws Exception {
        String owner = owner();
        int partSize = 64 << 20;
        byte[] clip = bytes(partSize + 4_321, 91);
        JsonNode created = create(owner, "long.mp4", "video/mp4", clip, List.of());
        String id = created.at("/asset/id").asText();
        JsonNode upload = created.get("upload");
        assertEquals("multipart", upload.get("method").asText());
        assertEquals(partSize, upload.get("partSizeBytes").asLong());
        assertTrue(upload.path("url").isMissingNode() && upload.path("headers").isMissingNode());
        List<Map<String, Object>> etags = new ArrayList<>();
        for (JsonNode part : upload.get("parts")) {
            int number = part.get("partNumber").asInt();
            int from = (number - 1) * partSize;
            byte[] slice = Arrays.copyOfRange(clip, from, Math.min(clip.length, from + partSize));
            assertEquals(slice.length, part.get("sizeBytes").asLong());
            HttpResponse<String> put = HTTP.send(HttpRequest.newBuilder(URI.create(part.get("url").asText()))
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(slice)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, put.statusCode(), put.body());
            etags.add(Map.of("partNumber", number, "etag", put.headers().firstValue("ETag").orElseThrow()));
        }
        assertEquals(2, etags.size());
        internal().contentType(ContentType.JSON).body(Map.of("ownerId", owner)).post("/storage/assets/{id}/complete", id)
                .then().statusCode(400).body("error", containsString("parts"));
        internal().contentType(ContentType.JSON).body(Map.of("ownerId", owner, "parts", List.of(etags.get(1))))
                .post("/storage/assets/{id}/complete", id).then().statusCode(400).body("error", containsString("expected 2 parts"));
        internal().contentType(ContentType.JSON).body(Map.of("ownerId", owner, "parts", etags))
                .post("/storage/assets/{id}/complete", id).then().statusCode(200).body("status", equalTo("processing"));
        JsonNode event = JSON.readTree(KafkaTestClient.awaitOne("asset.uploaded", r -> id.equals(r.key()), EVENT_TIMEOUT).value());
        assertEquals(clip.length, event.get("sizeBytes").asLong());
        assertEquals("video", event.get("kind").asText());
        assertEquals(clip.length, s3.headObject(b -> b.bucket("assets").key(upload.get("key").asText())).contentLength());
    }

    // ---- helpers

    private static String owner() {
        return "owner-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static Map<String, Object> request(String owner, String filename, String contentType, long size, String sha,
            List<String> tags) {
        Map<String, Object> body = new HashMap<>();
        body.put("ownerId", owner);
        body.put("filename", filename);
        body.put("contentType", contentType);
        body.put("sizeBytes", size);
        body.put("sha256", sha);
        body.put("description", "waves breaking on a rocky beach");
        body.put("tags", tags);
        body.put("license", "CC-BY-4.0");
        body.put("attribution", "Jane Doe");
        return body;
    }

    private static JsonNode create(String owner, String filename, String contentType, byte[] data, List<String> tags) throws Exception {
        return JSON.readTree(internal().contentType(ContentType.JSON)
                .body(request(owner, filename, contentType, data.length, sha256(data), tags))
                .post("/storage/assets").then().statusCode(201).contentType(ContentType.JSON)
                .body("asset.license", equalTo("CC-BY-4.0")).body("asset.attribution", equalTo("Jane Doe"))
                .extract().asString());
    }

    private static JsonNode create(String owner, String filename, String contentType, long size, String sha) throws Exception {
        return JSON.readTree(internal().contentType(ContentType.JSON).body(request(owner, filename, contentType, size, sha, List.of()))
                .post("/storage/assets").then().statusCode(201).extract().asString());
    }

    /** An asset of the owner uploaded and completed: processing. */
    private static JsonNode processing(String owner, String contentType, byte[] data) throws Exception {
        JsonNode created = create(owner, "file", contentType, data, List.of("ocean"));
        assertEquals(200, put(created.get("upload"), data).statusCode());
        return JSON.readTree(internal().contentType(ContentType.JSON).body(Map.of("ownerId", owner))
                .post("/storage/assets/{id}/complete", created.at("/asset/id").asText())
                .then().statusCode(200).body("status", equalTo("processing")).extract().asString());
    }

    /** An image asset of the owner taken through to ready, as render-service does. */
    private static JsonNode ready(String owner, byte[] original, byte[] copy) throws Exception {
        String id = processing(owner, "image/png", original).get("id").asText();
        JsonNode grant = JSON.readTree(internal().contentType(ContentType.JSON)
                .body(Map.of("sizeBytes", copy.length, "sha256", sha256(copy), "contentType", "image/jpeg"))
                .post("/storage/assets/{id}/normalised", id).then().statusCode(200).extract().asString());
        assertEquals(200, put(grant, copy).statusCode());
        return JSON.readTree(internal().contentType(ContentType.JSON).body(Map.of("width", 1080, "height", 1920))
                .post("/storage/assets/{id}/ready", id).then().statusCode(200).body("status", equalTo("ready")).extract().asString());
    }

    /** The grant's presigned PUT of {@code data}, with every header the grant lists. */
    private static HttpResponse<String> put(JsonNode grant, byte[] data) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(grant.get("url").asText()));
        grant.get("headers").fields().forEachRemaining(header -> request.header(header.getKey(), header.getValue().asText()));
        return HTTP.send(request.PUT(HttpRequest.BodyPublishers.ofByteArray(data)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }

    private boolean exists(String key) {
        try {
            s3.headObject(b -> b.bucket("assets").key(key));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        }
    }

    /** The row's status, or null when there is no row. */
    private String status(String id) throws Exception {
        try (Connection connection = database.connect();
                PreparedStatement statement = connection.prepareStatement("select status from storage.assets where id = ?")) {
            statement.setObject(1, UUID.fromString(id));
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? rows.getString(1) : null;
            }
        }
    }

    /** Outbox rows still waiting for the asset (the relay deletes them once sent). */
    private long outboxRows(String id) throws Exception {
        try (Connection connection = database.connect();
                PreparedStatement statement = connection.prepareStatement("select count(*) from storage.outbox where record_key = ?")) {
            statement.setString(1, id);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    /** The asset's events on {@code topic} once its outbox rows are sent, within a short window (to prove absence or one only). */
    private List<ConsumerRecord<String, String>> sent(String topic, String id) throws Exception {
        await().atMost(Duration.ofSeconds(30)).until(() -> outboxRows(id) == 0);
        return StorageTesting.allEvents(topic, UUID.fromString(id), Duration.ofSeconds(3));
    }

    /** Runs a sweep as the scheduler does: on a (safe, duplicated) Vert.x context, which Hibernate Reactive needs. */
    private int sweep(Instant cutoff) throws Exception {
        CompletableFuture<Integer> result = new CompletableFuture<>();
        Context context = VertxContext.getOrCreateDuplicatedContext(vertx);
        VertxContextSafetyToggle.setContextSafe(context, true);
        context.runOnContext(ignored -> sweeper.sweep(cutoff).subscribe().with(result::complete, result::completeExceptionally));
        return result.get(60, TimeUnit.SECONDS);
    }
}
