package io.contentmachine.render.video;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
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
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The Pexels API (https://www.pexels.com/api/documentation/): video search ({@code GET /videos/search}) and photo
 * search ({@code GET /v1/search}), portrait orientation, the key in the {@code Authorization} header. Its limits are
 * honoured: after an answer whose {@code X-Ratelimit-Remaining} is 0 nothing is asked until {@code X-Ratelimit-Reset};
 * after a 429 (which carries no such headers) or a refused key, nothing for {@code backoff}. While Pexels is not asked,
 * {@link VisualSource.Unavailable} says why, so the render falls back and says so. The state is this instance's own: replicas share
 * Pexels' limit but each learns of it from its own answers.
 */
public class PexelsClient {

    /** The output is 1080x1920; a file larger than this on its long side (4K) is never taken. */
    static final int MAX_LONG_SIDE = 2560;
    /** Largest file downloaded (an HD clip of a minute is about 30 MB). */
    static final long MAX_BYTES = 200L * 1024 * 1024;

    private final String baseUrl;
    private final String apiKey;
    private final Duration timeout;
    private final Duration backoff;
    private final HttpClient http;
    private final ObjectMapper mapper = new ObjectMapper();
    private final Clock clock;

    private volatile Instant quietUntil = Instant.MIN;
    private volatile String quietReason;

    public PexelsClient(String baseUrl, String apiKey, Duration timeout, Duration backoff) {
        this(baseUrl, apiKey, timeout, backoff, Clock.systemUTC());
    }

    PexelsClient(String baseUrl, String apiKey, Duration timeout, Duration backoff, Clock clock) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.apiKey = apiKey;
        this.timeout = timeout;
        this.backoff = backoff;
        this.clock = clock;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NORMAL).build();
    }

    /** Who made a video or photo and its Pexels page, as Pexels asks to credit it. */
    public record Credit(String kind, long id, String creator, String creatorUrl, String pageUrl) {
    }

    /** A file to download: a video rendition (seconds &gt; 0) or a photo, with its size when known. */
    public record Media(Credit credit, String link, int width, int height, double seconds) {
    }

    /** Portrait videos for {@code query}, each as its best rendition for a 1080x1920 frame (never a 4K file). */
    public List<Media> videos(String query, int perPage) {
        JsonNode body = get("/videos/search", query, perPage);
        List<Media> found = new ArrayList<>();
        for (JsonNode v : body.path("videos")) {
            JsonNode user = v.path("user");
            Credit credit = new Credit("video", v.path("id").asLong(), user.path("name").asText(), user.path("url").asText(),
                    v.path("url").asText());
            rendition(v.path("video_files")).ifPresent(f -> found.add(new Media(credit, f.path("link").asText(), f.path("width").asInt(),
                    f.path("height").asInt(), v.path("duration").asDouble())));
        }
        return found;
    }

    /** Portrait photos for {@code query}, each as its {@code large2x} size (never the original). */
    public List<Media> photos(String query, int perPage) {
        JsonNode body = get("/v1/search", query, perPage);
        List<Media> found = new ArrayList<>();
        for (JsonNode p : body.path("photos")) {
            String link = p.path("src").path("large2x").asText("");
            if (!link.isBlank()) {
                found.add(new Media(new Credit("photo", p.path("id").asLong(), p.path("photographer").asText(),
                        p.path("photographer_url").asText(), p.path("url").asText()), link, 0, 0, 0));
            }
        }
        return found;
    }

    /**
     * The rendition to decode for a 1080x1920 frame: of the MP4 files with a known size and a long side of at most
     * {@link #MAX_LONG_SIDE}, the smallest that covers the frame without upscaling, else the largest.
     */
    static Optional<JsonNode> rendition(JsonNode files) {
        List<JsonNode> usable = new ArrayList<>();
        for (JsonNode f : files) {
            int w = f.path("width").asInt(0);
            int h = f.path("height").asInt(0);
            if ("video/mp4".equals(f.path("file_type").asText()) && w > 0 && h > 0 && Math.max(w, h) <= MAX_LONG_SIDE
                    && !"hls".equals(f.path("quality").asText())) {
                usable.add(f);
            }
        }
        Comparator<JsonNode> byArea = Comparator.comparingLong(f -> (long) f.path("width").asInt() * f.path("height").asInt());
        Optional<JsonNode> covering = usable.stream()
                .filter(f -> f.path("width").asInt() >= VideoRenderer.WIDTH && f.path("height").asInt() >= VideoRenderer.HEIGHT)
                .min(byArea);
        return covering.isPresent() ? covering : usable.stream().max(byArea);
    }

    /** Streams a file to {@code target}. */
    public Path download(String link, Path target) {
        try {
            HttpResponse<Path> response = http.send(HttpRequest.newBuilder(URI.create(link)).timeout(timeout.multipliedBy(6)).GET().build(),
                    HttpResponse.BodyHandlers.ofFile(target));
            if (response.statusCode() != 200) {
                throw new VisualSource.Unavailable("Pexels file " + link + " answered " + response.statusCode());
            }
            if (Files.size(target) > MAX_BYTES) {
                throw new VisualSource.Unavailable("Pexels file " + link + " is larger than " + MAX_BYTES / 1024 / 1024 + " MB");
            }
            return target;
        } catch (IOException e) {
            throw new VisualSource.Unavailable("cannot download " + link + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VisualSource.Unavailable("interrupted");
        }
    }

    private JsonNode get(String path, String query, int perPage) {
        Instant now = clock.instant();
        if (now.isBefore(quietUntil)) {
            throw new VisualSource.Unavailable(quietReason + "; not asked again before " + quietUntil);
        }
        URI uri = URI.create(baseUrl + path + "?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8)
                + "&orientation=portrait&per_page=" + perPage);
        HttpResponse<String> response;
        try {
            response = http.send(HttpRequest.newBuilder(uri).timeout(timeout).header("Authorization", apiKey).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new VisualSource.Unavailable("Pexels cannot be reached: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VisualSource.Unavailable("interrupted");
        }
        int status = response.statusCode();
        if (status == 429) {
            quiet(now.plus(backoff), "Pexels rate limit reached (429)");
        } else if (status == 401 || status == 403) {
            quiet(now.plus(backoff), "Pexels refused the API key (" + status + ")");
        } else if (status != 200) {
            throw new VisualSource.Unavailable("Pexels answered " + status);
        }
        if (status != 200) {
            throw new VisualSource.Unavailable(quietReason);
        }
        Optional<String> remaining = response.headers().firstValue("X-Ratelimit-Remaining");
        Optional<String> reset = response.headers().firstValue("X-Ratelimit-Reset");
        if (remaining.isPresent() && remaining.get().strip().equals("0")) {
            quiet(reset.map(r -> Instant.ofEpochSecond(Long.parseLong(r.strip()))).orElse(now.plus(backoff)),
                    "Pexels monthly requests used up (X-Ratelimit-Remaining 0)");
        }
        try {
            return mapper.readTree(response.body());
        } catch (IOException e) {
            throw new VisualSource.Unavailable("Pexels answered JSON this client cannot read: " + e.getMessage());
        }
    }

    private void quiet(Instant until, String reason) {
        quietReason = reason;
        quietUntil = until;
    }
}
