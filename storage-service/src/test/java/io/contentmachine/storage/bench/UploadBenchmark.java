package io.contentmachine.storage.bench;

import static io.restassured.RestAssured.given;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.contentmachine.storage.config.StorageConfig;
import io.contentmachine.storage.objects.ObjectStore;
import io.contentmachine.testsupport.Contract;
import io.contentmachine.testsupport.KafkaResource;
import io.contentmachine.testsupport.KafkaTestClient;
import io.contentmachine.testsupport.PostgresDatabase;
import io.contentmachine.testsupport.PostgresResource;
import io.contentmachine.testsupport.S3Resource;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

/**
 * Benchmark (not part of the test suite: the name does not end in Test). Uploads one file (default 1 GiB) through grant →
 * upload → complete straight to its final key and, in the same run against the same S3Proxy, with one raw presigned
 * {@code curl -T}; then finalizes it and a 1 MiB upload, side by side (finalize is a HEAD and a row, so both should take
 * the same few milliseconds), sampling the service's heap and RSS. Uploads and reads are done by curl processes, so the
 * JVM measured is the service's. curl runs with {@code -H "Expect:"} everywhere: its default 100-continue wait costs up to
 * 1 s per request. A multipart grant needs every part's SHA-256 (render-service computes them while it reads the file):
 * the benchmark hashes the part files with sha256sum and reports that time apart from the upload. The input file lives
 * in /tmp/cm-storage-bench and is deleted at the end (-Dbench.keep-input=true keeps it). Run:
 * {@code ./mvnw -pl storage-service -am verify -Dtest=UploadBenchmark -Dsurefire.failIfNoSpecifiedTests=false}
 * (service settings too: {@code -Dstorage.multipart-threshold-bytes=2147483648} makes it one checksummed PUT).
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(S3Resource.class)
class UploadBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN = "test-internal-token";

    @Inject
    ObjectStore store;

    @Inject
    StorageConfig config;

    @Inject
    MeterRegistry meters;

    PostgresDatabase database;

    /** What one upload through a grant took. */
    private record Uploaded(UUID projectId, String key, String sha256, String method, double seconds, double complete, double hashing) {
    }

    /** What one finalize took: from video.rendered sent to the row committed, and the finalize stage itself (the HEAD). */
    private record Finalized(double total, double stage) {
    }

    @Test
    void benchmark() throws Exception {
        long size = Long.getLong("bench.bytes", 1L << 30);
        int parallel = Integer.getInteger("bench.parallel", 1);
        Path dir = Files.createDirectories(Path.of("/tmp", "cm-storage-bench"));
        Path file = input(dir, size);
        Path small = input(dir, 1L << 20);
        String bucket = config.buckets().videos();

        // raw: one presigned PUT with curl, then one presigned GET with curl
        String rawKey = "bench-raw/" + UUID.randomUUID() + ".bin";
        String putUrl = store.presignPut(bucket, rawKey, "video/mp4", null, Duration.ofHours(1)).toString();
        long t0 = System.nanoTime();
        run(List.of("curl", "-sS", "-f", "-o", "/dev/null", "-H", "Expect:", "-T", file.toString(), "-H", "Content-Type: video/mp4",
                putUrl));
        double rawUpload = seconds(t0);
        String getUrl = store.presignGet(bucket, rawKey, "video/mp4", Duration.ofHours(1)).toString();
        t0 = System.nanoTime();
        run(List.of("curl", "-sS", "-f", "-o", "/dev/null", getUrl));
        double rawRead = seconds(t0);
        // and a raw presigned PUT signed like a grant's (the SHA-256 the server checks, If-None-Match): what checking costs S3
        String checksum = ObjectStore.base64Sha256(run(List.of("sha256sum", file.toString())).split("\\s+")[0]);
        String checkedKey = rawKey + ".checked";
        String checkedUrl = store.presignCreate(bucket, checkedKey, "video/mp4", checksum, Duration.ofHours(1)).toString();
        t0 = System.nanoTime();
        run(List.of("curl", "-sS", "-f", "-o", "/dev/null", "-H", "Expect:", "-T", file.toString(), "-H", "Content-Type: video/mp4",
                "-H", "If-None-Match: *", "-H", "x-amz-checksum-sha256: " + checksum, checkedUrl));
        double rawChecked = seconds(t0);
        store.delete(bucket, List.of(rawKey, checkedKey));

        // through the service: grant, upload (parts), complete
        Uploaded big = upload(dir, file, size, parallel);
        Uploaded one = upload(dir, small, 1L << 20, 1);
        // the first event after start waits for the consumer's partitions: warm up with another 1 MiB upload
        finalizeSeconds(upload(dir, small, 1L << 20, 1), 1L << 20);

        Finalized finalizeSmall = finalizeSeconds(one, 1L << 20);
        // finalize of the big one, sampling the service's heap and RSS
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        System.gc();
        Thread.sleep(500);
        long heapBefore = memory.getHeapMemoryUsage().getUsed();
        long rssBefore = rss();
        AtomicLong heapPeak = new AtomicLong(heapBefore);
        AtomicLong rssPeak = new AtomicLong(rssBefore);
        Thread sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                heapPeak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                rssPeak.accumulateAndGet(rss(), Math::max);
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        sampler.setDaemon(true);
        sampler.start();
        Finalized finalizeBig = finalizeSeconds(big, size);
        sampler.interrupt();
        sampler.join();
        System.gc();
        Thread.sleep(500);
        long heapAfter = memory.getHeapMemoryUsage().getUsed();

        double mib = size / 1048576.0;
        String report = String.format(Locale.ROOT, String.join("\n",
                "storage-service upload benchmark: %.0f MiB, S3Proxy (filesystem backend) on this machine, method %s,"
                        + " %d parallel part upload(s), upload checksum required: %s",
                "upload   raw curl -T: %.2f s (%.0f MiB/s) | raw curl -T with the SHA-256 checked and If-None-Match: %.2f s"
                        + " | grant+upload+complete: %.2f s (%.0f MiB/s; complete alone %.2f s)"
                        + " | ratio %.0f%% | part SHA-256s (the uploader's, not in the upload time): %.2f s",
                "finalize stage (HEAD, the contentmachine.stage timer): 1 MiB %.1f ms | %.0f MiB %.1f ms;"
                        + " video.rendered sent → row committed: 1 MiB %.3f s | %.0f MiB %.3f s | one raw read of the big file: %.2f s",
                "memory during finalize: heap peak +%.1f MiB (incl. garbage), heap after GC %+.1f MiB, RSS peak +%.1f MiB",
                ""),
                mib, big.method(), parallel, config.requireUploadChecksum(), rawUpload, mib / rawUpload, rawChecked,
                big.seconds(), mib / big.seconds(),
                big.complete(), 100 * rawUpload / big.seconds(), big.hashing(),
                finalizeSmall.stage() * 1000, mib, finalizeBig.stage() * 1000, finalizeSmall.total(), mib, finalizeBig.total(), rawRead,
                (heapPeak.get() - heapBefore) / 1048576.0, (heapAfter - heapBefore) / 1048576.0, (rssPeak.get() - rssBefore) / 1048576.0);
        System.out.println(report);
        Files.writeString(Path.of("target", "benchmark.txt"), report);
        if (!Boolean.getBoolean("bench.keep-input")) {
            run(List.of("rm", "-rf", dir.toString()));
        }
    }

    /** The input file of {@code size} random bytes in {@code dir} (made once). */
    private static Path input(Path dir, long size) throws Exception {
        Path file = dir.resolve("input-" + size + ".bin");
        if (!Files.exists(file) || Files.size(file) != size) {
            run(List.of("sh", "-c", "head -c " + size + " /dev/urandom > " + file));
        }
        return file;
    }

    /** Grant → upload → complete, as render-service does (part checksums computed first, timed apart). */
    private Uploaded upload(Path dir, Path file, long size, int parallel) throws Exception {
        String sha256 = run(List.of("sha256sum", file.toString())).split("\\s+")[0];
        UUID projectId = UUID.randomUUID();
        Map<String, Object> request = new java.util.HashMap<>(Map.of("projectId", projectId.toString(), "sizeBytes", size,
                "sha256", sha256, "contentType", "video/mp4"));
        long partSize = config.partSizeBytes();
        Path parts = dir.resolve("parts-" + size + "-" + partSize);
        double hashing = 0;
        if (size > config.multipartThresholdBytes()) {
            if (!Files.exists(parts.resolve("done"))) {
                // curl -T sends whole files: cut the input into the part files (not part of the timed upload)
                Files.createDirectories(parts);
                run(List.of("sh", "-c", "cd " + parts + " && split -b " + partSize + " -d -a 4 " + file + " part- && touch done"));
            }
            long h = System.nanoTime();
            List<String> sums = run(List.of("sh", "-c", "cd " + parts + " && sha256sum part-*")).lines()
                    .map(l -> l.split("\\s+")[0]).toList();
            hashing = seconds(h);
            request.put("partSizeBytes", partSize);
            request.put("partSha256", sums);
        }
        long t0 = System.nanoTime();
        JsonNode grant = JSON.readTree(given().header("X-Internal-Token", TOKEN).contentType(ContentType.JSON).body(request)
                .post("/storage/uploads").then().statusCode(200).extract().asString());
        String method = grant.get("method").asText();
        double partsDone;
        if (method.equals("single")) {
            List<String> curl = new ArrayList<>(List.of("curl", "-sS", "-f", "-o", "/dev/null", "-H", "Expect:", "-T", file.toString()));
            grant.get("headers").fields().forEachRemaining(h -> curl.addAll(List.of("-H", h.getKey() + ": " + h.getValue().asText())));
            curl.add(grant.get("url").asText());
            run(curl);
            partsDone = seconds(t0);
        } else {
            List<Map<String, Object>> etags = uploadParts(grant, parts, parallel);
            partsDone = seconds(t0);
            given().header("X-Internal-Token", TOKEN).contentType(ContentType.JSON).body(Map.of("parts", etags))
                    .post("/storage/uploads/{id}/complete", grant.get("uploadId").asText()).then().statusCode(204);
        }
        double total = seconds(t0);
        return new Uploaded(projectId, grant.get("stagingKey").asText(), sha256, method, total, total - partsDone, hashing);
    }

    /** From sending video.rendered until the video's row is committed, and the finalize stage's own time. */
    private Finalized finalizeSeconds(Uploaded uploaded, long size) throws Exception {
        double stageBefore = stageSeconds();
        ObjectNode event = (ObjectNode) JSON.readTree(Contract.example("video.rendered"));
        event.put("eventId", UUID.randomUUID().toString());
        event.put("projectId", uploaded.projectId().toString());
        event.put("stagingKey", uploaded.key());
        event.remove("thumbnailStagingKey");
        event.put("sha256", uploaded.sha256());
        event.put("sizeBytes", size);
        long t0 = System.nanoTime();
        KafkaTestClient.send("video.rendered", uploaded.projectId().toString(), event.toString());
        while (!stored(uploaded.projectId())) {
            if (seconds(t0) > 600) {
                throw new AssertionError("not stored within 10 minutes");
            }
            Thread.sleep(2);
        }
        return new Finalized(seconds(t0), stageSeconds() - stageBefore);
    }

    private double stageSeconds() {
        Timer timer = meters.find("contentmachine.stage").tag("stage", "finalize").timer();
        return timer == null ? 0 : timer.totalTime(TimeUnit.SECONDS);
    }

    private List<Map<String, Object>> uploadParts(JsonNode grant, Path parts, int parallel) throws Exception {
        List<JsonNode> all = new ArrayList<>();
        grant.get("parts").forEach(all::add);
        Map<Integer, String> etags = new java.util.concurrent.ConcurrentHashMap<>();
        List<Thread> workers = new ArrayList<>();
        AtomicLong next = new AtomicLong();
        List<Exception> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        for (int w = 0; w < parallel; w++) {
            Thread worker = new Thread(() -> {
                for (int i; (i = (int) next.getAndIncrement()) < all.size(); ) {
                    JsonNode part = all.get(i);
                    int number = part.get("partNumber").asInt();
                    Path slice = parts.resolve(String.format(Locale.ROOT, "part-%04d", number - 1));
                    try {
                        List<String> curl = new ArrayList<>(List.of("curl", "-sS", "-f", "-o", "/dev/null", "-D", "-", "-H", "Expect:",
                                "-T", slice.toString()));
                        part.path("headers").fields().forEachRemaining(h -> curl.addAll(List.of("-H", h.getKey() + ": "
                                + h.getValue().asText())));
                        curl.add(part.get("url").asText());
                        String headers = run(curl);
                        String etag = headers.lines().filter(l -> l.toLowerCase(Locale.ROOT).startsWith("etag:"))
                                .map(l -> l.substring(5).trim()).findFirst().orElseThrow(() -> new IOException("no ETag: " + headers));
                        etags.put(number, etag);
                    } catch (Exception e) {
                        failures.add(e);
                        return;
                    }
                }
            });
            worker.start();
            workers.add(worker);
        }
        for (Thread worker : workers) {
            worker.join();
        }
        if (!failures.isEmpty()) {
            throw failures.get(0);
        }
        return etags.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> Map.<String, Object>of("partNumber", e.getKey(), "etag", e.getValue())).toList();
    }

    private boolean stored(UUID projectId) throws Exception {
        try (Connection connection = database.connect();
                PreparedStatement statement = connection.prepareStatement("select count(*) from storage.videos where project_id = ?")) {
            statement.setObject(1, projectId);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1) > 0;
            }
        }
    }

    private static long rss() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
                }
            }
        } catch (IOException e) {
            return 0;
        }
        return 0;
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IOException(String.join(" ", command.subList(0, Math.min(3, command.size()))) + " failed: " + output);
        }
        return output;
    }
}
