package io.contentmachine.render;

import static io.contentmachine.render.RenderTesting.MAPPER;
import static io.contentmachine.render.RenderTesting.count;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.contentmachine.render.video.ProcessRunner;
import io.contentmachine.render.video.RenderControl;
import io.contentmachine.testsupport.Contract;
import io.contentmachine.testsupport.KafkaResource;
import io.contentmachine.testsupport.KafkaTestClient;
import io.contentmachine.testsupport.PostgresDatabase;
import io.contentmachine.testsupport.PostgresResource;
import io.contentmachine.testsupport.S3Resource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * The media library's normalise jobs (docs/MEDIA-LIBRARY.md), from asset.uploaded to storage-service's ready or rejected,
 * against real Kafka, Postgres and S3 (storage-service's endpoints played by {@link StorageGrantServer}): a file that is
 * not what its kind claims is rejected with the reason and its original removed; a real clip, still and song become their
 * normalised copies, which are in S3 as announced and ffprobe as the spec says.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(S3Resource.class)
@WithTestResource(StorageGrantServer.class)
class AssetNormaliseTest {

    static final Duration WAIT = Duration.ofSeconds(90);

    PostgresDatabase database;

    @TempDir
    Path work;

    @Test
    void fakesAreRejectedWithTheReasonAndTheirOriginalRemoved() throws Exception {
        UUID text = upload("video", "video/mp4", "this is a text file, not a video\n".getBytes(StandardCharsets.UTF_8));
        UUID still = upload("video", "video/mp4", media("still.png", "-f", "lavfi", "-i", "color=c=red:s=320x240:d=1",
                "-frames:v", "1"));
        UUID silent = upload("audio", "audio/mpeg", media("silent.mp4", "-f", "lavfi", "-i", "testsrc=s=320x240:d=2:r=25",
                "-c:v", "libx264", "-preset", "ultrafast"));

        await().atMost(WAIT).until(() -> StorageGrantServer.REJECTED.keySet().containsAll(List.of(text, still, silent)));
        assertTrue(StorageGrantServer.REJECTED.get(text).startsWith("not a media file that can be read"),
                StorageGrantServer.REJECTED.get(text));
        assertTrue(StorageGrantServer.REJECTED.get(still).startsWith("not a video: the file is a still image"),
                StorageGrantServer.REJECTED.get(still));
        assertTrue(StorageGrantServer.REJECTED.get(silent).startsWith("not audio: the file has no audio stream"),
                StorageGrantServer.REJECTED.get(silent));
        for (UUID id : List.of(text, still, silent)) {
            assertFalse(StorageGrantServer.READY.containsKey(id));
            assertEquals(1, count(database, "select count(*) from render.asset_jobs where asset_id = ? and status = 'rejected'"
                    + " and attempts = 1 and error is not null", id));
            assertThrows(NoSuchKeyException.class, () -> StorageGrantServer.s3().headObject(b -> b.bucket(StorageGrantServer.ASSETS)
                    .key(StorageGrantServer.assetKey(id, "original"))), "the original is removed");
        }
    }

    @Test
    void clipStillAndSongBecomeTheirNormalisedCopies() throws Exception {
        // a landscape clip with sound, longer than a library clip may be: cover-cropped to portrait, cut at 30 s, silent
        UUID clip = upload("video", "video/mp4", media("clip.mp4", "-f", "lavfi", "-i", "testsrc2=s=640x360:r=25:d=33",
                "-f", "lavfi", "-i", "sine=f=440:d=33", "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", "-shortest"));
        UUID still = upload("image", "image/png", media("still.png", "-f", "lavfi", "-i", "color=c=0x00ff00:s=800x600:d=1",
                "-frames:v", "1"));
        UUID song = upload("audio", "audio/wav", media("song.wav", "-f", "lavfi", "-i", "sine=f=330:d=5", "-af", "volume=-30dB"));

        await().atMost(WAIT).until(() -> StorageGrantServer.READY.keySet().containsAll(List.of(clip, still, song)));

        Facts video = probe(clip, "clip.mp4");
        assertEquals("h264", video.codec);
        assertEquals(1080, video.width);
        assertEquals(1920, video.height);
        assertNull(video.audio, "a library clip has no sound");
        assertEquals(30, video.seconds, 0.2, "cut at 30 s");
        JsonNode ready = StorageGrantServer.READY.get(clip);
        assertEquals(1080, ready.get("width").asInt());
        assertEquals(1920, ready.get("height").asInt());
        assertEquals(30, ready.get("durationSeconds").asDouble(), 0.2);

        Facts image = probe(still, "still.jpg");
        assertEquals("mjpeg", image.codec);
        assertEquals(1080, image.width);
        assertEquals(1920, image.height);
        assertEquals(1920, StorageGrantServer.READY.get(still).get("height").asInt());
        assertEquals("image/jpeg", StorageGrantServer.s3().headObject(b -> b.bucket(StorageGrantServer.ASSETS)
                .key(StorageGrantServer.assetKey(still, "normalised"))).contentType());

        Facts music = probe(song, "song.m4a");
        assertNull(music.codec);
        assertEquals("aac", music.audio);
        assertEquals(5, music.seconds, 0.2);
        String level = ProcessRunner.run(List.of("ffmpeg", "-hide_banner", "-nostats", "-i", music.file.toString(), "-af",
                "ebur128", "-f", "null", "-"), work, RenderControl.unlimited(), "test").stderrTail();
        double lufs = Double.parseDouble(level.replaceAll("(?s).*I:\\s+(-?[0-9.]+) LUFS.*", "$1"));
        assertEquals(-16, lufs, 1.5, "a −30 dB sine is loudness-normalised");

        for (UUID id : List.of(clip, still, song)) {
            assertEquals(1, count(database, "select count(*) from render.asset_jobs where asset_id = ? and status = 'done'", id));
        }
    }

    @Test
    void deletedAssetIsNeverProcessed() throws Exception {
        UUID asset = UUID.randomUUID();
        ObjectNode deleted = (ObjectNode) MAPPER.readTree(Contract.example("asset.deleted"));
        deleted.put("eventId", UUID.randomUUID().toString());
        deleted.put("assetId", asset.toString());
        Contract.assertValid("asset.deleted", deleted.toString());
        KafkaTestClient.send("asset.deleted", asset.toString(), deleted.toString());
        await().atMost(WAIT).until(() -> count(database, "select count(*) from render.asset_jobs where asset_id = ?"
                + " and status = 'cancelled'", asset) == 1);
        // the upload event arriving late finds the cancelled job: nothing is probed, nothing announced
        UUID eventId = send(asset, "video", "video/mp4", new byte[] {1, 2, 3});
        await().atMost(WAIT).until(() -> count(database, "select count(*) from render.processed_events where event_id = ?",
                eventId) == 1);
        assertEquals(1, count(database, "select count(*) from render.asset_jobs where asset_id = ? and status = 'cancelled'"
                + " and attempts = 0", asset));
        assertFalse(StorageGrantServer.READY.containsKey(asset) || StorageGrantServer.REJECTED.containsKey(asset));
    }

    /** Puts {@code bytes} as a new asset's original and sends its asset.uploaded; returns the asset id. */
    private UUID upload(String kind, String contentType, byte[] bytes) throws Exception {
        UUID asset = UUID.randomUUID();
        StorageGrantServer.s3().putObject(b -> b.bucket(StorageGrantServer.ASSETS).key(StorageGrantServer.assetKey(asset, "original"))
                .contentType(contentType), software.amazon.awssdk.core.sync.RequestBody.fromBytes(bytes));
        send(asset, kind, contentType, bytes);
        return asset;
    }

    private UUID send(UUID asset, String kind, String contentType, byte[] bytes) throws Exception {
        ObjectNode event = (ObjectNode) MAPPER.readTree(Contract.example("asset.uploaded"));
        UUID eventId = UUID.randomUUID();
        event.put("eventId", eventId.toString());
        event.put("assetId", asset.toString());
        event.put("kind", kind);
        event.put("contentType", contentType);
        event.put("sizeBytes", bytes.length);
        event.put("sha256", HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)));
        Contract.assertValid("asset.uploaded", event.toString());
        KafkaTestClient.send("asset.uploaded", asset.toString(), event.toString());
        return eventId;
    }

    /** A file made by ffmpeg with {@code args} (inputs and options before the output). */
    private byte[] media(String name, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("ffmpeg", "-hide_banner", "-nostdin", "-y", "-v", "error"));
        command.addAll(List.of(args));
        command.add(name);
        ProcessRunner.run(command, work, RenderControl.unlimited(), "test");
        return Files.readAllBytes(work.resolve(name));
    }

    private record Facts(Path file, String codec, String audio, int width, int height, double seconds) {
    }

    /** ffprobe of the asset's normalised copy, downloaded from S3. */
    private Facts probe(UUID asset, String name) throws Exception {
        Path file = work.resolve("normalised-" + name);
        Files.write(file, StorageGrantServer.s3().getObjectAsBytes(b -> b.bucket(StorageGrantServer.ASSETS)
                .key(StorageGrantServer.assetKey(asset, "normalised"))).asByteArray());
        JsonNode root = MAPPER.readTree(ProcessRunner.run(List.of("ffprobe", "-v", "error", "-show_entries",
                "stream=codec_type,codec_name,width,height:format=duration", "-of", "json", file.toString()), work,
                RenderControl.unlimited(), "test").stdout());
        String codec = null;
        String audio = null;
        int width = 0;
        int height = 0;
        for (JsonNode s : root.path("streams")) {
            if (s.path("codec_type").asText().equals("video")) {
                codec = s.path("codec_name").asText();
                width = s.path("width").asInt();
                height = s.path("height").asInt();
            } else if (s.path("codec_type").asText().equals("audio")) {
                audio = s.path("codec_name").asText();
            }
        }
        return new Facts(file, codec, audio, width, height, root.path("format").path("duration").asDouble(0));
    }
}
