package io.contentmachine.sandbox.transfer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Disk and network work that blocks, on a small bounded pool of its own: downloading a video_url (TikTok PULL_FROM_URL,
 * Instagram containers) and joining chunk files. Bytes are streamed with a fixed buffer, never held whole.
 */
@ApplicationScoped
public class BlockingTransfers {

    private static final int BUFFER = 256 * 1024;

    private final AtomicInteger threads = new AtomicInteger();
    private final ExecutorService pool = Executors.newFixedThreadPool(3, r -> {
        Thread t = new Thread(r, "sandbox-transfer-" + threads.incrementAndGet());
        t.setDaemon(true);
        return t;
    });
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
            .connectTimeout(Duration.ofSeconds(10)).build();

    /** What a transfer produced. */
    public record Stored(long sizeBytes, String sha256, String contentType) {
    }

    /** Downloads {@code url} into {@code target}; {@code progress} follows the bytes as they arrive. */
    public CompletableFuture<Stored> download(String url, Path target, AtomicLong progress) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(10))
                        .GET().build(), HttpResponse.BodyHandlers.ofInputStream());
                try (InputStream in = response.body()) {
                    if (response.statusCode() / 100 != 2) {
                        throw new IOException("GET " + url + " answered HTTP " + response.statusCode());
                    }
                    MessageDigest digest = sha256();
                    long size = copy(in, target, digest, progress, false);
                    return new Stored(size, HexFormat.of().formatHex(digest.digest()),
                            response.headers().firstValue("Content-Type").orElse(null));
                }
            } catch (IOException e) {
                throw new CompletionException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CompletionException(e);
            }
        }, pool);
    }

    /** Joins the parts, in order, into {@code target} and deletes them. */
    public CompletableFuture<Stored> join(List<Path> parts, Path target) {
        return CompletableFuture.supplyAsync(() -> {
            MessageDigest digest = sha256();
            long size = 0;
            boolean append = false;
            try {
                for (Path part : parts) {
                    try (InputStream in = Files.newInputStream(part)) {
                        size += copy(in, target, digest, null, append);
                    }
                    append = true;
                    Files.deleteIfExists(part);
                }
            } catch (IOException e) {
                throw new CompletionException(e);
            }
            return new Stored(size, HexFormat.of().formatHex(digest.digest()), null);
        }, pool);
    }

    private static long copy(InputStream in, Path target, MessageDigest digest, AtomicLong progress, boolean append)
            throws IOException {
        byte[] buffer = new byte[BUFFER];
        long total = 0;
        try (OutputStream out = append
                ? Files.newOutputStream(target, java.nio.file.StandardOpenOption.APPEND)
                : Files.newOutputStream(target)) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
                digest.update(buffer, 0, n);
                total += n;
                if (progress != null) {
                    progress.addAndGet(n);
                }
            }
        }
        return total;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @PreDestroy
    void stop() {
        pool.shutdownNow();
    }
}
