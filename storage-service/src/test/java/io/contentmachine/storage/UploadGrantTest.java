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
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.contentmachine.storage.objects.ObjectStore;
import io.contentmachine.storage.video.VideoIds;
import io.contentmachine.testsupport.Contract;
import io.contentmachine.testsupport.KafkaResource;
import io.contentmachine.testsupport.KafkaTestClient;
import io.contentmachine.testsupport.PostgresDatabase;
import io.contentmachine.testsupport.PostgresResource;
import io.contentmachine.testsupport.S3Resource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(S3Resource.class)
class UploadGrantTest {

    @Inject
    S3Client s3;

    @Inject
    MeterRegistry meters;

    PostgresDatabase database;

    @Test
    void singleGrantIsAPresignedPutToTheFinalKeyWithItsChecksumAndNoOverwrite() throws Exception {
        UUID projectId = UUID.randomUUID();
        byte[] data = bytes(300_000, 1);
        JsonNode grant = StorageTesting.upload(projectId, data, "video/mp4");

        String key = projectId + "/" + VideoIds.videoId(projectId, sha256(data)) + ".mp4";
        assertEquals(key, grant.get("stagingKey").asText(), "the final key: the video's id comes from its SHA-256");
        assertNotNull(UUID.fromString(grant.get("uploadId").asText()));
        assertTrue(grant.path("parts").isMissingNode(), "a single grant has no parts");
        assertEquals("video/mp4", grant.at("/headers/Content-Type").asText());
        assertEquals("*", grant.at("/headers/If-None-Match").asText());
        assertEquals(ObjectStore.base64Sha256(sha256(data)), grant.at("/headers/x-amz-checksum-sha256").asText(),
                "checksums are required by default");
        ResponseBytes<GetObjectResponse> stored = s3.getObjectAsBytes(b -> b.bucket("videos").key(key));
        assertArrayEquals(data, stored.asByteArray());
        assertEquals("video/mp4", stored.response().contentType());
        assertFalse(exists("staging", key), "nothing staged");

        byte[] thumbnail = bytes(2_000, 2);
        JsonNode thumb = StorageTesting.upload(projectId, thumbnail, "image/jpeg");
        assertEquals(projectId + "/" + VideoIds.videoId(projectId, sha256(thumbnail)) + ".jpg", thumb.get("stagingKey").asText());
    }

    @Test
    void largeFilesGetMultipartGrantsWhosePartsUploadAndComplete() throws Exception {
        UUID projectId = UUID.randomUUID();
        int partSize = 32 << 20;
        byte[] data = bytes(2 * partSize + (6 << 20) + 123, 3);
        List<String> partSha256 = new ArrayList<>();
        for (int from = 0; from < data.length; from += partSize) {
            partSha256.add(sha256(Arrays.copyOfRange(data, from, Math.min(data.length, from + partSize))));
        }
        // over the multipart threshold without part checksums: refused, since checksums are required
        internal().contentType(ContentType.JSON)
                .body(Map.of("projectId", projectId.toString(), "sizeBytes", data.length, "sha256", sha256(data), "contentType",
                "video/mp4"))
                .post("/storage/uploads").then().statusCode(400).body("error", containsString("partSha256"));
        internal().contentType(ContentType.JSON)
                .body(Map.of("projectId", projectId.toString(), "sizeBytes", data.length, "sha256", sha256(data), "contentType",
                "video/mp4", "partSizeBytes", partSize, "partSha256", partSha256.subList(0, 2)))
                .post("/storage/uploads").then().statusCode(400).body("error", containsString("partSha256 lists 2 parts"));
        String key = projectId + "/" + VideoIds.videoId(projectId, sha256(data)) + ".mp4";
        String body = internal().contentType(ContentType.JSON)
                .body(Map.of("projectId", projectId.toString(), "sizeBytes", data.length, "sha256", sha256(data), "contentType",
                "video/mp4", "partSizeBytes", partSize, "partSha256", partSha256))
                .post("/storage/uploads")
                .then().statusCode(200)
                .body("method", equalTo("multipart"))
                .body("stagingKey", equalTo(key))
                .body("partSizeBytes", equalTo(partSize))
                .body("parts.size()", equalTo(3))
                .body("url", org.hamcrest.Matchers.nullValue())
                .extract().asString();
        JsonNode grant = JSON.readTree(body);

        List<Map<String, Object>> etags = new ArrayList<>();
        for (JsonNode part : grant.get("parts")) {
            int number = part.get("partNumber").asInt();
            int from = (number - 1) * partSize;
            byte[] slice = Arrays.copyOfRange(data, from, Math.min(data.length, from + partSize));
            assertEquals(slice.length, part.get("sizeBytes").asLong());
            String checksum = part.at("/headers/x-amz-checksum-sha256").asText();
            assertEquals(ObjectStore.base64Sha256(partSha256.get(number - 1)), checksum);
            if (number == 1) {
                // other bytes for the part: the server checks them against the signed checksum
                byte[] other = slice.clone();
                other[0] ^= 1;
                HttpResponse<String> refused = HTTP.send(HttpRequest.newBuilder(URI.create(part.get("url").asText()))
                        .header("x-amz-checksum-sha256", checksum).PUT(HttpRequest.BodyPublishers.ofByteArray(other)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(400, refused.statusCode(), refused.body());
            }
            HttpResponse<String> put = HTTP.send(HttpRequest.newBuilder(URI.create(part.get("url").asText()))
                    .header("x-amz-checksum-sha256", checksum)
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(slice)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, put.statusCode(), put.body());
            etags.add(Map.of("partNumber", number, "etag", put.headers().firstValue("ETag").orElseThrow()));
        }
        String uploadId = grant.get("uploadId").asText();

        // a wrong ETag is refused by S3 and reported as the caller's mistake
        internal().contentType(ContentType.JSON)
                .body(Map.of("parts", List.of(Map.of("partNumber", 1, "etag", "\"0123\""), etags.get(1), etags.get(2))))
                .post("/storage/uploads/{id}/complete", uploadId)
                .then().statusCode(400).body("error", containsString("S3 refused"));
        internal().contentType(ContentType.JSON).body(Map.of("parts", List.of(etags.get(0))))
                .post("/storage/uploads/{id}/complete", uploadId)
                .then().statusCode(400).body("error", containsString("expected 3 parts"));

        internal().contentType(ContentType.JSON).body(Map.of("parts", etags))
                .post("/storage/uploads/{id}/complete", uploadId)
                .then().statusCode(204);
        // completing again is harmless
        internal().contentType(ContentType.JSON).body(Map.of("parts", etags))
                .post("/storage/uploads/{id}/complete", uploadId)
                .then().statusCode(204);

        ResponseBytes<GetObjectResponse> stored = s3.getObjectAsBytes(b -> b.bucket("videos").key(key));
        assertEquals(data.length, stored.asByteArray().length);
        assertEquals(sha256(data), sha256(stored.asByteArray()));
        assertEquals("video/mp4", stored.response().contentType());
        // the server's composite checksum is the one the grant's part checksums make
        HeadObjectResponse head = s3.headObject(b -> b.bucket("videos").key(key).checksumMode(ChecksumMode.ENABLED));
        assertEquals(ObjectStore.compositeSha256(partSha256), head.checksumSHA256());

        // the same bytes uploaded again under a new grant: complete finds the key taken (If-None-Match: *), keeps the object
        JsonNode again = JSON.readTree(internal().contentType(ContentType.JSON)
                .body(Map.of("projectId", projectId.toString(), "sizeBytes", data.length, "sha256", sha256(data), "contentType",
                "video/mp4", "partSizeBytes", partSize, "partSha256", partSha256))
                .post("/storage/uploads").then().statusCode(200).extract().asString());
        List<Map<String, Object>> againEtags = new ArrayList<>();
        for (JsonNode part : again.get("parts")) {
            int from = (part.get("partNumber").asInt() - 1) * partSize;
            HttpResponse<String> put = HTTP.send(HttpRequest.newBuilder(URI.create(part.get("url").asText()))
                    .header("x-amz-checksum-sha256", part.at("/headers/x-amz-checksum-sha256").asText())
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(Arrays.copyOfRange(data, from, Math.min(data.length, from + partSize))))
                    .build(), HttpResponse.BodyHandlers.ofString());
            againEtags.add(Map.of("partNumber", part.get("partNumber").asInt(), "etag", put.headers().firstValue("ETag").orElseThrow()));
        }
        internal().contentType(ContentType.JSON).body(Map.of("parts", againEtags))
                .post("/storage/uploads/{id}/complete", again.get("uploadId").asText()).then().statusCode(204);
        assertEquals(head.lastModified(), s3.headObject(b -> b.bucket("videos").key(key)).lastModified(), "not overwritten");
        assertTrue(s3.listMultipartUploads(b -> b.bucket("videos").prefix(projectId + "/")).uploads().isEmpty(), "aborted");

        // finalize proves the object by the composite of the grant's part checksums: a HEAD, no read
        Counter counter = meters.find("storage.verify.read").tag("bucket", "videos").counter();
        double read = counter == null ? 0 : counter.count();
        StorageTesting.send(StorageTesting.rendered(projectId, key, null, data));
        assertEquals(key, StorageTesting.awaitEvent("video.stored", projectId).get("storageKey").asText());
        Counter after = meters.find("storage.verify.read").tag("bucket", "videos").counter();
        assertEquals(read, after == null ? 0 : after.count(), "the object was not read back");
    }

    @Test
    void badGrantRequestsAreClearClientErrors() {
        String projectId = UUID.randomUUID().toString();
        String sha = "a".repeat(64);
        internal().contentType(ContentType.JSON)
                .body(Map.of("projectId", projectId, "sizeBytes", 10, "sha256", sha, "contentType", "video/quicktime"))
                .post("/storage/uploads").then().statusCode(415).body("error", containsString("video/mp4"));
        internal().contentType(ContentType.JSON)
                .body(Map.of("projectId", projectId, "sizeBytes", (2L << 30) + 1, "sha256", sha, "contentType", "video/mp4"))
                .post("/storage/uploads").then().statusCode(413).body("error", containsString("exceeds the limit"));
        internal().contentType(ContentType.JSON)
                .body(Map.of("projectId", projectId, "sizeBytes", 10, "sha256", "XYZ", "contentType", "video/mp4"))
                .post("/storage/uploads").then().statusCode(400).body("details[0]", containsString("sha256"));
        internal().contentType(ContentType.JSON)
                .body(Map.of("projectId", projectId, "sizeBytes", 0, "sha256", sha, "contentType", "video/mp4"))
                .post("/storage/uploads").then().statusCode(400).body("details[0]", containsString("sizeBytes"));
        internal().contentType(ContentType.JSON)
                .body(Map.of("projectId", "not-a-uuid", "sizeBytes", 10, "sha256", sha, "contentType", "video/mp4"))
                .post("/storage/uploads").then().statusCode(400).body("error", equalTo("Malformed JSON"));
        internal().contentType(ContentType.JSON).body("{\"projectId\":")
                .post("/storage/uploads").then().statusCode(400).body("error", equalTo("Malformed JSON"));
        internal().contentType(ContentType.JSON).body(Map.of("parts", List.of(Map.of("partNumber", 1, "etag", "x"))))
                .post("/storage/uploads/{id}/complete", UUID.randomUUID()).then().statusCode(404).body("error",
                containsString("No upload"));
        internal().contentType(ContentType.JSON).body(Map.of("parts", List.of(Map.of("partNumber", 1, "etag", "x"))))
                .post("/storage/uploads/{id}/complete", "nope").then().statusCode(400).body("error", containsString("UUID"));
    }

    @Test
    void aDeletedProjectGetsNoGrant() throws Exception {
        UUID projectId = UUID.randomUUID();
        StorageTesting.upload(projectId, bytes(5_000, 4), "image/jpeg");
        ObjectNode deleted = (ObjectNode) JSON.readTree(Contract.example("video.deleted"));
        deleted.put("eventId", UUID.randomUUID().toString());
        deleted.put("projectId", projectId.toString());
        KafkaTestClient.send("video.deleted", projectId.toString(), deleted.toString());
        String thumbKey = projectId + "/" + VideoIds.videoId(projectId, sha256(bytes(5_000, 4))) + ".jpg";
        await().atMost(Duration.ofSeconds(30)).until(() -> !exists("videos", thumbKey)
                && count("select count(*) from storage.deleted_projects where project_id = ?", projectId) == 1);
        assertEquals(0, count("select count(*) from storage.uploads where project_id = ?", projectId), "the deletion removed the rows");

        // a single PUT and a multipart grant alike: refused before anything is presigned, staged or recorded
        for (long size : new long[] {300_000, (64L << 20) + 1}) {
            internal().contentType(ContentType.JSON)
                    .body(Map.of("projectId", projectId.toString(), "sizeBytes", size, "sha256", "b".repeat(64),
                            "contentType", "video/mp4", "partSizeBytes", 64L << 20, "partSha256", List.of("c".repeat(64), "d".repeat(64))))
                    .post("/storage/uploads")
                    .then().statusCode(410).contentType(ContentType.JSON)
                    .body("error", equalTo("project " + projectId + " was deleted: no uploads are granted for it"))
                    .body("url", org.hamcrest.Matchers.nullValue())
                    .body("uploadId", org.hamcrest.Matchers.nullValue());
        }
        assertEquals(0, count("select count(*) from storage.uploads where project_id = ?", projectId), "no upload recorded");
        assertTrue(s3.listMultipartUploads(b -> b.bucket("videos").prefix(projectId + "/")).uploads().isEmpty(),
                "no multipart upload started");
        assertTrue(s3.listObjectsV2(b -> b.bucket("videos").prefix(projectId + "/")).contents().isEmpty(), "nothing uploaded");

        // another project is unaffected
        StorageTesting.upload(UUID.randomUUID(), bytes(1_000, 5), "image/jpeg");
        // and the refusal is part of the documented API
        given().queryParam("format", "json").get("/q/openapi").then().statusCode(200)
                .body("paths.'/storage/uploads'.post.responses.'410'.description", containsString("deleted"))
                .body("paths.'/storage/uploads'.post.responses.'413'", org.hamcrest.Matchers.notNullValue());
    }

    @Test
    void aProjectTheGatewayGaveUpOnIsEndedLikeADeletedOne() throws Exception {
        UUID gaveUp = UUID.randomUUID();
        UUID renderFailed = UUID.randomUUID();
        String gaveUpKey = StorageTesting.upload(gaveUp, bytes(5_000, 6), "image/jpeg").get("stagingKey").asText();
        String renderFailedKey = StorageTesting.upload(renderFailed, bytes(5_000, 7), "image/jpeg").get("stagingKey").asText();
        String renderFailure = failed(renderFailed, "render");
        failed(gaveUp, "timeout");
        await().atMost(Duration.ofSeconds(30)).until(() -> !exists("videos", gaveUpKey)
                && count("select count(*) from storage.deleted_projects where project_id = ?", gaveUp) == 1
                && count("select count(*) from storage.processed_events where event_id = ?", UUID.fromString(renderFailure)) == 1);
        // a late render of the project the gateway shows failed is never stored (and so never published)
        internal().contentType(ContentType.JSON)
                .body(Map.of("projectId", gaveUp.toString(), "sizeBytes", 300_000, "sha256", "c".repeat(64), "contentType", "video/mp4"))
                .post("/storage/uploads").then().statusCode(410);
        // a failure render-service reported itself changes nothing here
        assertEquals(0, count("select count(*) from storage.deleted_projects where project_id = ?", renderFailed));
        assertTrue(exists("videos", renderFailedKey));
    }

    /** Sends a video.failed of the stage for the project; returns its eventId. */
    private static String failed(UUID projectId, String stage) throws Exception {
        ObjectNode event = (ObjectNode) JSON.readTree(Contract.example("video.failed"));
        String eventId = UUID.randomUUID().toString();
        event.put("eventId", eventId);
        event.put("projectId", projectId.toString());
        event.put("stage", stage);
        Contract.assertValid("video.failed", event.toString());
        KafkaTestClient.send("video.failed", projectId.toString(), event.toString());
        return eventId;
    }

    @Test
    void internalTokenIsRequired() {
        String projectId = UUID.randomUUID().toString();
        given().contentType(ContentType.JSON)
                .body(Map.of("projectId", projectId, "sizeBytes", 10, "sha256", "a".repeat(64), "contentType", "video/mp4"))
                .post("/storage/uploads").then().statusCode(401).body("error", containsString("internal token"));
        given().header("X-Internal-Token", "wrong").get("/storage/projects/{id}/video", projectId).then().statusCode(401);
        given().get("/storage/projects/{id}/video/url", projectId).then().statusCode(401);
        given().delete("/storage/projects/{id}", projectId).then().statusCode(401);
        given().get("/q/health/live").then().statusCode(200);
    }

    @Test
    void readinessCoversPostgresKafkaAndS3() {
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.name", org.hamcrest.Matchers.hasItem("s3"))
                .body("checks.find { it.name == 's3' }.status", equalTo("UP"))
                .body("checks.size()", org.hamcrest.Matchers.greaterThanOrEqualTo(3));
    }

    private boolean exists(String bucket, String key) {
        try {
            s3.headObject(b -> b.bucket(bucket).key(key));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        }
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
