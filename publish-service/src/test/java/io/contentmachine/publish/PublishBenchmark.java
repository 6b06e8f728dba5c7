package io.contentmachine.publish;

import static io.restassured.RestAssured.given;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.contentmachine.publish.platform.tiktok.TikTokPublisher;
import io.contentmachine.testsupport.KafkaResource;
import io.contentmachine.testsupport.KafkaTestClient;
import io.contentmachine.testsupport.PostgresResource;
import io.contentmachine.testsupport.SandboxResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Benchmark (not part of the test suite: the name does not end in Test). Publishes one file (default 200 MB) through the
 * real YouTube and TikTok paths to the platform sandbox, with the production chunk sizes (YouTube 64 MiB or
 * -Dbench.youtube-chunk; TikTok 10,000,000 bytes), and, side by side, uploads the same file raw with {@code curl} to the
 * same sandbox endpoints (for YouTube a session POST and one PUT of the whole file; for TikTok one PUT per chunk).
 * Reports the transfer time of each (the publisher's from its "uploading" to its "processing"/"published" event), the
 * throughput ratio publisher/raw and the heap growth of this JVM (where the service runs) during each publish: medians of
 * 3 alternating rounds (-Dbench.rounds), after a warm-up publish of a smaller file on both paths (a running service is
 * warm). Writes publish-service/target/benchmark.txt. Run:
 * {@code ./mvnw -pl publish-service test -Dtest=PublishBenchmark -Dsurefire.failIfNoSpecifiedTests=false -Dbench.bytes=200000000}
 */
@QuarkusTest
@TestProfile(PublishBenchmark.ProductionChunks.class)
@WithTestResource(PostgresResource.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(SandboxResource.class)
@WithTestResource(StorageStandIn.class)
class PublishBenchmark {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final long TIKTOK_CHUNK = 10_000_000L;
    private static final int ROUNDS = Integer.getInteger("bench.rounds", 3);

    /** The production chunk sizes instead of the tests' small ones. */
    public static class ProductionChunks implements QuarkusTestProfile {

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("publish.youtube.chunk-size", System.getProperty("bench.youtube-chunk", "67108864"),
                    "publish.tiktok.chunk-size", String.valueOf(TIKTOK_CHUNK));
        }
    }

    @ConfigProperty(name = "sandbox.url")
    String sandbox;

    @Test
    void publishAgainstRawCurl() throws Exception {
        long bytes = Long.getLong("bench.bytes", 200_000_000L);
        TestVideos video = TestVideos.generate(bytes);
        List<String> report = new ArrayList<>();
        report.add(String.format(Locale.ROOT, "file: %,d bytes; heap max %d MiB; %d cores", bytes,
                Runtime.getRuntime().maxMemory() >> 20, Runtime.getRuntime().availableProcessors()));

        // a running service is warm: publish a smaller file on both paths first, so the figures do not time the JIT
        TestVideos warmUp = TestVideos.generate(Math.min(bytes, 50_000_000L));
        publish(warmUp, "youtube", "published");
        publish(warmUp, "tiktok", "processing");

        // raw and publisher alternate, ROUNDS times each; the medians are reported (one run on two shared cores is noisy)
        List<Double> rawYouTube = new ArrayList<>();
        List<Run> youtube = new ArrayList<>();
        List<Double> rawTikTok = new ArrayList<>();
        List<Run> tiktok = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            rawYouTube.add(rawYouTube(video));
            youtube.add(publish(video, "youtube", "published"));
            rawTikTok.add(rawTikTok(video));
            tiktok.add(publish(video, "tiktok", "processing"));
        }
        report.add(line("youtube", bytes, rawYouTube, youtube));
        report.add(line("tiktok", bytes, rawTikTok, tiktok));

        Path out = Path.of("target", "benchmark.txt");
        Files.createDirectories(out.getParent());
        Files.write(out, report, StandardCharsets.UTF_8);
        report.forEach(System.out::println);
    }

    private record Run(double seconds, double endToEndSeconds, long heapPeakGrowth, long heapRetainedGrowth) {
    }

    private static String line(String platform, long bytes, List<Double> raws, List<Run> runs) {
        double raw = median(raws);
        double seconds = median(runs.stream().map(Run::seconds).toList());
        double peak = runs.stream().mapToLong(Run::heapPeakGrowth).max().orElse(0) / 1048576.0;
        double retained = runs.stream().mapToLong(Run::heapRetainedGrowth).max().orElse(0) / 1048576.0;
        return String.format(Locale.ROOT, "%s (median of %d): raw curl %.2f s (%.1f MB/s); publisher transfer %.2f s (%.1f MB/s),"
                + " end to end %.2f s; throughput ratio %.2f; heap growth peak %.1f MiB, retained after GC %.1f MiB (max over runs);"
                + " raw runs %s, publisher runs %s", platform, runs.size(), raw, bytes / raw / 1e6, seconds, bytes / seconds / 1e6,
                median(runs.stream().map(Run::endToEndSeconds).toList()), raw / seconds, peak, retained, seconds(raws),
                seconds(runs.stream().map(Run::seconds).toList()));
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    private static String seconds(List<Double> values) {
        return values.stream().map(v -> String.format(Locale.ROOT, "%.2f", v)).toList().toString();
    }

    /** Sends video.stored for one platform and times the publisher; samples this JVM's heap meanwhile. */
    private Run publish(TestVideos video, String platform, String doneStatus) throws Exception {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        System.gc();
        long baseline = memory.getHeapMemoryUsage().getUsed();
        AtomicLong peak = new AtomicLong(baseline);
        AtomicBoolean sampling = new AtomicBoolean(true);
        Thread sampler = new Thread(() -> {
            while (sampling.get()) {
                peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        sampler.start();
        long start = System.nanoTime();
        // a new project per platform, so each publish is its own
        TestVideos run = video.forNewProject();
        KafkaTestClient.send("video.stored", run.projectId.toString(), run.storedEvent(UUID.randomUUID(), List.of(platform), null));
        Instant uploading = occurredAt(await(run, platform, "uploading"));
        Instant done = occurredAt(await(run, platform, doneStatus));
        double endToEnd = (System.nanoTime() - start) / 1e9;
        sampling.set(false);
        sampler.join();
        System.gc();
        long retained = memory.getHeapMemoryUsage().getUsed() - baseline;
        return new Run(Duration.between(uploading, done).toNanos() / 1e9, endToEnd, peak.get() - baseline, retained);
    }

    private static ConsumerRecord<String, String> await(TestVideos video, String platform, String status) throws Exception {
        return KafkaTestClient.awaitOne("video.published", r -> video.projectId.toString().equals(r.key())
                && r.value().contains("\"status\":\"" + status + "\"") && r.value().contains("\"platform\":\"" + platform + "\""),
                Duration.ofMinutes(10));
    }

    private static Instant occurredAt(ConsumerRecord<String, String> record) throws IOException {
        return Instant.parse(MAPPER.readTree(record.value()).get("occurredAt").asText());
    }

    /** Opens a YouTube upload session and PUTs the whole file to it with curl: both timed, as the publisher must do both. */
    private double rawYouTube(TestVideos video) throws Exception {
        long start = System.nanoTime();
        String session = given().header("Authorization", "Bearer sandbox-token").contentType("application/json; charset=UTF-8")
                .header("X-Upload-Content-Length", video.size).header("X-Upload-Content-Type", "video/mp4")
                .body(Map.of("snippet", Map.of("title", "raw curl", "categoryId", "28"),
                        "status", Map.of("privacyStatus", "private", "selfDeclaredMadeForKids", false)))
                .post(sandbox + "/upload/youtube/v3/videos?uploadType=resumable&part=snippet,status")
                .then().statusCode(200).extract().header("Location");
        curl(session, video.file, "bytes 0-" + (video.size - 1) + "/" + video.size, "200");
        return (System.nanoTime() - start) / 1e9;
    }

    /** TikTok FILE_UPLOAD init, then one curl PUT per chunk (chunk files cut beforehand, outside the timing). */
    private double rawTikTok(TestVideos video) throws Exception {
        TikTokPublisher.ChunkPlan plan = TikTokPublisher.ChunkPlan.of(video.size, TIKTOK_CHUNK);
        SandboxTokens.Pair tokens = SandboxTokens.tiktok(sandbox);
        JsonNode data = MAPPER.readTree(given().header("Authorization", "Bearer " + tokens.accessToken())
                .contentType("application/json; charset=UTF-8")
                .body(Map.of("post_info", Map.of("title", "raw curl", "privacy_level", "SELF_ONLY"),
                        "source_info", Map.of("source", "FILE_UPLOAD", "video_size", plan.videoSize(), "chunk_size", plan.chunkSize(),
                                "total_chunk_count", plan.totalChunkCount())))
                .post(sandbox + "/v2/post/publish/video/init/").then().statusCode(200).extract().asString()).path("data");
        String uploadUrl = data.get("upload_url").asText();
        Path dir = Files.createTempDirectory("cm-bench-chunks-");
        List<Path> chunks = new ArrayList<>();
        try (InputStream in = Files.newInputStream(video.file)) {
            for (int i = 0; i < plan.totalChunkCount(); i++) {
                Path chunk = dir.resolve("chunk-" + i);
                try (OutputStream out = Files.newOutputStream(chunk)) {
                    long left = plan.length(i);
                    byte[] buffer = new byte[1 << 16];
                    while (left > 0) {
                        int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                        out.write(buffer, 0, n);
                        left -= n;
                    }
                }
                chunks.add(chunk);
            }
        }
        long start = System.nanoTime();
        for (int i = 0; i < chunks.size(); i++) {
            long first = plan.first(i);
            String expected = i == chunks.size() - 1 ? "201" : "206";
            curl(uploadUrl, chunks.get(i), "bytes " + first + "-" + (first + plan.length(i) - 1) + "/" + plan.videoSize(), expected);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        for (Path chunk : chunks) {
            Files.deleteIfExists(chunk);
        }
        Files.deleteIfExists(dir);
        return seconds;
    }

    /**
     * One curl PUT of a file. {@code -T} streams it from disk but appends the file name to a URL whose path ends in "/"
     * (TikTok's upload_url does): those get {@code --data-binary @file} (curl reads the 10 MB chunk first).
     */
    private static void curl(String url, Path file, String contentRange, String expectedStatus) throws Exception {
        boolean directory = URI.create(url).getPath().endsWith("/");
        Process curl = new ProcessBuilder("curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", "-X", "PUT", "-H", "Expect:",
                "-H", "Content-Type: video/mp4", "-H", "Content-Range: " + contentRange,
                directory ? "--data-binary" : "-T", (directory ? "@" : "") + file, url)
                .redirectErrorStream(true).start();
        String output = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (curl.waitFor() != 0 || !output.endsWith(expectedStatus)) {
            throw new IllegalStateException("curl PUT answered " + output);
        }
    }
}
