package io.contentmachine.publish.platform.youtube;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import io.contentmachine.events.types.YouTubePostOptions;
import io.contentmachine.publish.client.StoredThumbnails;
import io.contentmachine.publish.config.PublishConfig;
import io.contentmachine.publish.domain.Platform;
import io.contentmachine.publish.domain.PublishingStatus;
import io.contentmachine.publish.platform.ChunkBody;
import io.contentmachine.publish.platform.PlatformException;
import io.contentmachine.publish.platform.PlatformHttp;
import io.contentmachine.publish.platform.PlatformMetadata;
import io.contentmachine.publish.platform.PostNotes;
import io.contentmachine.publish.platform.PublishTask;
import io.contentmachine.publish.platform.Publisher;
import io.contentmachine.publish.platform.Step;
import org.jboss.logging.Logger;

/**
 * YouTube Data API v3 videos.insert with the resumable protocol: open a session (saved before any byte is sent),
 * PUT chunks of a multiple of 256 KiB with Content-Range, follow 308 + Range, and after any interruption ask the
 * session how much it holds ({@code Content-Range: bytes *}/TOTAL) and go on from there. A failed call ends the run
 * (the worker tries again later, from what the session holds); quotaExceeded and uploadLimitExceeded make the account
 * wait until Google resets the quota, midnight Pacific time.
 */
@ApplicationScoped
public class YouTubePublisher implements Publisher {

    private static final Logger LOG = Logger.getLogger(YouTubePublisher.class);
    private static final int QUANTUM = 256 * 1024;
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-(\\d+)");
    /** How often a scheduled video that YouTube has not made public yet at its publishAt is looked at again. */
    private static final Duration RELEASE_CHECK_INTERVAL = Duration.ofMinutes(1);
    /** Google resets the daily quota at midnight Pacific time. */
    static final ZoneId QUOTA_RESET_ZONE = ZoneId.of("America/Los_Angeles");

    private final PlatformHttp http;
    private final PublishConfig.YouTube config;
    private final StoredThumbnails thumbnails;

    YouTubePublisher(PlatformHttp http, PublishConfig config, StoredThumbnails thumbnails) {
        this.http = http;
        this.config = config.youtube();
        this.thumbnails = thumbnails;
        if (this.config.chunkSize() <= 0 || this.config.chunkSize() % QUANTUM != 0) {
            throw new IllegalArgumentException("publish.youtube.chunk-size must be a positive multiple of 262144 (256 KiB), got "
                    + this.config.chunkSize());
        }
    }

    @Override
    public Platform platform() {
        return Platform.YOUTUBE;
    }

    /** One step; a failed call throws its {@link PlatformException} for the worker to judge (retry later, wait, refresh, fail). */
    @Override
    public Step advance(PublishTask task) {
        if (task.status() == PublishingStatus.SCHEDULED) {
            return released(task);
        }
        if (task.uploadRef() == null) {
            return new Step.Checkpoint(PublishingStatus.UPLOADING, openSession(task), null);
        }
        return upload(task);
    }

    private String openSession(PublishTask task) {
        PlatformMetadata metadata = YouTubeMetadata.adapt(task.metadata());
        Map<String, Object> snippet = new LinkedHashMap<>();
        snippet.put("title", metadata.title());
        snippet.put("description", metadata.description());
        snippet.put("tags", metadata.tags());
        snippet.put("categoryId", config.categoryId());
        Map<String, Object> status = new LinkedHashMap<>();
        boolean scheduled = task.publishAt() != null && task.publishAt().isAfter(Instant.now());
        status.put("privacyStatus", scheduled ? "private" : config.privacyStatus());
        if (scheduled) {
            status.put("publishAt", task.publishAt().toString());
        }
        YouTubePostOptions asked = task.youtube();
        status.put("selfDeclaredMadeForKids", asked != null && asked.getMadeForKids() != null ? asked.getMadeForKids()
                : config.madeForKids());
        status.put("containsSyntheticMedia", asked != null && asked.getContainsSyntheticMedia() != null
                ? asked.getContainsSyntheticMedia() : config.containsSyntheticMedia());
        Map<String, Object> video = Map.of("snippet", snippet, "status", status);
        String url = config.apiUrl() + "/upload/youtube/v3/videos?uploadType=resumable&part=snippet,status";
        HttpResponse<String> response = http.send(PlatformHttp.request(url, PlatformHttp.CALL_TIMEOUT)
                .header("Authorization", "Bearer " + task.credentials().accessToken())
                .header("Content-Type", "application/json; charset=UTF-8")
                .header("X-Upload-Content-Length", Long.toString(task.sizeBytes()))
                .header("X-Upload-Content-Type", "video/mp4")
                .POST(http.json(video))
                .build());
        if (response.statusCode() / 100 == 2) {
            return response.headers().firstValue("Location").orElseThrow(() -> PlatformException.permanent(
                    "no_upload_session", "YouTube answered " + response.statusCode() + " without a Location header"));
        }
        throw error(response);
    }

    /**
     * Sends what the session lacks, chunk after chunk. A failure ends the run; the next run asks the session what it holds
     * and resumes from there, so nothing is sent twice and no worker sleeps between tries.
     */
    private Step upload(PublishTask task) {
        String session = task.uploadRef();
        long total = task.sizeBytes();
        Progress progress = query(session, total);
        if (progress.expired) {
            LOG.infof("publishing %s: YouTube upload session expired, opening a new one", task.publishingId());
            return new Step.Checkpoint(PublishingStatus.UPLOADING, null, null);
        }
        if (progress.resource != null) {
            return finished(task, progress.resource);
        }
        long offset = progress.received;
        if (offset > 0) {
            LOG.infof("publishing %s: YouTube upload goes on at byte %d of %d", task.publishingId(), offset, total);
        }
        InputStream source = null;
        long sourcePosition = -1;
        try {
            while (true) {
                if (source == null || sourcePosition != offset) {
                    closeQuietly(source);
                    source = open(task, offset);
                    sourcePosition = offset;
                }
                long length = Math.min(config.chunkSize(), total - offset);
                long last = offset + length - 1;
                HttpResponse<String> response = http.send(PlatformHttp.request(session, PlatformHttp.TRANSFER_TIMEOUT)
                        .header("Content-Type", "video/mp4")
                        .header("Content-Range", "bytes " + offset + "-" + last + "/" + total)
                        .PUT(ChunkBody.of(source, length))
                        .build());
                sourcePosition = last + 1;
                if (response.statusCode() == 308) {
                    offset = received(response).orElse(0);
                    continue;
                }
                if (response.statusCode() == 200 || response.statusCode() == 201) {
                    return finished(task, http.body(response));
                }
                if (response.statusCode() == 404) {
                    return new Step.Checkpoint(PublishingStatus.UPLOADING, null, null);
                }
                throw error(response);
            }
        } finally {
            closeQuietly(source);
        }
    }

    private static InputStream open(PublishTask task, long offset) {
        try {
            return task.source().open(offset);
        } catch (IOException e) {
            throw PlatformException.transientFailure("source_unavailable", "cannot read the video from storage: " + e.getMessage(),
                    null, e);
        }
    }

    /** Asks the session what it holds: 308 + Range (or none: nothing yet), the final resource, or 404 (expired). */
    private Progress query(String session, long total) {
        HttpResponse<String> response = http.send(PlatformHttp.request(session, PlatformHttp.CALL_TIMEOUT)
                .header("Content-Range", "bytes */" + total)
                .PUT(HttpRequest.BodyPublishers.noBody())
                .build());
        return switch (response.statusCode()) {
            case 308 -> new Progress(received(response).orElse(0), null, false);
            case 200, 201 -> new Progress(total, http.body(response), false);
            case 404, 410 -> new Progress(0, null, true);
            default -> throw error(response);
        };
    }

    private Step finished(PublishTask task, JsonNode resource) {
        String id = resource.path("id").asText(null);
        String uploadStatus = resource.path("status").path("uploadStatus").asText("");
        if ("rejected".equals(uploadStatus) || "failed".equals(uploadStatus)) {
            String reason = resource.path("status").path("rejectionReason").asText(resource.path("status").path("failureReason")
                    .asText(uploadStatus));
            return new Step.Finished(PublishingStatus.FAILED, id, null, null, "upload_" + uploadStatus, "YouTube " + uploadStatus
                    + " the upload: " + reason);
        }
        if (id == null || id.isBlank()) {
            return Step.Finished.failed("no_video_id", "YouTube finished the upload without a video id");
        }
        String url = "https://www.youtube.com/shorts/" + id;
        boolean scheduled = task.publishAt() != null && task.publishAt().isAfter(Instant.now());
        return scheduled
                ? new Step.Finished(PublishingStatus.SCHEDULED, id, url, null, null, null)
                : published(task, id, url, Instant.now());
    }

    /**
     * The video is public (just uploaded, or a scheduled one released): the stored thumbnail is set and the first comment
     * posted. Neither can fail the publishing: what did not work is noted in its error fields, the comment's id kept.
     * A scheduled video gets both when YouTube releases it (the comment cannot be posted on a private video; the thumbnail
     * goes with it so that one note covers both).
     */
    private Step.Finished published(PublishTask task, String id, String url, Instant publishedAt) {
        PostNotes notes = new PostNotes();
        setThumbnail(task, id, notes);
        String commentId = firstComment(task, id, notes);
        return new Step.Finished(PublishingStatus.PUBLISHED, id, url, publishedAt, notes.code(), notes.message(), commentId);
    }

    /** thumbnails.set with the JPEG storage-service keeps beside the video; none stored: nothing to set. */
    private void setThumbnail(PublishTask task, String videoId, PostNotes notes) {
        try {
            Optional<byte[]> jpeg = task.projectId() == null ? Optional.empty() : thumbnails.jpeg(task.projectId());
            if (jpeg.isEmpty()) {
                return;
            }
            String url = config.apiUrl() + "/upload/youtube/v3/thumbnails/set?uploadType=media&videoId=" + videoId;
            HttpResponse<String> response = http.send(PlatformHttp.request(url, PlatformHttp.CALL_TIMEOUT)
                    .header("Authorization", "Bearer " + task.credentials().accessToken())
                    .header("Content-Type", "image/jpeg")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(jpeg.get()))
                    .build());
            if (response.statusCode() / 100 != 2) {
                notes.add("thumbnail_not_set", "thumbnail not set: " + error(response).getMessage());
            }
        } catch (IOException | PlatformException e) {
            notes.add("thumbnail_not_set", "thumbnail not set: " + e.getMessage());
        }
    }

    /**
     * commentThreads.insert of the requested first comment, which needs the {@code youtube.force-ssl} scope: an account
     * connected with the upload scope only is told to reconnect. Returns the comment's id, or null.
     */
    private String firstComment(PublishTask task, String videoId, PostNotes notes) {
        String text = task.youtube() == null ? null : task.youtube().getFirstComment();
        if (text == null || text.isBlank()) {
            return null;
        }
        Map<String, Object> resource = Map.of("snippet", Map.of("videoId", videoId,
                "topLevelComment", Map.of("snippet", Map.of("textOriginal", text))));
        try {
            HttpResponse<String> response = http.send(PlatformHttp.request(config.apiUrl() + "/youtube/v3/commentThreads?part=snippet",
                    PlatformHttp.CALL_TIMEOUT)
                    .header("Authorization", "Bearer " + task.credentials().accessToken())
                    .header("Content-Type", "application/json; charset=UTF-8")
                    .POST(http.json(resource))
                    .build());
            if (response.statusCode() / 100 == 2) {
                String id = http.body(response).path("id").asText(null);
                if (id != null) {
                    return id;
                }
                notes.add("first_comment_not_posted", "first comment not posted: YouTube answered without a comment id");
                return null;
            }
            String message = "first comment not posted: " + error(response).getMessage();
            if (response.statusCode() == 403 && "insufficientPermissions".equals(http.body(response).path("error").path("errors")
                    .path(0).path("reason").asText(""))) {
                message += "; reconnect the YouTube account (POST /api/accounts/youtube/connect) to grant the youtube.force-ssl"
                        + " scope that commenting needs";
            }
            notes.add("first_comment_not_posted", message);
        } catch (PlatformException e) {
            notes.add("first_comment_not_posted", "first comment not posted: " + e.getMessage());
        }
        return null;
    }

    /**
     * A scheduled video, looked at from its publishAt on: published once YouTube shows it public (then its metrics are
     * pulled like any published video's), failed when it is gone from YouTube or still not public a day after publishAt.
     */
    private Step released(PublishTask task) {
        String url = config.apiUrl() + "/youtube/v3/videos?part=status&id=" + task.platformId();
        HttpResponse<String> response = http.send(PlatformHttp.request(url, PlatformHttp.CALL_TIMEOUT)
                .header("Authorization", "Bearer " + task.credentials().accessToken()).GET().build());
        if (response.statusCode() / 100 != 2) {
            throw error(response);
        }
        JsonNode item = http.body(response).path("items").path(0);
        if (item.isMissingNode()) {
            return Step.Finished.failed("video_removed", "the scheduled video " + task.platformId() + " is no longer on YouTube");
        }
        String privacy = item.path("status").path("privacyStatus").asText("");
        Instant now = Instant.now();
        if ("public".equals(privacy)) {
            Instant publishedAt = task.publishAt() != null && task.publishAt().isBefore(now) ? task.publishAt() : now;
            return published(task, task.platformId(), "https://www.youtube.com/shorts/" + task.platformId(), publishedAt);
        }
        if (task.publishAt() != null && now.isAfter(task.publishAt().plus(Duration.ofDays(1)))) {
            return Step.Finished.failed("not_released", "YouTube had not made the video public a day after its publishAt "
                    + task.publishAt() + " (privacyStatus " + privacy + ")");
        }
        Duration wait = task.publishAt() != null && task.publishAt().isAfter(now) ? Duration.between(now, task.publishAt())
                : RELEASE_CHECK_INTERVAL;
        return new Step.Later(PublishingStatus.SCHEDULED, wait);
    }

    /**
     * videos.delete, which needs the {@code youtube.force-ssl} scope: an account connected with the upload scope only is told
     * to reconnect. A video YouTube no longer has counts as deleted.
     */
    @Override
    public boolean canDelete() {
        return true;
    }

    @Override
    public Deletion delete(String platformId, PublishTask.Credentials credentials) {
        HttpResponse<String> response = http.send(PlatformHttp.request(config.apiUrl() + "/youtube/v3/videos?id=" + platformId,
                PlatformHttp.CALL_TIMEOUT).header("Authorization", "Bearer " + credentials.accessToken()).DELETE().build());
        if (response.statusCode() / 100 == 2) {
            return new Deletion("deleted", "deleted from YouTube");
        }
        if (response.statusCode() == 404) {
            return new Deletion("deleted", "YouTube no longer had the video");
        }
        PlatformException error = error(response);
        if (response.statusCode() == 403) {
            return new Deletion("failed", error.getMessage() + "; reconnect the YouTube account (POST /api/accounts/youtube/connect)"
                    + " to grant the youtube.force-ssl scope that deleting needs");
        }
        if (error.isTransient() || error.isWait()) {
            throw error;
        }
        return new Deletion("failed", error.getMessage());
    }

    /** The next byte the session expects, from {@code Range: bytes=0-N}. */
    private static OptionalLong received(HttpResponse<?> response) {
        Optional<String> range = response.headers().firstValue("Range");
        if (range.isEmpty()) {
            return OptionalLong.empty();
        }
        Matcher matcher = RANGE.matcher(range.get());
        return matcher.find() ? OptionalLong.of(Long.parseLong(matcher.group(2)) + 1) : OptionalLong.empty();
    }

    private PlatformException error(HttpResponse<String> response) {
        return error(response, http.body(response));
    }

    /**
     * Maps an error answer: quota and upload limits wait for the next midnight Pacific, rate limits for Retry-After, 5xx are
     * transient, 401 gets a token refresh.
     */
    static PlatformException error(HttpResponse<String> response, JsonNode body) {
        int status = response.statusCode();
        JsonNode error = body.path("error");
        String reason = error.path("errors").path(0).path("reason").asText(null);
        String message = error.path("message").asText(response.body() == null ? "" : response.body());
        String code = reason != null ? reason : "http_" + status;
        String text = "YouTube answered " + status + (reason != null ? " " + reason : "") + ": " + message;
        if ("quotaExceeded".equals(reason) || "uploadLimitExceeded".equals(reason)) {
            return PlatformException.waitUntil(reason, text, quotaReset(Instant.now()));
        }
        if (status == 401) {
            return PlatformException.unauthorized(code, text);
        }
        if (status == 429 || "rateLimitExceeded".equals(reason) || "userRateLimitExceeded".equals(reason)) {
            return PlatformException.rateLimited(code, text, PlatformHttp.retryAfter(response).orElse(null));
        }
        if (status >= 500) {
            return PlatformException.transientFailure(code, text, PlatformHttp.retryAfter(response).orElse(null), null);
        }
        return PlatformException.permanent(code, text);
    }

    /** The next midnight Pacific time after {@code now}: when Google gives the day's quota back. */
    static Instant quotaReset(Instant now) {
        return now.atZone(QUOTA_RESET_ZONE).toLocalDate().plusDays(1).atStartOfDay(QUOTA_RESET_ZONE).toInstant();
    }

    private static void closeQuietly(InputStream stream) {
        if (stream != null) {
            try {
                stream.close();
            } catch (IOException e) {
                LOG.debug("closing the video source failed", e);
            }
        }
    }

    private record Progress(long received, JsonNode resource, boolean expired) {
    }
}
