package io.contentmachine.storage;

import static io.contentmachine.storage.StorageTesting.awaitEvent;
import static io.contentmachine.storage.StorageTesting.bytes;
import static io.contentmachine.storage.StorageTesting.internal;
import static io.contentmachine.storage.StorageTesting.rendered;
import static io.contentmachine.storage.StorageTesting.send;
import static io.contentmachine.storage.StorageTesting.sha256;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import io.contentmachine.storage.objects.ObjectStore;
import io.contentmachine.storage.video.VideoIds;
import io.contentmachine.testsupport.KafkaResource;
import io.contentmachine.testsupport.PostgresResource;
import io.contentmachine.testsupport.S3Resource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * Uploads go straight to the final key and finalize is a HEAD: no server-side copy, no read-back where the server
 * verified the SHA-256. What S3Proxy 4.1.0 enforces here (the server of these tests): a signed x-amz-checksum-sha256
 * (other bytes: 400 BadDigest), If-None-Match: * on a PUT (an existing key: 412, the object untouched), and it reports
 * the SHA-256 it verified in a HEAD.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(S3Resource.class)
class NoCopyFinalizeTest {

    @Inject
    S3Client s3;

    @Inject
    MeterRegistry meters;

    @Inject
    ObjectStore store;

    @Test
    void finalizeRecordsTheUploadedObjectWithoutCopyingOrReadingIt() throws Exception {
        UUID projectId = UUID.randomUUID();
        byte[] video = bytes(3_000_000, 103);
        String key = StorageTesting.upload(projectId, video, "video/mp4").get("stagingKey").asText();
        HeadObjectResponse before = s3.headObject(b -> b.bucket("videos").key(key).checksumMode(ChecksumMode.ENABLED));
        assertEquals(ObjectStore.base64Sha256(sha256(video)), before.checksumSHA256(), "the server verified the SHA-256");
        double read = bytesRead();

        send(rendered(projectId, key, null, video));
        JsonNode stored = awaitEvent("video.stored", projectId);

        assertEquals(key, stored.get("storageKey").asText());
        assertEquals(0, bytesRead() - read, "finalize read the server-verified object");
        HeadObjectResponse after = s3.headObject(b -> b.bucket("videos").key(key));
        assertEquals(before.eTag(), after.eTag(), "the object is the uploaded one, not a copy");
        assertEquals(before.lastModified(), after.lastModified(), "not written again");
        assertEquals(1, s3.listObjectsV2(b -> b.bucket("videos").prefix(projectId + "/")).contents().size(), "no second object");
        assertTrue(s3.listObjectsV2(b -> b.bucket("staging").prefix(projectId + "/")).contents().isEmpty(), "nothing staged");
    }

    @Test
    void otherBytesAreRefusedAndAnExistingObjectIsNeverOverwritten() throws Exception {
        UUID projectId = UUID.randomUUID();
        byte[] video = bytes(200_000, 104);
        JsonNode grant = grant(projectId, video);
        assertTrue(grant.get("url").asText().toLowerCase(Locale.ROOT).contains("x-amz-checksum-sha256"), "checksum signed");
        assertTrue(grant.get("url").asText().toLowerCase(Locale.ROOT).contains("if-none-match"), "If-None-Match signed");

        // other bytes of the same size: S3Proxy checks them against the signed checksum
        HttpResponse<String> refused = StorageTesting.put(grant, bytes(video.length, 105));
        assertEquals(400, refused.statusCode(), refused.body());
        assertTrue(refused.body().contains("BadDigest"), refused.body());
        // without the signed headers the signature does not match
        HttpResponse<String> unsigned = StorageTesting.HTTP.send(HttpRequest.newBuilder(URI.create(grant.get("url").asText()))
                .header("Content-Type", "video/mp4").PUT(HttpRequest.BodyPublishers.ofByteArray(video)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(403, unsigned.statusCode(), unsigned.body());
        String key = grant.get("stagingKey").asText();
        assertFalse(exists(key), "nothing written yet");

        assertEquals(200, StorageTesting.put(grant, video).statusCode());
        String etag = s3.headObject(b -> b.bucket("videos").key(key)).eTag();
        // the same grant again (a retried PUT), a second grant for the same bytes: 412, the object untouched
        assertEquals(412, StorageTesting.put(grant, video).statusCode());
        assertEquals(412, StorageTesting.put(grant(projectId, video), video).statusCode());
        // and a PUT of other bytes to the same key, signed like a grant: 412 too, whatever its checksum
        byte[] other = bytes(video.length, 106);
        String url = store.presignCreate("videos", key, "video/mp4", ObjectStore.base64Sha256(sha256(other)), Duration.ofMinutes(5))
                .toString();
        HttpResponse<String> overwrite = StorageTesting.HTTP.send(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "video/mp4")
                .header("If-None-Match", "*").header("x-amz-checksum-sha256", ObjectStore.base64Sha256(sha256(other)))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(other)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(412, overwrite.statusCode(), overwrite.body());
        assertEquals(etag, s3.headObject(b -> b.bucket("videos").key(key)).eTag());
        assertArrayEquals(video, s3.getObjectAsBytes(b -> b.bucket("videos").key(key)).asByteArray());

        send(rendered(projectId, key, null, video));
        assertEquals(key, awaitEvent("video.stored", projectId).get("storageKey").asText());
    }

    @Test
    void anObjectTheServerDidNotVerifyIsReadBackAndRefusedWhenWrong() throws Exception {
        // as on a server that ignores x-amz-checksum-sha256: wrong bytes at the key, no SHA-256 reported
        UUID projectId = UUID.randomUUID();
        byte[] video = bytes(1_000_000, 107);
        byte[] wrong = bytes(video.length, 108);
        String key = projectId + "/" + VideoIds.videoId(projectId, sha256(video)) + ".mp4";
        s3.putObject(b -> b.bucket("videos").key(key).contentType("video/mp4"), RequestBody.fromBytes(wrong));
        double read = bytesRead();

        send(rendered(projectId, key, null, video));
        JsonNode failed = awaitEvent("video.failed", projectId);
        assertTrue(failed.get("reason").asText().contains("sha256 mismatch: expected " + sha256(video) + ", got " + sha256(wrong)),
                failed.get("reason").asText());
        assertTrue(bytesRead() - read >= video.length, "read back to verify it");
        assertFalse(exists(key), "the wrong object is removed: the key is free for a correct upload");
    }

    /** Bytes the service read back from the videos bucket to hash them (its storage.verify.read counter). */
    private double bytesRead() {
        Counter counter = meters.find("storage.verify.read").tag("bucket", "videos").counter();
        return counter == null ? 0 : counter.count();
    }

    private static JsonNode grant(UUID projectId, byte[] data) throws Exception {
        String body = internal().contentType(ContentType.JSON)
                .body(Map.of("projectId", projectId.toString(), "sizeBytes", data.length, "sha256", sha256(data),
                        "contentType", "video/mp4"))
                .post("/storage/uploads").then().statusCode(200).extract().asString();
        return StorageTesting.JSON.readTree(body);
    }

    private boolean exists(String key) {
        try {
            s3.headObject(b -> b.bucket("videos").key(key));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        }
    }
}
