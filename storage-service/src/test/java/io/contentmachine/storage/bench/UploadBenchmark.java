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
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

/**
 * Benchmark (not part of the test suite: the name does not end in Test). Uploads one file (default 1 GiB) through
 * grant → upload → finalize and, in the same run against the same S3Proxy, with one raw presigned {@code curl -T};
 * reports upload throughput against raw, finalize (verify + server-side copy) against one raw presigned read, and the
 * service's heap and RSS growth during finalize. Uploads and reads are done by curl processes, so the JVM measured is
 * the service's. curl runs with {@code -H "Expect:"} everywhere: its default 100-continue wait costs up to 1 s per request,
 * which would charge 16 part uploads 16 s and the raw upload 1 s. Run:
 * {@code ./mvnw -pl storage-service verify -Dtest=UploadBenchmark -Dsurefire.failIfNoSpecifiedTests=false -Dbench.bytes=1073741824}
 * (service settings too: {@code -Dstorage.multipart-threshold-bytes=2147483648 -Dstorage.require-upload-checksum=true}
 * makes it one checksummed PUT, whose SHA-256 the S3 server checks, so finalize does not read it again).
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

    PostgresDatabase database;

    @Test
    void benchmark() throws Exception {
        long size = Long.getLong("bench.bytes", 1L << 30);
        int parallel = Integer.getInteger("bench.parallel", 1);
        Path dir = Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir"), "cm-storage-bench"));
        Path file = dir.resolve("input-" + size + ".bin");
        if (!Files.exists(file) || Files.size(file) != size) {
            run(List.of("sh", "-c", "head -c " + size + " /dev/urandom > " + file));
        }
        String sha256 = run(List.of("sha256sum", file.toString())).split("\\s+")[0];

        // raw: one presigned PUT with curl, then one presigned GET with curl
        String rawKey = "bench-raw/" + UUID.randomUUID() + ".bin";
        String putUrl = store.presignPut(config.buckets().staging(), rawKey, "video/mp4", null, Duration.ofHours(1)).toString();
        long t0 = System.nanoTime();
        run(List.of("curl", "-sS", "-f", "-o", "/dev/null", "-H", "Expect:", "-T", file.toString(), "-H", "Content-Type: video/mp4",
                putUrl));
        double rawUpload = seconds(t0);
        String getUrl = store.presignGet(config.buckets().staging(), rawKey, "video/mp4", Duration.ofHours(1)).toString();
        t0 = System.nanoTime();
        run(List.of("curl", "-sS", "-f", "-o", "/dev/null", getUrl));
        double rawRead = seconds(t0);
        // and one server-side copy of it: on S3Proxy's filesystem backend a full byte copy, the floor of finalize
        String rawCopyKey = rawKey + ".copy";
        t0 = System.nanoTime();
        store.copy(config.buckets().staging(), rawKey, size, config.buckets().staging(), rawCopyKey, "video/mp4", Map.of());
        double rawCopy = seconds(t0);

        // through the service: grant, part uploads with curl, complete
        UUID projectId = UUID.randomUUID();
        double partsDone = 0;
        t0 = System.nanoTime();
        String grantJson = given().header("X-Internal-Token", TOKEN).contentType(ContentType.JSON)
                .body(Map.of("projectId", projectId.toString(), "sizeBytes", size, "sha256", sha256, "contentType", "video/mp4"))
                .post("/storage/uploads").then().statusCode(200).extract().asString();
        JsonNode grant = JSON.readTree(grantJson);
        String method = grant.get("method").asText();
        if (method.equals("single")) {
            List<String> curl = new ArrayList<>(List.of("curl", "-sS", "-f", "-o", "/dev/null", "-H", "Expect:", "-T", file.toString()));
            grant.get("headers").fields().forEachRemaining(h -> curl.addAll(List.of("-H", h.getKey() + ": " + h.getValue().asText())));
            curl.add(grant.get("url").asText());
            run(curl);
            partsDone = seconds(t0);
        } else {
            long partSize = grant.get("partSizeBytes").asLong();
            Path parts = Files.createDirectories(dir.resolve("parts-" + size + "-" + partSize));
            long split = System.nanoTime();
            if (!Files.exists(parts.resolve("done"))) {
                // curl -T sends whole files: cut the input into the part files (not part of the timed upload)
                run(List.of("sh", "-c", "cd " + parts + " && split -b " + partSize + " -d -a 4 " + file + " part- && touch done"));
            }
            t0 += System.nanoTime() - split;
            List<Map<String, Object>> etags = uploadParts(grant, parts, parallel);
            partsDone = seconds(t0);
            given().header("X-Internal-Token", TOKEN).contentType(ContentType.JSON).body(Map.of("parts", etags))
                    .post("/storage/uploads/{id}/complete", grant.get("uploadId").asText()).then().statusCode(204);
        }
        double serviceUpload = seconds(t0);
        double complete = serviceUpload - partsDone;

        // finalize: from sending video.rendered until the row is committed, sampling the service's heap and RSS
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
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        sampler.setDaemon(true);
        sampler.start();
        ObjectNode event = (ObjectNode) JSON.readTree(Contract.example("video.rendered"));
        event.put("eventId", UUID.randomUUID().toString());
        event.put("projectId", projectId.toString());
        event.put("stagingKey", grant.get("stagingKey").asText());
        event.remove("thumbnailStagingKey");
        event.put("sha256", sha256);
        event.put("sizeBytes", size);
        t0 = System.nanoTime();
        KafkaTestClient.send("video.rendered", projectId.toString(), event.toString());
        while (!stored(projectId)) {
            if (seconds(t0) > 600) {
                throw new AssertionError("not stored within 10 minutes");
            }
            Thread.sleep(20);
        }
        double finalizeSeconds = seconds(t0);
        sampler.interrupt();
        sampler.join();
        System.gc();
        Thread.sleep(500);
        long heapAfter = memory.getHeapMemoryUsage().getUsed();

        double mib = size / 1048576.0;
        String report = String.format(Locale.ROOT, String.join("\n",
                "storage-service upload benchmark: %.0f MiB, S3Proxy (filesystem backend) on this machine, method %s,"
                        + " %d parallel part upload(s),"
                        + " upload checksum required: %s",
                "upload   raw curl -T: %.2f s (%.0f MiB/s) | grant+parts+complete: %.2f s (%.0f MiB/s; complete alone %.2f s)"
                        + " | ratio %.0f%%",
                "finalize (verify SHA-256 streamed + server-side copy + delete staged + row): %.2f s | one raw read: %.2f s | ratio %.2fx"
                        + " | one raw server-side copy: %.2f s (finalize %.2fx of it)",
                "memory during finalize: heap peak +%.1f MiB (incl. garbage), heap after GC %+.1f MiB, RSS peak +%.1f MiB",
                ""),
                mib, method, parallel, config.requireUploadChecksum(), rawUpload, mib / rawUpload, serviceUpload, mib / serviceUpload,
                complete, 100 * rawUpload / serviceUpload,
                finalizeSeconds, rawRead, finalizeSeconds / rawRead, rawCopy, finalizeSeconds / rawCopy,
                (heapPeak.get() - heapBefore) / 1048576.0, (heapAfter - heapBefore) / 1048576.0, (rssPeak.get() - rssBefore) / 1048576.0);
        System.out.println(report);
        Files.writeString(Path.of("target", "benchmark.txt"), report);
        store.delete(config.buckets().staging(), List.of(rawKey, rawCopyKey));
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
                        String headers = run(List.of("curl", "-sS", "-f", "-o", "/dev/null", "-D", "-", "-H", "Expect:", "-T",
                                slice.toString(),
                                part.get("url").asText()));
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
