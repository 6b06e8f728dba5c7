package io.contentmachine.render;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.contentmachine.testsupport.S3ProxyServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Plays storage-service's upload-grant role for the tests (POST /storage/uploads, POST /storage/uploads/{id}/complete),
 * presigning against the real S3 server of the test JVM (S3Proxy): render-service's PUTs hit real S3. A request with part
 * checksums gets a multipart grant that signs them (as storage-service does), other video uploads a multipart grant of
 * 5 MiB parts without checksums, everything else a single presigned PUT signing the SHA-256 and If-None-Match: *, so
 * every path runs.
 * <p>
 * It also plays storage-service's media-library endpoints render calls (docs/MEDIA-LIBRARY.md: presigned GETs of an
 * asset's original or normalised copy in bucket {@value #ASSETS}, the normalised copy's grant, ready and rejected) and
 * index-service's {@code POST /index/assets/search}, answering from {@link #LIBRARY} (the owner's ready assets a test
 * put there; every ready asset of the owner and the asked kinds matches, in the order they were put).
 */
public class StorageGrantServer implements QuarkusTestResourceLifecycleManager {

    public static final String BUCKET = "staging";
    public static final String ASSETS = "assets";
    public static final String TOKEN = "test-internal-token";
    private static final long PART = 5L << 20;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** Every grant handed out: projectId, contentType, method, stagingKey, sizeBytes, sha256. */
    public record Grant(UUID projectId, String contentType, String method, String stagingKey, long sizeBytes, String sha256) {
    }

    public static final List<Grant> GRANTS = new CopyOnWriteArrayList<>();
    public static final List<String> COMPLETED = new CopyOnWriteArrayList<>();
    public static volatile int rejectedTokens;
    /** Grant requests still to answer 503, as a storage-service that is restarting does. */
    public static final AtomicInteger unavailableGrants = new AtomicInteger();

    /** Assets render marked ready: assetId → the ready request's body. */
    public static final Map<UUID, JsonNode> READY = new ConcurrentHashMap<>();
    /** Assets render rejected: assetId → reason. */
    public static final Map<UUID, String> REJECTED = new ConcurrentHashMap<>();
    /** What index-service would find: the owner's ready assets. */
    public static final List<LibraryAsset> LIBRARY = new CopyOnWriteArrayList<>();
    /** Every asset search render made: ownerId, text, kinds. */
    public static final List<JsonNode> SEARCHES = new CopyOnWriteArrayList<>();

    /** An owner's ready asset as index-service knows it. */
    public record LibraryAsset(UUID assetId, String ownerId, String kind, String description, List<String> tags) {
    }

    private static S3Client s3;
    private static S3Presigner presigner;
    private final Map<String, String[]> multipart = new ConcurrentHashMap<>();
    /** The part checksums (base64) signed into each multipart grant, by key. */
    public static final Map<String, List<String>> PART_CHECKSUMS = new ConcurrentHashMap<>();
    private HttpServer server;

    public static S3Client s3() {
        return s3;
    }

    @Override
    public Map<String, String> start() {
        String endpoint = S3ProxyServer.shared().endpoint();
        StaticCredentialsProvider credentials = StaticCredentialsProvider.create(
                AwsBasicCredentials.create(S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY));
        S3Configuration pathStyle = S3Configuration.builder().pathStyleAccessEnabled(true).build();
        s3 = S3Client.builder().endpointOverride(URI.create(endpoint)).region(Region.US_EAST_1).credentialsProvider(credentials)
                .serviceConfiguration(pathStyle).httpClient(UrlConnectionHttpClient.create()).build();
        presigner = S3Presigner.builder().endpointOverride(URI.create(endpoint)).region(Region.US_EAST_1)
                .credentialsProvider(credentials).serviceConfiguration(pathStyle).build();
        for (String bucket : List.of(BUCKET, ASSETS)) {
            if (s3.listBuckets().buckets().stream().noneMatch(b -> b.name().equals(bucket))) {
                s3.createBucket(b -> b.bucket(bucket));
            }
        }
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/storage/uploads", this::handle);
        server.createContext("/storage/assets", this::asset);
        server.createContext("/index/assets/search", this::search);
        server.start();
        String url = "http://127.0.0.1:" + server.getAddress().getPort();
        return Map.of("quarkus.rest-client.storage-service.url", url, "quarkus.rest-client.index-service.url", url);
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!TOKEN.equals(exchange.getRequestHeaders().getFirst("X-Internal-Token"))) {
                rejectedTokens++;
                reply(exchange, 401, "{\"error\":\"Missing or invalid internal token\"}");
                return;
            }
            JsonNode body = MAPPER.readTree(exchange.getRequestBody());
            String path = exchange.getRequestURI().getPath();
            if (unavailableGrants.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                reply(exchange, 503, "{\"error\":\"Service unavailable\"}");
                return;
            }
            if (path.endsWith("/complete")) {
                String uploadId = path.split("/")[3];
                String[] target = multipart.remove(uploadId);
                List<CompletedPart> parts = new ArrayList<>();
                String[] sums = target[2].isEmpty() ? null : target[2].split(",");
                body.path("parts").forEach(p -> parts.add(CompletedPart.builder().partNumber(p.path("partNumber").asInt())
                        .eTag(p.path("etag").asText()).checksumSHA256(sums == null ? null : sums[p.path("partNumber").asInt() - 1])
                        .build()));
                s3.completeMultipartUpload(b -> b.bucket(BUCKET).key(target[0]).uploadId(target[1]).ifNoneMatch("*")
                        .multipartUpload(m -> m.parts(parts)));
                COMPLETED.add(target[0]);
                reply(exchange, 204, null);
                return;
            }
            UUID projectId = UUID.fromString(body.path("projectId").asText());
            long size = body.path("sizeBytes").asLong();
            String contentType = body.path("contentType").asText();
            String uploadId = UUID.randomUUID().toString();
            String key = "staging/" + projectId + "/" + uploadId + (contentType.equals("video/mp4") ? ".mp4" : ".jpg");
            Map<String, Object> grant = new java.util.LinkedHashMap<>();
            grant.put("uploadId", uploadId);
            grant.put("stagingKey", key);
            if (body.path("partSha256").isArray() && body.path("partSha256").size() > 0) {
                // as storage-service does: the part size the uploader cut the file in, every part's SHA-256 signed
                long partSize = body.path("partSizeBytes").asLong();
                List<String> sums = new ArrayList<>();
                body.path("partSha256").forEach(h -> sums.add(java.util.Base64.getEncoder().encodeToString(
                        java.util.HexFormat.of().parseHex(h.asText()))));
                String s3Upload = s3.createMultipartUpload(b -> b.bucket(BUCKET).key(key).contentType(contentType)
                        .checksumAlgorithm(ChecksumAlgorithm.SHA256)).uploadId();
                multipart.put(uploadId, new String[] {key, s3Upload, String.join(",", sums)});
                List<Map<String, Object>> parts = new ArrayList<>();
                int count = (int) ((size + partSize - 1) / partSize);
                if (count != sums.size()) {
                    reply(exchange, 400, "{\"error\":\"partSha256 does not fit\"}");
                    return;
                }
                for (int n = 1; n <= count; n++) {
                    int number = n;
                    String url = presigner.presignUploadPart(p -> p.signatureDuration(Duration.ofMinutes(15))
                            .uploadPartRequest(u -> u.bucket(BUCKET).key(key).uploadId(s3Upload).partNumber(number)
                                    .checksumSHA256(sums.get(number - 1))))
                            .url().toString();
                    parts.add(Map.of("partNumber", n, "sizeBytes", Math.min(partSize, size - (n - 1) * partSize), "url", url,
                            "headers", Map.of("x-amz-checksum-sha256", sums.get(n - 1))));
                }
                grant.put("method", "multipart");
                grant.put("partSizeBytes", partSize);
                grant.put("parts", parts);
                PART_CHECKSUMS.put(key, sums);
            } else if (contentType.equals("video/mp4")) {
                // a video under the uploader's part size: one part, without checksums (so the multipart path runs anyway)
                String s3Upload = s3.createMultipartUpload(b -> b.bucket(BUCKET).key(key).contentType(contentType)).uploadId();
                multipart.put(uploadId, new String[] {key, s3Upload, ""});
                List<Map<String, Object>> parts = new ArrayList<>();
                int count = (int) ((size + PART - 1) / PART);
                for (int n = 1; n <= count; n++) {
                    int number = n;
                    String url = presigner.presignUploadPart(p -> p.signatureDuration(Duration.ofMinutes(15))
                            .uploadPartRequest(u -> u.bucket(BUCKET).key(key).uploadId(s3Upload).partNumber(number)))
                            .url().toString();
                    parts.add(Map.of("partNumber", n, "sizeBytes", Math.min(PART, size - (n - 1) * PART), "url", url));
                }
                grant.put("method", "multipart");
                grant.put("partSizeBytes", PART);
                grant.put("parts", parts);
            } else {
                String checksum = java.util.Base64.getEncoder().encodeToString(java.util.HexFormat.of().parseHex(
                        body.path("sha256").asText()));
                String url = presigner.presignPutObject(p -> p.signatureDuration(Duration.ofMinutes(15))
                        .putObjectRequest(o -> o.bucket(BUCKET).key(key).contentType(contentType).checksumSHA256(checksum)
                                .ifNoneMatch("*"))).url().toString();
                grant.put("method", "single");
                grant.put("url", url);
                grant.put("headers", Map.of("Content-Type", contentType, "If-None-Match", "*", "x-amz-checksum-sha256", checksum));
            }
            GRANTS.add(new Grant(projectId, contentType, (String) grant.get("method"), key, size, body.path("sha256").asText()));
            reply(exchange, 200, MAPPER.writeValueAsString(grant));
        } catch (Exception e) {
            reply(exchange, 500, "{\"error\":\"" + e.getClass().getSimpleName() + "\"}");
        }
    }

    /** The S3 key of an asset's original or normalised copy. */
    public static String assetKey(UUID assetId, String variant) {
        return variant + "/" + assetId;
    }

    private void asset(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!TOKEN.equals(exchange.getRequestHeaders().getFirst("X-Internal-Token"))) {
                rejectedTokens++;
                reply(exchange, 401, "{\"error\":\"Missing or invalid internal token\"}");
                return;
            }
            String[] path = exchange.getRequestURI().getPath().split("/");
            UUID assetId = UUID.fromString(path[3]);
            String action = path.length > 4 ? path[4] : "";
            if (exchange.getRequestMethod().equals("GET") && action.equals("url")) {
                String query = exchange.getRequestURI().getQuery();
                String variant = query != null && query.contains("variant=original") ? "original" : "normalised";
                String key = assetKey(assetId, variant);
                if (variant.equals("normalised") && !READY.containsKey(assetId)
                        && LIBRARY.stream().noneMatch(a -> a.assetId().equals(assetId))) {
                    reply(exchange, 409, "{\"error\":\"Asset is not ready\"}");
                    return;
                }
                String url = presigner.presignGetObject(p -> p.signatureDuration(Duration.ofMinutes(15))
                        .getObjectRequest(o -> o.bucket(ASSETS).key(key))).url().toString();
                reply(exchange, 200, MAPPER.writeValueAsString(Map.of("url", url, "expiresAt", java.time.Instant.now()
                        .plus(Duration.ofMinutes(15)).toString())));
                return;
            }
            JsonNode body = MAPPER.readTree(exchange.getRequestBody());
            String key = assetKey(assetId, "normalised");
            switch (action) {
                case "normalised" -> {
                    String contentType = body.path("contentType").asText();
                    Map<String, Object> grant = new java.util.LinkedHashMap<>();
                    grant.put("uploadId", UUID.randomUUID().toString());
                    if (contentType.equals("video/mp4")) {
                        long size = body.path("sizeBytes").asLong();
                        String s3Upload = s3.createMultipartUpload(b -> b.bucket(ASSETS).key(key).contentType(contentType)).uploadId();
                        multipart.put(assetId.toString(), new String[] {key, s3Upload});
                        List<Map<String, Object>> parts = new ArrayList<>();
                        int count = (int) Math.max(1, (size + PART - 1) / PART);
                        for (int n = 1; n <= count; n++) {
                            int number = n;
                            parts.add(Map.of("partNumber", n, "sizeBytes", Math.min(PART, size - (n - 1) * PART), "url",
                                    presigner.presignUploadPart(p -> p.signatureDuration(Duration.ofMinutes(15)).uploadPartRequest(
                                            u -> u.bucket(ASSETS).key(key).uploadId(s3Upload).partNumber(number))).url().toString()));
                        }
                        grant.put("method", "multipart");
                        grant.put("partSizeBytes", PART);
                        grant.put("parts", parts);
                    } else {
                        grant.put("method", "single");
                        grant.put("url", presigner.presignPutObject(p -> p.signatureDuration(Duration.ofMinutes(15))
                                .putObjectRequest(o -> o.bucket(ASSETS).key(key).contentType(contentType))).url().toString());
                        grant.put("headers", Map.of("Content-Type", contentType));
                    }
                    reply(exchange, 200, MAPPER.writeValueAsString(grant));
                }
                case "ready" -> {
                    String[] target = multipart.remove(assetId.toString());
                    if (target != null) {
                        List<CompletedPart> parts = new ArrayList<>();
                        body.path("parts").forEach(p -> parts.add(CompletedPart.builder().partNumber(p.path("partNumber").asInt())
                                .eTag(p.path("etag").asText()).build()));
                        s3.completeMultipartUpload(b -> b.bucket(ASSETS).key(target[0]).uploadId(target[1])
                                .multipartUpload(m -> m.parts(parts)));
                    }
                    s3.headObject(b -> b.bucket(ASSETS).key(key));
                    READY.put(assetId, body);
                    reply(exchange, 200, MAPPER.writeValueAsString(Map.of("id", assetId.toString(), "status", "ready")));
                }
                case "rejected" -> {
                    s3.deleteObject(b -> b.bucket(ASSETS).key(assetKey(assetId, "original")));
                    REJECTED.put(assetId, body.path("reason").asText());
                    reply(exchange, 200, MAPPER.writeValueAsString(Map.of("id", assetId.toString(), "status", "rejected",
                            "reason", body.path("reason").asText())));
                }
                default -> reply(exchange, 404, "{\"error\":\"Not found\"}");
            }
        } catch (Exception e) {
            reply(exchange, 500, "{\"error\":\"" + e.getClass().getSimpleName() + "\"}");
        }
    }

    private void search(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!TOKEN.equals(exchange.getRequestHeaders().getFirst("X-Internal-Token"))) {
                rejectedTokens++;
                reply(exchange, 401, "{\"error\":\"Missing or invalid internal token\"}");
                return;
            }
            JsonNode body = MAPPER.readTree(exchange.getRequestBody());
            SEARCHES.add(body);
            List<String> kinds = new ArrayList<>();
            body.path("kinds").forEach(k -> kinds.add(k.asText()));
            List<Map<String, Object>> matches = new ArrayList<>();
            double score = 0.9;
            for (LibraryAsset a : LIBRARY) {
                if (a.ownerId().equals(body.path("ownerId").asText()) && (kinds.isEmpty() || kinds.contains(a.kind()))
                        && matches.size() < body.path("limit").asInt(5)) {
                    matches.add(Map.of("assetId", a.assetId().toString(), "kind", a.kind(), "score", score, "description",
                            a.description(), "tags", a.tags()));
                    score -= 0.05;
                }
            }
            reply(exchange, 200, MAPPER.writeValueAsString(Map.of("matches", matches)));
        }
    }

    private static void reply(HttpExchange exchange, int status, String json) throws IOException {
        if (json == null) {
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
