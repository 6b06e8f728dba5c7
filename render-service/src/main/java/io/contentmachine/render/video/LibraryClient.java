package io.contentmachine.render.video;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The owner's media library as a render sees it (docs/MEDIA-LIBRARY.md): index-service's {@code POST /index/assets/search}
 * finds the owner's ready assets by meaning, storage-service's {@code GET /storage/assets/{id}/url?variant=normalised}
 * gives a presigned GET of the normalised copy, which is streamed to the render's folder (never held in memory). Both
 * calls carry the internal token and a timeout. When a service fails it is not asked again for {@link #QUIET} (a scene
 * would otherwise wait out the timeout once per scene): {@link VisualSource.Unavailable} says why, and the render falls
 * back to the next source and records the reason.
 */
public class LibraryClient {

    /** How long a service that failed is left alone. */
    static final Duration QUIET = Duration.ofSeconds(30);

    private final String indexUrl;
    private final String storageUrl;
    private final String token;
    private final Duration timeout;
    private final long maxBytes;
    private final HttpClient http;
    private final ObjectMapper mapper = new ObjectMapper();
    private final Clock clock = Clock.systemUTC();
    private volatile Instant indexQuietUntil = Instant.MIN;
    private volatile String indexQuietReason;
    private volatile Instant storageQuietUntil = Instant.MIN;
    private volatile String storageQuietReason;

    public LibraryClient(String indexUrl, String storageUrl, String token, Duration timeout, long maxBytes) {
        this.indexUrl = strip(indexUrl);
        this.storageUrl = strip(storageUrl);
        this.token = token;
        this.timeout = timeout;
        this.maxBytes = maxBytes;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NORMAL).build();
    }

    /** One of the owner's ready assets, as similar to the text as {@code score} says (cosine). */
    public record Match(UUID assetId, String kind, double score, String description, List<String> tags) {
    }

    /** The owner's ready assets of these kinds most similar to {@code text}, best first. */
    public List<Match> search(String ownerId, String text, List<String> kinds, int limit) {
        if (clock.instant().isBefore(indexQuietUntil)) {
            throw new VisualSource.Unavailable(indexQuietReason + "; not asked again before " + indexQuietUntil);
        }
        JsonNode body;
        try {
            String json = mapper.writeValueAsString(Map.of("ownerId", ownerId, "text", text, "kinds", kinds, "limit", limit));
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(indexUrl + "/index/assets/search"))
                    .timeout(timeout).header("Content-Type", "application/json").header("X-Internal-Token", token)
                    .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw indexDown("index-service answered " + response.statusCode());
            }
            body = mapper.readTree(response.body());
        } catch (IOException e) {
            throw indexDown("index-service cannot be reached: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VisualSource.Unavailable("interrupted");
        }
        List<Match> matches = new ArrayList<>();
        for (JsonNode m : body.path("matches")) {
            List<String> tags = new ArrayList<>();
            m.path("tags").forEach(t -> tags.add(t.asText()));
            try {
                matches.add(new Match(UUID.fromString(m.path("assetId").asText()), m.path("kind").asText(), m.path("score").asDouble(),
                        m.path("description").asText(""), tags));
            } catch (IllegalArgumentException e) {
                // a match without a readable id cannot be fetched; the others still can
            }
        }
        return matches;
    }

    /** Streams the asset's normalised copy to {@code target}; returns it. */
    public Path fetch(UUID assetId, Path target) {
        if (clock.instant().isBefore(storageQuietUntil)) {
            throw new VisualSource.Unavailable(storageQuietReason + "; not asked again before " + storageQuietUntil);
        }
        String url;
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(storageUrl + "/storage/assets/" + assetId
                    + "/url?variant=normalised")).timeout(timeout).header("X-Internal-Token", token).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 404 || response.statusCode() == 409) {
                // this asset only (deleted, or not ready): the service is fine
                throw new VisualSource.Unavailable("asset " + assetId + " has no normalised copy (" + response.statusCode() + ")");
            }
            if (response.statusCode() != 200) {
                throw storageDown("storage-service answered " + response.statusCode());
            }
            url = mapper.readTree(response.body()).path("url").asText("");
        } catch (IOException e) {
            throw storageDown("storage-service cannot be reached: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VisualSource.Unavailable("interrupted");
        }
        if (url.isBlank()) {
            throw new VisualSource.Unavailable("storage-service gave no URL for asset " + assetId);
        }
        try {
            HttpResponse<Path> file = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(timeout.multipliedBy(12)).GET().build(),
                    HttpResponse.BodyHandlers.ofFile(target));
            if (file.statusCode() != 200) {
                Files.deleteIfExists(target);
                throw new VisualSource.Unavailable("the normalised copy of asset " + assetId + " answered " + file.statusCode());
            }
            if (Files.size(target) > maxBytes) {
                Files.deleteIfExists(target);
                throw new VisualSource.Unavailable("the normalised copy of asset " + assetId + " is larger than " + maxBytes + " bytes");
            }
            return target;
        } catch (IOException e) {
            throw new VisualSource.Unavailable("cannot download asset " + assetId + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VisualSource.Unavailable("interrupted");
        }
    }

    private VisualSource.Unavailable indexDown(String reason) {
        indexQuietReason = reason;
        indexQuietUntil = clock.instant().plus(QUIET);
        return new VisualSource.Unavailable(reason);
    }

    private VisualSource.Unavailable storageDown(String reason) {
        storageQuietReason = reason;
        storageQuietUntil = clock.instant().plus(QUIET);
        return new VisualSource.Unavailable(reason);
    }

    private static String strip(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
