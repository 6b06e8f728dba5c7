package io.contentmachine.sandbox.pexels;

import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;

import io.contentmachine.sandbox.config.SandboxConfig;
import io.contentmachine.sandbox.control.Fault;
import io.contentmachine.sandbox.control.FaultKind;
import io.contentmachine.sandbox.control.FaultSwitches;
import io.contentmachine.sandbox.http.BaseUrl;
import io.contentmachine.sandbox.http.Reply;
import io.contentmachine.sandbox.transfer.UploadStore;
import io.smallrye.common.annotation.Blocking;
import io.vertx.core.http.HttpServerRequest;

/**
 * A stand-in for the Pexels API (https://www.pexels.com/api/documentation/): {@code GET /videos/search} and
 * {@code GET /v1/search} with query, orientation, page and per_page (default 15, at most 80), the documented response
 * shapes with next_page / prev_page only where such a page exists, the key in the {@code Authorization} header (401 for
 * a missing or unknown one), {@code X-Ratelimit-Limit / -Remaining / -Reset} on successful answers only, and 429 once a
 * key has used its hourly requests (or when a rate-limit fault is armed for platform "pexels"). File links point at
 * {@code /pexels-files/...} on this server, which serves real media made by {@link PexelsLibrary}, without a key, as
 * Pexels' file hosts do.
 */
@Path("/")
public class PexelsResource {

    private static final List<String> FAULTS = List.of(FaultKind.RATE_LIMIT, FaultKind.HTTP_5XX);

    @Inject
    SandboxConfig config;
    @Inject
    PexelsLibrary library;
    @Inject
    FaultSwitches faults;

    /** Requests per key: this hour's count and this month's. */
    private final Map<String, long[]> hourly = new ConcurrentHashMap<>();
    private final Map<String, long[]> monthly = new ConcurrentHashMap<>();

    @GET
    @Path("videos/search")
    public Response searchVideos(@HeaderParam("Authorization") String key, @QueryParam("query") String query,
            @QueryParam("orientation") String orientation, @QueryParam("page") Integer page, @QueryParam("per_page") Integer perPage,
            @Context HttpServerRequest request) {
        Optional<Reply> refused = guard(key, "videos", query);
        if (refused.isPresent()) {
            return refused.get().toResponse();
        }
        String base = BaseUrl.of(config, request.scheme(), request.host());
        List<PexelsLibrary.Video> found = library.videos(query, orientation);
        Page p = page(found.size(), page, perPage);
        List<Object> videos = new ArrayList<>();
        for (PexelsLibrary.Video v : found.subList(p.from, p.to)) {
            videos.add(video(v, base));
        }
        Map<String, Object> body = pagination(base + "/videos/search", query, orientation, p, found.size());
        body.put("url", "https://www.pexels.com/search/videos/" + query + "/");
        body.put("videos", videos);
        return limited(key, Reply.json(200, body));
    }

    @GET
    @Path("v1/search")
    public Response searchPhotos(@HeaderParam("Authorization") String key, @QueryParam("query") String query,
            @QueryParam("orientation") String orientation, @QueryParam("page") Integer page, @QueryParam("per_page") Integer perPage,
            @Context HttpServerRequest request) {
        Optional<Reply> refused = guard(key, "photos", query);
        if (refused.isPresent()) {
            return refused.get().toResponse();
        }
        String base = BaseUrl.of(config, request.scheme(), request.host());
        List<PexelsLibrary.Photo> found = library.photos(query, orientation);
        Page p = page(found.size(), page, perPage);
        List<Object> photos = new ArrayList<>();
        for (PexelsLibrary.Photo ph : found.subList(p.from, p.to)) {
            photos.add(photo(ph, base));
        }
        Map<String, Object> body = pagination(base + "/v1/search", query, orientation, p, found.size());
        body.put("photos", photos);
        return limited(key, Reply.json(200, body));
    }

    @GET
    @Path("pexels-files/videos/{id}/{quality}.mp4")
    @Blocking
    public Response videoFile(@PathParam("id") long id, @PathParam("quality") String quality) throws IOException, InterruptedException {
        Optional<PexelsLibrary.Video> video = library.video(id);
        Optional<PexelsLibrary.Rendition> rendition = video.flatMap(v -> v.renditions().stream()
                .filter(r -> r.quality().equals(quality)).findFirst());
        if (rendition.isEmpty()) {
            return Response.status(404).build();
        }
        return file(library.videoFile(video.get(), rendition.get()), "video/mp4");
    }

    @GET
    @Path("pexels-files/photos/{id}/{variant}.jpeg")
    @Blocking
    public Response photoFile(@PathParam("id") long id, @PathParam("variant") String variant) throws IOException, InterruptedException {
        Optional<PexelsLibrary.Photo> photo = library.photo(id);
        Optional<PexelsLibrary.Variant> v = PexelsLibrary.VARIANTS.stream().filter(x -> x.name().equals(variant)).findFirst();
        if (photo.isEmpty() || v.isEmpty()) {
            return Response.status(404).build();
        }
        return file(library.photoFile(photo.get(), v.get()), "image/jpeg");
    }

    private static Response file(java.nio.file.Path file, String type) {
        return Response.ok(file.toFile(), type).build();
    }

    /** 401 for a missing or unknown key, 400 without a query, 429 over the hourly limit or when a fault is armed. */
    private Optional<Reply> guard(String key, String operation, String query) {
        if (key == null || !config.pexels().apiKeys().contains(key.strip())) {
            return Optional.of(Reply.json(401, Map.of("error", "Unauthorized: a valid API key is required in the Authorization header")));
        }
        Optional<Fault> fault = faults.take("pexels", operation, FAULTS);
        if (fault.isPresent()) {
            return Optional.of(FaultKind.RATE_LIMIT.equals(fault.get().kind())
                    ? Reply.json(429, Map.of("error", "Too Many Requests"))
                    : Reply.json(fault.get().status() == null ? 500 : fault.get().status(), Map.of("error", "Internal Server Error")));
        }
        long hour = Instant.now().getEpochSecond() / 3600;
        long[] h = hourly.compute(key.strip(), (k, v) -> v == null || v[0] != hour ? new long[] {hour, 1} : new long[] {hour, v[1] + 1});
        if (h[1] > config.pexels().hourlyLimit() || used(key.strip()) >= config.pexels().monthlyLimit()) {
            return Optional.of(Reply.json(429, Map.of("error", "Too Many Requests")));
        }
        if (query == null || query.isBlank()) {
            return Optional.of(Reply.json(400, Map.of("error", "query is required")));
        }
        return Optional.empty();
    }

    /** A successful answer counts against the month and carries the documented X-Ratelimit-* headers. */
    private Response limited(String key, Reply reply) {
        long month = monthStart().toEpochSecond();
        long[] m = monthly.compute(key.strip(), (k, v) -> v == null || v[0] != month ? new long[] {month, 1} : new long[] {month,
                v[1] + 1});
        int limit = config.pexels().monthlyLimit();
        return reply.header("X-Ratelimit-Limit", String.valueOf(limit))
                .header("X-Ratelimit-Remaining", String.valueOf(Math.max(0, limit - m[1])))
                .header("X-Ratelimit-Reset", String.valueOf(monthStart().plusMonths(1).toEpochSecond()))
                .toResponse();
    }

    private long used(String key) {
        long[] m = monthly.get(key);
        return m == null || m[0] != monthStart().toEpochSecond() ? 0 : m[1];
    }

    private static ZonedDateTime monthStart() {
        return ZonedDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.DAYS).withDayOfMonth(1);
    }

    void reset(@jakarta.enterprise.event.Observes UploadStore.SandboxReset reset) {
        hourly.clear();
        monthly.clear();
    }

    private record Page(int page, int perPage, int from, int to) {
    }

    private static Page page(int total, Integer page, Integer perPage) {
        int per = perPage == null || perPage < 1 ? 15 : Math.min(80, perPage);
        int p = page == null || page < 1 ? 1 : page;
        int from = Math.min(total, (p - 1) * per);
        return new Page(p, per, from, Math.min(total, from + per));
    }

    private static Map<String, Object> pagination(String endpoint, String query, String orientation, Page p, int total) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("page", p.page);
        body.put("per_page", p.perPage);
        body.put("total_results", total);
        if (p.page > 1) {
            body.put("prev_page", pageUrl(endpoint, query, orientation, p.page - 1, p.perPage));
        }
        if ((long) p.page * p.perPage < total) {
            body.put("next_page", pageUrl(endpoint, query, orientation, p.page + 1, p.perPage));
        }
        return body;
    }

    private static String pageUrl(String endpoint, String query, String orientation, int page, int perPage) {
        UriBuilder b = UriBuilder.fromUri(endpoint).queryParam("page", page).queryParam("per_page", perPage).queryParam("query", query);
        if (orientation != null && !orientation.isBlank()) {
            b.queryParam("orientation", orientation);
        }
        return b.build().toString();
    }

    private static Map<String, Object> video(PexelsLibrary.Video v, String base) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", v.id());
        out.put("width", v.width());
        out.put("height", v.height());
        out.put("url", "https://www.pexels.com/video/" + v.slug() + "-" + v.id() + "/");
        // thumbnails stay on Pexels' image host, as in real answers (this stand-in serves only the files clients render)
        out.put("image", "https://images.pexels.com/videos/" + v.id() + "/free-video-" + v.id() + ".jpg");
        out.put("full_res", null);
        out.put("tags", List.of());
        out.put("duration", v.seconds());
        out.put("user", Map.of("id", v.creatorId(), "name", v.creator(),
                "url", "https://www.pexels.com/@" + v.creator().toLowerCase().replace(' ', '-')));
        List<Object> files = new ArrayList<>();
        long fileId = v.id() * 10;
        for (PexelsLibrary.Rendition r : v.renditions()) {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("id", ++fileId);
            f.put("quality", r.quality());
            f.put("file_type", "video/mp4");
            f.put("width", r.width());
            f.put("height", r.height());
            f.put("fps", 25.0);
            f.put("link", base + "/pexels-files/videos/" + v.id() + "/" + r.quality() + ".mp4");
            files.add(f);
        }
        // Pexels also lists an HLS playlist without a size
        Map<String, Object> hls = new LinkedHashMap<>();
        hls.put("id", ++fileId);
        hls.put("quality", "hls");
        hls.put("file_type", "video/mp4");
        hls.put("width", null);
        hls.put("height", null);
        hls.put("fps", null);
        hls.put("link", base + "/pexels-files/videos/" + v.id() + "/playlist.m3u8");
        files.add(hls);
        out.put("video_files", files);
        out.put("video_pictures", List.of(Map.of("id", v.id() * 10 + 9, "picture",
                "https://images.pexels.com/videos/" + v.id() + "/pictures/preview-0.jpg", "nr", 0)));
        return out;
    }

    private static Map<String, Object> photo(PexelsLibrary.Photo p, String base) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", p.id());
        out.put("width", p.width());
        out.put("height", p.height());
        out.put("url", "https://www.pexels.com/photo/" + p.slug() + "-" + p.id() + "/");
        out.put("photographer", p.photographer());
        out.put("photographer_url", "https://www.pexels.com/@" + p.photographer().toLowerCase().replace(' ', '-'));
        out.put("photographer_id", p.photographerId());
        out.put("avg_color", "#" + p.colour().substring(2).toUpperCase());
        Map<String, String> src = new LinkedHashMap<>();
        for (PexelsLibrary.Variant v : PexelsLibrary.VARIANTS) {
            src.put(v.name(), base + "/pexels-files/photos/" + p.id() + "/" + v.name() + ".jpeg");
        }
        out.put("src", src);
        out.put("liked", false);
        out.put("alt", p.alt());
        return out;
    }
}
