package io.contentmachine.render;

import static io.contentmachine.render.RenderTesting.MAPPER;
import static io.contentmachine.render.RenderTesting.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.contentmachine.render.video.ProcessRunner;
import io.contentmachine.render.video.RenderControl;
import io.contentmachine.testsupport.Contract;
import io.contentmachine.testsupport.KafkaResource;
import io.contentmachine.testsupport.KafkaTestClient;
import io.contentmachine.testsupport.PostgresResource;
import io.contentmachine.testsupport.S3Resource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * A render that uses the owner's media library (docs/MEDIA-LIBRARY.md), from video.requested to video.rendered against real
 * Kafka, Postgres and S3, index- and storage-service played by {@link StorageGrantServer}: a bright green still of the
 * owner's library, its normalised copy in S3, is matched for the scenes and is seen in the frames of the uploaded video
 * during those scenes only; the owner's music chosen by tag is mixed under the voice, and the mix still measures −14 LUFS
 * ± 1 with true peak ≤ −1 dBTP. Provenance names both assets.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(S3Resource.class)
@WithTestResource(StorageGrantServer.class)
class LibraryRenderTest {

    static final Duration RENDER = Duration.ofSeconds(240);

    @TempDir
    Path work;

    @Test
    void libraryStillIsShownAndMusicIsMixedUnderTheVoice() throws Exception {
        String owner = "owner-library-" + UUID.randomUUID();
        UUID green = UUID.randomUUID();
        UUID song = UUID.randomUUID();
        normalised(green, "green.jpg", "image/jpeg", "-f", "lavfi", "-i", "color=c=0x00ff00:s=1080x1920:d=1", "-frames:v", "1");
        // six seconds of a 45 Hz hum (−14 dB RMS), looped to the video's length: a frequency the voice hardly has, so that the
        // bed can be measured in the mix
        normalised(song, "song.m4a", "audio/mp4", "-f", "lavfi", "-i", "sine=f=45:d=6", "-af", "volume=7dB", "-c:a", "aac",
                "-ar", "48000");
        StorageGrantServer.LIBRARY.add(new StorageGrantServer.LibraryAsset(green, owner, "image", "a bright green meadow", List.of()));
        StorageGrantServer.LIBRARY.add(new StorageGrantServer.LibraryAsset(song, owner, "audio", "calm tone", List.of("calm")));

        UUID project = UUID.randomUUID();
        ObjectNode requested = (ObjectNode) MAPPER.readTree(request(UUID.randomUUID(), project, "Why meadows are green", "minimal", 15));
        requested.put("ownerId", owner);
        ((ObjectNode) requested.get("config")).putObject("music").put("tag", "calm");
        Contract.assertValid("video.requested", requested.toString());
        KafkaTestClient.send("video.requested", project.toString(), requested.toString());

        ConsumerRecord<String, String> record = KafkaTestClient.awaitOne("video.rendered", r -> project.toString().equals(r.key()), RENDER);
        Contract.assertValid("video.rendered", record.value());
        JsonNode event = MAPPER.readTree(record.value());
        JsonNode script = event.get("script");
        assertEquals(song.toString(), script.get("music").get("assetId").asText(), script.get("music").toString());
        assertEquals("calm", script.get("music").get("tag").asText());
        assertTrue(script.get("music").get("detail").asText().contains("ducked"), script.get("music").toString());
        assertNull(script.get("music").get("fallback"));
        // every scene asked the owner's library with its English visual prompt
        List<JsonNode> searches = StorageGrantServer.SEARCHES.stream().filter(s -> s.get("ownerId").asText().equals(owner)).toList();
        assertTrue(searches.stream().anyMatch(s -> s.get("kinds").toString().equals("[\"audio\"]")
                && s.get("text").asText().equals("calm")));
        for (JsonNode scene : script.get("scenes")) {
            JsonNode visual = scene.get("visual");
            assertEquals("library", visual.get("source").asText(), visual.toString());
            assertEquals(green.toString(), visual.get("assetId").asText());
            assertTrue(searches.stream().anyMatch(s -> s.get("text").asText().equals(scene.get("visualPrompt").asText())));
        }
        JsonNode quality = event.get("quality");
        assertEquals(-14, quality.get("integratedLufs").asDouble(), 1.0);

        Path video = work.resolve("video.mp4");
        Files.write(video, StorageGrantServer.s3().getObjectAsBytes(b -> b.bucket(StorageGrantServer.BUCKET)
                .key(event.get("stagingKey").asText())).asByteArray());
        // the still, seen: a patch at the frame's left edge (clear of captions, title and bar) sampled 4 times a second
        ProcessRunner.run(List.of("ffmpeg", "-hide_banner", "-nostdin", "-v", "error", "-i", "video.mp4", "-vf",
                "fps=4,crop=8:8:40:996,scale=1:1:flags=area", "-f", "rawvideo", "-pix_fmt", "rgb24", "frames.rgb"), work,
                RenderControl.unlimited(), "test");
        byte[] rgb = Files.readAllBytes(work.resolve("frames.rgb"));
        int frames = rgb.length / 3;
        List<Double> greenAt = new ArrayList<>();
        for (int i = 0; i < frames; i++) {
            int r = rgb[3 * i] & 0xff;
            int g = rgb[3 * i + 1] & 0xff;
            int b = rgb[3 * i + 2] & 0xff;
            if (g > 200 && r < 70 && b < 70) {
                greenAt.add((i + 0.5) / 4);
            }
        }
        assertTrue(greenAt.size() >= 6, "frames showing the library still: " + greenAt + " of " + frames);
        assertTrue(greenAt.size() < frames, "the shots between are drawn (the picture changes at each cut)");

        // loudness of the file as uploaded, and the hum under the voice: Festival's voice alone, levelled to −15 LUFS, measures
        // −57 dB in that band (Q 30 around 45 Hz); the bed, 12 dB under the voice and ducked while it speaks, about −30 to −40 dB
        String level = ProcessRunner.run(List.of("ffmpeg", "-hide_banner", "-nostats", "-i", "video.mp4", "-map", "0:a",
                "-af", "ebur128=peak=true", "-f", "null", "-"), work, RenderControl.unlimited(), "test").stderrTail();
        double lufs = Double.parseDouble(level.replaceAll("(?s).*I:\\s+(-?[0-9.]+) LUFS.*", "$1"));
        double peak = Double.parseDouble(level.replaceAll("(?s).*Peak:\\s+(-?[0-9.]+) dBFS.*", "$1"));
        assertEquals(-14, lufs, 1.0, "integrated loudness with music");
        assertTrue(peak <= -1.0, "true peak " + peak);
        double hum = band(45);
        System.out.printf(Locale.ROOT, "library render: %d of %d sampled frames green; %.1f LUFS, true peak %.1f dBTP;"
                + " 45 Hz band %.1f dB%n", greenAt.size(), frames, lufs, peak, hum);
        assertTrue(hum > -50, "music bed in the mix: 45 Hz band at " + hum + " dB");
        assertFalse(searches.isEmpty());
    }

    /** RMS level (dB) of the video's sound in a narrow band around {@code hz}. */
    private double band(int hz) {
        String stats = ProcessRunner.run(List.of("ffmpeg", "-hide_banner", "-nostats", "-i", "video.mp4", "-map", "0:a", "-af",
                "bandpass=f=" + hz + ":width_type=q:w=30,astats=measure_perchannel=none:measure_overall=RMS_level", "-f", "null", "-"),
                work, RenderControl.unlimited(), "test").stderrTail();
        return Double.parseDouble(stats.replaceAll("(?s).*RMS level dB:\\s+(-?[0-9.inf]+).*", "$1"));
    }

    /** Makes a file with ffmpeg and puts it in S3 as the asset's normalised copy. */
    private void normalised(UUID asset, String name, String contentType, String... args) {
        List<String> command = new ArrayList<>(List.of("ffmpeg", "-hide_banner", "-nostdin", "-y", "-v", "error"));
        command.addAll(List.of(args));
        command.add(name);
        ProcessRunner.run(command, work, RenderControl.unlimited(), "test");
        StorageGrantServer.s3().putObject(b -> b.bucket(StorageGrantServer.ASSETS).key(StorageGrantServer.assetKey(asset, "normalised"))
                .contentType(contentType), RequestBody.fromFile(work.resolve(name)));
    }
}
