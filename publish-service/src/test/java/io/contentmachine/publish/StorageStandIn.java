package io.contentmachine.publish;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Plays storage-service for the tests: a real HTTP server answering {@code GET /storage/projects/{id}/video/url}
 * (internal token checked) with a URL that serves the registered file, with Range support as S3 presigned GETs have.
 */
public class StorageStandIn implements QuarkusTestResourceLifecycleManager {

    private static final Pattern URL_PATH = Pattern.compile("/storage/projects/([0-9a-f-]{36})/video/url");
    private static final Pattern MEDIA_PATH = Pattern.compile("/media/([0-9a-f-]{36})");
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-(\\d*)");
    private static final Pattern THUMB_PATH = Pattern.compile("/thumbnails/([0-9a-f-]{36})");
    private static final Map<UUID, Path> FILES = new ConcurrentHashMap<>();
    /** The thumbnail stored beside a project's video (asset=thumbnail); none registered: 404, as for a video without one. */
    private static final Map<UUID, byte[]> THUMBNAILS = new ConcurrentHashMap<>();
    /** Bytes served per project: proves resumes read from the right offset instead of from zero. */
    private static final Map<UUID, AtomicLong> SERVED = new ConcurrentHashMap<>();
    private static HttpServer server;

    public static void serve(UUID projectId, Path file) {
        FILES.put(projectId, file);
    }

    public static void serveThumbnail(UUID projectId, byte[] jpeg) {
        THUMBNAILS.put(projectId, jpeg);
    }

    public static long bytesServed(UUID projectId) {
        AtomicLong served = SERVED.get(projectId);
        return served == null ? 0 : served.get();
    }

    @Override
    public synchronized Map<String, String> start() {
        if (server == null) {
            try {
                server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            server.createContext("/", StorageStandIn::handle);
            server.setExecutor(Executors.newCachedThreadPool());
            server.start();
        }
        return Map.of("quarkus.rest-client.storage-service.url", "http://127.0.0.1:" + server.getAddress().getPort());
    }

    @Override
    public void stop() {
        // shared by every test class of this JVM
    }

    private static void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            Matcher url = URL_PATH.matcher(path);
            Matcher media = MEDIA_PATH.matcher(path);
            Matcher thumb = THUMB_PATH.matcher(path);
            String query = exchange.getRequestURI().getQuery();
            boolean thumbnailAsked = query != null && query.contains("asset=thumbnail");
            if (url.matches() && thumbnailAsked) {
                UUID projectId = UUID.fromString(url.group(1));
                if (!"test-internal-token".equals(exchange.getRequestHeaders().getFirst("X-Internal-Token"))
                        || !THUMBNAILS.containsKey(projectId)) {
                    json(exchange, 404, "{\"error\":\"Not found\"}");
                    return;
                }
                json(exchange, 200, "{\"url\":\"http://127.0.0.1:" + server.getAddress().getPort() + "/thumbnails/" + projectId
                        + "?X-Amz-Signature=test\",\"expiresAt\":\"" + Instant.now().plusSeconds(3600) + "\"}");
            } else if (thumb.matches() && THUMBNAILS.containsKey(UUID.fromString(thumb.group(1)))) {
                byte[] bytes = THUMBNAILS.get(UUID.fromString(thumb.group(1)));
                exchange.getResponseHeaders().add("Content-Type", "image/jpeg");
                exchange.sendResponseHeaders(200, bytes.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            } else if (url.matches()) {
                if (!"test-internal-token".equals(exchange.getRequestHeaders().getFirst("X-Internal-Token"))) {
                    json(exchange, 401, "{\"error\":\"Missing or invalid internal token\"}");
                    return;
                }
                UUID projectId = UUID.fromString(url.group(1));
                if (!FILES.containsKey(projectId)) {
                    json(exchange, 404, "{\"error\":\"Not found\"}");
                    return;
                }
                int port = server.getAddress().getPort();
                json(exchange, 200, "{\"url\":\"http://127.0.0.1:" + port + "/media/" + projectId
                        + "?X-Amz-Signature=test\",\"expiresAt\":\""
                        + Instant.now().plusSeconds(3600) + "\"}");
            } else if (media.matches() && FILES.containsKey(UUID.fromString(media.group(1)))) {
                UUID projectId = UUID.fromString(media.group(1));
                media(exchange, projectId, FILES.get(projectId));
            } else {
                json(exchange, 404, "{\"error\":\"Not found\"}");
            }
        }
    }

    private static void media(HttpExchange exchange, UUID projectId, Path file) throws IOException {
        long size = Files.size(file);
        long first = 0;
        long last = size - 1;
        String range = exchange.getRequestHeaders().getFirst("Range");
        int status = 200;
        if (range != null) {
            Matcher m = RANGE.matcher(range);
            if (m.matches()) {
                first = Long.parseLong(m.group(1));
                if (!m.group(2).isEmpty()) {
                    last = Math.min(last, Long.parseLong(m.group(2)));
                }
                status = 206;
                exchange.getResponseHeaders().add("Content-Range", "bytes " + first + "-" + last + "/" + size);
            }
        }
        exchange.getResponseHeaders().add("Content-Type", "video/mp4");
        exchange.sendResponseHeaders(status, last - first + 1);
        AtomicLong served = SERVED.computeIfAbsent(projectId, id -> new AtomicLong());
        try (InputStream in = Files.newInputStream(file); OutputStream out = exchange.getResponseBody()) {
            in.skipNBytes(first);
            byte[] buffer = new byte[64 * 1024];
            long left = last - first + 1;
            while (left > 0) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                if (n < 0) {
                    break;
                }
                out.write(buffer, 0, n);
                served.addAndGet(n);
                left -= n;
            }
        } catch (IOException e) {
            // the client closed the stream early (an upload was interrupted): nothing to do
        }
    }

    private static void json(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }
}
