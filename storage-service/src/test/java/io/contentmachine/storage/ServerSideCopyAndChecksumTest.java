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
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.contentmachine.storage.video.VideoIds;
import io.contentmachine.testsupport.KafkaResource;
import io.contentmachine.testsupport.PostgresResource;
import io.contentmachine.testsupport.S3Resource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * The paths that matter for large objects and strict uploads, with their thresholds lowered so that small objects take
 * them: a server-side copy in parts (UploadPartCopy, as objects over 5 GiB need), and single PUTs whose SHA-256 the S3
 * server checks (signed x-amz-checksum-sha256).
 */
@QuarkusTest
@TestProfile(ServerSideCopyAndChecksumTest.SmallCopyPartsAndRequiredChecksums.class)
@WithTestResource(PostgresResource.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(S3Resource.class)
class ServerSideCopyAndChecksumTest {

    public static class SmallCopyPartsAndRequiredChecksums implements QuarkusTestProfile {

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("storage.copy-threshold-bytes", String.valueOf(6L << 20),
                    "storage.copy-part-size-bytes", String.valueOf(5L << 20),
                    "storage.require-upload-checksum", "true");
        }
    }

    @Inject
    S3Client s3;

    @Inject
    MeterRegistry meters;

    @Test
    void anObjectOverTheCopyThresholdIsCopiedInParts() throws Exception {
        UUID projectId = UUID.randomUUID();
        byte[] video = bytes(12 * 1024 * 1024 + 123, 100);
        String stagingKey = StorageTesting.upload(projectId, video, "video/mp4").get("stagingKey").asText();
        send(rendered(projectId, stagingKey, null, video));

        JsonNode stored = awaitEvent("video.stored", projectId);
        UUID videoId = VideoIds.videoId(projectId, sha256(video));
        String key = projectId + "/" + videoId + ".mp4";
        assertEquals(key, stored.get("storageKey").asText());
        HeadObjectResponse head = s3.headObject(b -> b.bucket("videos").key(key));
        // a multipart object's ETag ends in its part count: 5 MiB + 5 MiB + the rest
        assertTrue(head.eTag().endsWith("-3\""), "copied in 3 parts: " + head.eTag());
        assertEquals("video/mp4", head.contentType());
        assertEquals(sha256(video), head.metadata().get("sha256"));
        byte[] copied = s3.getObjectAsBytes(b -> b.bucket("videos").key(key)).asByteArray();
        assertEquals(sha256(video), sha256(copied));
        assertArrayEquals(video, copied);
        assertTrue(s3.listMultipartUploads(b -> b.bucket("videos")).uploads().stream().noneMatch(u -> u.key().equals(key)),
                "no multipart upload left open");
    }

    @Test
    void aRequiredChecksumIsSignedAndTheServerRefusesOtherBytes() throws Exception {
        UUID projectId = UUID.randomUUID();
        byte[] video = bytes(200_000, 101);
        String checksum = Base64.getEncoder().encodeToString(HexFormat.of().parseHex(sha256(video)));
        JsonNode grant = grant(projectId, video);
        assertEquals(checksum, grant.at("/headers/x-amz-checksum-sha256").asText());
        assertTrue(grant.get("url").asText().toLowerCase(Locale.ROOT).contains("x-amz-checksum-sha256"), "header signed: "
                + grant.get("url"));

        // other bytes of the same size: the server checks them against the signed checksum
        byte[] other = bytes(video.length, 102);
        HttpResponse<String> refused = StorageTesting.put(grant, other);
        assertEquals(400, refused.statusCode(), refused.body());
        // without the header the signature does not match
        HttpResponse<String> unsigned = StorageTesting.HTTP.send(HttpRequest.newBuilder(URI.create(grant.get("url").asText()))
                .header("Content-Type", "video/mp4").PUT(HttpRequest.BodyPublishers.ofByteArray(video)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(403, unsigned.statusCode(), unsigned.body());
        assertFalse(exists("staging", grant.get("stagingKey").asText()), "nothing staged yet");

        HttpResponse<String> accepted = StorageTesting.put(grant, video);
        assertEquals(200, accepted.statusCode(), accepted.body());
        // what finalize relies on to skip its own read: the server reports the checksum it verified
        HeadObjectResponse head = s3.headObject(b -> b.bucket("staging").key(grant.get("stagingKey").asText())
                .checksumMode(ChecksumMode.ENABLED));
        assertEquals(checksum, head.checksumSHA256());

        send(rendered(projectId, grant.get("stagingKey").asText(), null, video));
        JsonNode stored = awaitEvent("video.stored", projectId);
        assertArrayEquals(video, s3.getObjectAsBytes(b -> b.bucket("videos").key(stored.get("storageKey").asText())).asByteArray());
        assertFalse(exists("staging", grant.get("stagingKey").asText()));
    }

    @Test
    void finalizeTrustsTheServersChecksumOnlyWhenItIsTheAnnouncedOne() throws Exception {
        // the server verified the bytes against the announced SHA-256 at upload: finalize does not read them again
        UUID projectId = UUID.randomUUID();
        byte[] video = bytes(3_000_000, 103);
        String stagingKey = StorageTesting.upload(projectId, video, "video/mp4").get("stagingKey").asText();
        double before = stagingBytesRead();
        send(rendered(projectId, stagingKey, null, video));
        JsonNode stored = awaitEvent("video.stored", projectId);
        assertEquals(0, stagingBytesRead() - before, "finalize read the server-verified staged object");
        assertArrayEquals(video, s3.getObjectAsBytes(b -> b.bucket("videos").key(stored.get("storageKey").asText())).asByteArray());

        // the server's checksum is of other bytes than announced: it proves nothing, so they are read and refused
        UUID mismatched = UUID.randomUUID();
        String mismatchedKey = StorageTesting.upload(mismatched, video, "video/mp4").get("stagingKey").asText();
        ObjectNode wrong = rendered(mismatched, mismatchedKey, null, video);
        String announced = sha256(bytes(video.length, 104));
        wrong.put("sha256", announced);
        before = stagingBytesRead();
        send(wrong);
        JsonNode failed = awaitEvent("video.failed", mismatched);
        assertTrue(failed.get("reason").asText().contains("sha256 mismatch: expected " + announced + ", got " + sha256(video)),
                failed.get("reason").asText());
        assertTrue(stagingBytesRead() - before >= video.length, "the staged object was read to verify it");
        assertTrue(exists("staging", mismatchedKey), "staged object kept for inspection");

        // staged without a SHA-256 the server checked (no signed checksum): read and verified, then stored
        UUID unchecked = UUID.randomUUID();
        byte[] other = bytes(1_000_000, 105);
        s3.putObject(b -> b.bucket("staging").key(unchecked + "/video.mp4").contentType("video/mp4"), RequestBody.fromBytes(other));
        assertNull(s3.headObject(b -> b.bucket("staging").key(unchecked + "/video.mp4").checksumMode(ChecksumMode.ENABLED))
                .checksumSHA256(), "no server-side SHA-256");
        before = stagingBytesRead();
        send(rendered(unchecked, unchecked + "/video.mp4", null, other));
        JsonNode uncheckedStored = awaitEvent("video.stored", unchecked);
        assertTrue(stagingBytesRead() - before >= other.length, "the staged object was read to verify it");
        String uncheckedKey = uncheckedStored.get("storageKey").asText();
        assertArrayEquals(other, s3.getObjectAsBytes(b -> b.bucket("videos").key(uncheckedKey)).asByteArray());
    }

    /** Bytes the service has read back from the staging bucket to hash them (its storage.verify.read counter). */
    private double stagingBytesRead() {
        Counter counter = meters.find("storage.verify.read").tag("bucket", "staging").counter();
        return counter == null ? 0 : counter.count();
    }

    private static JsonNode grant(UUID projectId, byte[] data) throws Exception {
        String body = internal().contentType(ContentType.JSON)
                .body(Map.of("projectId", projectId.toString(), "sizeBytes", data.length, "sha256", sha256(data),
                        "contentType", "video/mp4"))
                .post("/storage/uploads").then().statusCode(200).extract().asString();
        return StorageTesting.JSON.readTree(body);
    }

    private boolean exists(String bucket, String key) {
        try {
            s3.headObject(b -> b.bucket(bucket).key(key));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        }
    }
}
