package io.contentmachine.publish;

import static io.restassured.RestAssured.given;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.contentmachine.testsupport.KafkaTestClient;
import io.restassured.http.ContentType;

/**
 * A generated video file served by the storage stand-in, and the video.stored event that announces it. Its owner has an
 * account of its own on every platform, made of the sandbox's fixed tokens (nobody publishes without an account), unless
 * made with {@link #withoutAccounts}.
 */
public final class TestVideos {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    public final UUID projectId = UUID.randomUUID();
    public final UUID videoId = UUID.randomUUID();
    public final String ownerId;
    public final Path file;
    public final long size;
    public final String sha256;

    private TestVideos(Path file, long size, String sha256, String ownerId) {
        this.file = file;
        this.size = size;
        this.sha256 = sha256;
        this.ownerId = ownerId;
    }

    /** The same file as another project's video of the same owner (whose accounts it shares). */
    public TestVideos sameOwnerNewProject() {
        return of(ownerId);
    }

    /** The same file as another project's video of {@code owner}, whose accounts are left as they are. */
    public TestVideos of(String owner) {
        TestVideos copy = new TestVideos(file, size, sha256, owner);
        StorageStandIn.serve(copy.projectId, file);
        return copy;
    }

    /** The same file as another project's video (new project, video and owner ids), served for that project too. */
    public TestVideos forNewProject() {
        return of("owner-" + UUID.randomUUID()).connected();
    }

    /** A file of {@code size} random bytes, served for this project, its owner with an account on every platform. */
    public static TestVideos generate(long size) {
        return withoutAccounts(size).connected();
    }

    /** Registers the sandbox's fixed tokens as this owner's account on each platform (as PUT /api/accounts/{platform} does). */
    public TestVideos connected() {
        for (String platform : List.of("youtube", "tiktok", "instagram")) {
            given().header("X-Internal-Token", "test-internal-token").contentType(ContentType.JSON)
                    .body(Map.of("accessToken", "sandbox-token", "refreshToken", "sandbox-refresh"))
                    .put("/publish/accounts/" + ownerId + "/" + platform).then().statusCode(200);
        }
        return this;
    }

    /** A file of {@code size} random bytes, served for this project, its owner without any account. */
    public static TestVideos withoutAccounts(long size) {
        try {
            Path file = Files.createTempFile("cm-publish-test-", ".mp4");
            file.toFile().deleteOnExit();
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            Random random = new Random();
            byte[] buffer = new byte[64 * 1024];
            try (OutputStream out = Files.newOutputStream(file)) {
                long left = size;
                while (left > 0) {
                    random.nextBytes(buffer);
                    int n = (int) Math.min(buffer.length, left);
                    out.write(buffer, 0, n);
                    digest.update(buffer, 0, n);
                    left -= n;
                }
            }
            TestVideos video = new TestVideos(file, size, HexFormat.of().formatHex(digest.digest()), "owner-" + UUID.randomUUID());
            StorageStandIn.serve(video.projectId, file);
            return video;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** video.stored for this video asking for {@code platforms}, with the given eventId. */
    public String storedEvent(UUID eventId, List<String> platforms, String publishAt) {
        ObjectNode event = MAPPER.createObjectNode();
        event.put("eventId", eventId.toString());
        event.put("projectId", projectId.toString());
        event.put("ownerId", ownerId);
        event.put("occurredAt", Instant.now().toString());
        event.put("videoId", videoId.toString());
        event.put("storageKey", projectId + "/" + videoId + ".mp4");
        event.put("thumbnailKey", projectId + "/" + videoId + ".jpg");
        event.put("sha256", sha256);
        event.put("sizeBytes", size);
        event.put("durationSeconds", 30.4);
        event.put("resolution", "1080x1920");
        event.set("metadata", MAPPER.valueToTree(Map.of(
                "title", "Why octopuses have three hearts " + projectId.toString().substring(0, 8),
                "description", "A 30 second explainer about <octopus> hearts.",
                "tags", List.of("octopus", "ocean life", "biology"),
                "hashtags", List.of("#octopus", "ocean"))));
        if (platforms != null) {
            ObjectNode publish = event.putObject("publish");
            publish.set("platforms", MAPPER.valueToTree(platforms));
            if (publishAt != null) {
                publish.put("publishAt", publishAt);
            }
            if (platforms.contains("tiktok")) {
                // TikTok has no default privacy level: the person chooses one per post
                publish.putObject("tiktok").put("privacyLevel", "PUBLIC_TO_EVERYONE");
            }
        }
        return event.toString();
    }

    public void sendStored(UUID eventId, List<String> platforms) {
        KafkaTestClient.send("video.stored", projectId.toString(), storedEvent(eventId, platforms, null));
    }
}
