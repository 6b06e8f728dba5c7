package io.contentmachine.sandbox.youtube;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.contentmachine.sandbox.config.SandboxConfig;
import io.contentmachine.sandbox.transfer.ByteSink;
import io.contentmachine.sandbox.transfer.UploadStore;

/** Upload sessions and uploaded videos of the YouTube stand-in. */
@ApplicationScoped
public class YouTubeVideos {

    private static final String ID_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SandboxConfig config;
    private final ObjectMapper mapper;
    private final Map<String, UploadSession> sessions = new ConcurrentHashMap<>();
    private final Map<String, Video> videos = new ConcurrentHashMap<>();
    private final Map<String, Thumbnail> thumbnails = new ConcurrentHashMap<>();
    private final Map<String, List<Comment>> comments = new ConcurrentHashMap<>();
    private final AtomicInteger startedToday = new AtomicInteger();
    private volatile LocalDate today = LocalDate.now(ZoneOffset.UTC);

    @Inject
    public YouTubeVideos(SandboxConfig config, ObjectMapper mapper) {
        this.config = config;
        this.mapper = mapper;
    }

    /** One resumable upload: its metadata and the bytes received so far. */
    public static final class UploadSession {
        final String id;
        final JsonNode metadata;
        final Long declaredLength;
        final String contentType;
        final Instant createdAt = Instant.now();
        final ByteSink sink;
        Long total;
        volatile Video video;

        UploadSession(String id, JsonNode metadata, Long declaredLength, String contentType, ByteSink sink) {
            this.id = id;
            this.metadata = metadata;
            this.declaredLength = declaredLength;
            this.contentType = contentType;
            this.sink = sink;
            this.total = declaredLength;
        }
    }

    /** A completely uploaded video. */
    public record Video(String id, JsonNode metadata, Instant uploadedAt, long sizeBytes) {

        String privacyStatus(Instant now) {
            Instant at = publishAt();
            if (at != null) {
                return now.isBefore(at) ? "private" : "public";
            }
            return metadata.path("status").path("privacyStatus").asText("public");
        }

        Instant publishAt() {
            JsonNode at = metadata.path("status").path("publishAt");
            return at.isTextual() ? OffsetDateTime.parse(at.asText()).toInstant() : null;
        }
    }

    /** The custom thumbnail thumbnails.set gave a video: its bytes as received. */
    public record Thumbnail(String videoId, String contentType, byte[] bytes, Instant setAt) {
    }

    /** A top-level comment commentThreads.insert added to a video. */
    public record Comment(String id, String videoId, String text, Instant publishedAt) {
    }

    public void setThumbnail(Thumbnail thumbnail) {
        thumbnails.put(thumbnail.videoId(), thumbnail);
    }

    public Thumbnail thumbnail(String videoId) {
        return thumbnails.get(videoId);
    }

    public Comment comment(String videoId, String text) {
        Comment comment = new Comment("Ug" + newId(24), videoId, text, Instant.now());
        comments.computeIfAbsent(videoId, id -> new CopyOnWriteArrayList<>()).add(comment);
        return comment;
    }

    public List<Comment> comments(String videoId) {
        return List.copyOf(comments.getOrDefault(videoId, List.of()));
    }

    /** Counts an upload start against the daily limit; false when the limit is reached. */
    public synchronized boolean countStart() {
        LocalDate now = LocalDate.now(ZoneOffset.UTC);
        if (!now.equals(today)) {
            today = now;
            startedToday.set(0);
        }
        int limit = config.youtube().dailyUploadLimit();
        if (limit > 0 && startedToday.get() >= limit) {
            return false;
        }
        startedToday.incrementAndGet();
        return true;
    }

    public UploadSession open(JsonNode metadata, Long declaredLength, String contentType, ByteSink sink, String id) {
        UploadSession session = new UploadSession(id, metadata, declaredLength, contentType, sink);
        sessions.put(id, session);
        return session;
    }

    public static String newId(int length) {
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append(ID_CHARS.charAt(RANDOM.nextInt(ID_CHARS.length())));
        }
        return sb.toString();
    }

    /** The live session with this id; an expired one is forgotten. */
    public UploadSession session(String id) {
        if (id == null) {
            return null;
        }
        UploadSession session = sessions.get(id);
        if (session != null && session.createdAt.plus(config.youtube().sessionTtl()).isBefore(Instant.now())) {
            expire(id);
            return null;
        }
        return session;
    }

    public void expire(String id) {
        sessions.remove(id);
    }

    public Video complete(UploadSession session) {
        Video video = new Video(newId(11), session.metadata, Instant.now(), session.sink.size());
        videos.put(video.id(), video);
        session.video = video;
        return video;
    }

    public Video video(String id) {
        return videos.get(id);
    }

    /** videos.delete: the video is gone from the channel (null when there was none). */
    public Video delete(String id) {
        return videos.remove(id);
    }

    /** The video resource as videos.insert and videos.list return it, with the parts asked for. */
    public ObjectNode resource(Video video, List<String> parts, Instant now) {
        ObjectNode node = mapper.createObjectNode();
        node.put("kind", "youtube#video");
        node.put("etag", Integer.toHexString(video.id().hashCode()));
        node.put("id", video.id());
        JsonNode sent = video.metadata();
        if (parts.contains("snippet")) {
            ObjectNode snippet = node.putObject("snippet");
            snippet.put("publishedAt", video.uploadedAt().toString());
            snippet.put("channelId", "UCsandbox000000000000000");
            snippet.put("title", sent.path("snippet").path("title").asText());
            snippet.put("description", sent.path("snippet").path("description").asText(""));
            snippet.put("channelTitle", "Sandbox Channel");
            if (sent.path("snippet").path("tags").isArray()) {
                snippet.set("tags", sent.path("snippet").path("tags"));
            }
            snippet.put("categoryId", sent.path("snippet").path("categoryId").asText("22"));
            snippet.put("liveBroadcastContent", "none");
        }
        if (parts.contains("status")) {
            ObjectNode status = node.putObject("status");
            boolean processed = !now.isBefore(video.uploadedAt().plus(config.youtube().processingTime()));
            status.put("uploadStatus", processed ? "processed" : "uploaded");
            status.put("privacyStatus", video.privacyStatus(now));
            Instant publishAt = video.publishAt();
            if (publishAt != null && now.isBefore(publishAt)) {
                status.put("publishAt", sent.path("status").path("publishAt").asText());
            }
            status.put("license", "youtube");
            status.put("embeddable", true);
            status.put("publicStatsViewable", true);
            boolean kids = sent.path("status").path("selfDeclaredMadeForKids").asBoolean();
            status.put("madeForKids", kids);
            status.put("selfDeclaredMadeForKids", kids);
            status.put("containsSyntheticMedia", sent.path("status").path("containsSyntheticMedia").asBoolean(false));
        }
        if (parts.contains("statistics")) {
            // Grows deterministically with the time the video has been public: one view a second.
            long views = 0;
            if ("public".equals(video.privacyStatus(now))) {
                Instant since = video.publishAt() != null && video.publishAt().isAfter(video.uploadedAt())
                        ? video.publishAt() : video.uploadedAt();
                views = Math.max(0, Duration.between(since, now).toSeconds());
            }
            ObjectNode statistics = node.putObject("statistics");
            statistics.put("viewCount", String.valueOf(views));
            statistics.put("likeCount", String.valueOf(views / 10));
            statistics.put("favoriteCount", "0");
            statistics.put("commentCount", String.valueOf(views / 50));
        }
        return node;
    }

    void reset(@Observes UploadStore.SandboxReset reset) {
        sessions.clear();
        videos.clear();
        thumbnails.clear();
        comments.clear();
        startedToday.set(0);
    }
}
