package io.contentmachine.publish.platform;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;

import io.contentmachine.publish.config.PublishConfig;
import io.contentmachine.publish.domain.Platform;
import io.contentmachine.publish.domain.PublishingStatus;

/**
 * TikTok Content Posting API v2, direct post with FILE_UPLOAD: creator_info first (privacy level among those offered,
 * duration within the creator's maximum), init with the documented chunk arithmetic (publish_id and upload_url saved
 * before any byte is sent), chunked PUTs in order, then status polling until PUBLISH_COMPLETE or FAILED, reading
 * {@code data.status} (a failed post can come back with error.code "ok").
 */
@ApplicationScoped
public class TikTokPublisher implements Publisher {

    private static final Logger LOG = Logger.getLogger(TikTokPublisher.class);
    /** 5 MB read as 2^20-byte MB, and 64 MB read as 10^6: chunks valid under either reading of the docs. */
    static final long MIN_CHUNK = 5L * 1024 * 1024;
    static final long MAX_CHUNK = 64_000_000L;
    static final int MAX_CHUNKS = 1000;

    private final PlatformHttp http;
    private final PublishConfig.TikTok config;
    private final PublishConfig.Worker worker;

    TikTokPublisher(PlatformHttp http, PublishConfig config) {
        this.http = http;
        this.config = config.tiktok();
        this.worker = config.worker();
    }

    @Override
    public Platform platform() {
        return Platform.TIKTOK;
    }

    /** chunk_size and total_chunk_count for a video: floor(size / chunk), the last chunk absorbing the remainder. */
    public record ChunkPlan(long videoSize, long chunkSize, int totalChunkCount) {

        public static ChunkPlan of(long videoSize, long preferredChunk) {
            long chunk = Math.max(MIN_CHUNK, Math.min(MAX_CHUNK, preferredChunk));
            if (videoSize < MIN_CHUNK || videoSize <= chunk) {
                return new ChunkPlan(videoSize, videoSize, 1);
            }
            long count = videoSize / chunk;
            if (count > MAX_CHUNKS) {
                chunk = (videoSize + MAX_CHUNKS - 1) / MAX_CHUNKS;
                count = videoSize / chunk;
            }
            return new ChunkPlan(videoSize, chunk, (int) count);
        }

        public long first(int index) {
            return index * chunkSize;
        }

        public long length(int index) {
            return index == totalChunkCount - 1 ? videoSize - first(index) : chunkSize;
        }
    }

    @Override
    public Step advance(PublishTask task) {
        Backoff backoff = new Backoff(worker.initialBackoff(), worker.maxBackoff(), worker.maxRetries());
        try {
            if (task.uploadRef() == null) {
                return init(task, backoff);
            }
            if (task.status() == PublishingStatus.UPLOADING) {
                return upload(task, backoff);
            }
            return poll(task, backoff);
        } catch (PlatformException e) {
            if (e.isUnauthorized()) {
                throw e;
            }
            return Step.Finished.failed(e.code(), e.getMessage());
        }
    }

    private Step init(PublishTask task, Backoff backoff) {
        JsonNode creator = call("/v2/post/publish/creator_info/query/", Map.of(), task, backoff).path("data");
        List<String> options = new ArrayList<>();
        creator.path("privacy_level_options").forEach(option -> options.add(option.asText()));
        if (options.isEmpty()) {
            return Step.Finished.failed("no_privacy_level", "TikTok offers this creator no privacy level to post with");
        }
        long maxSeconds = creator.path("max_video_post_duration_sec").asLong(0);
        if (maxSeconds > 0 && task.durationSeconds() > maxSeconds) {
            return Step.Finished.failed("duration_exceeds_creator_max", "the video lasts " + task.durationSeconds()
                    + " s, more than this creator's maximum of " + maxSeconds + " s");
        }
        String privacy = options.contains(config.privacyLevel()) ? config.privacyLevel() : options.get(0);
        ChunkPlan plan = ChunkPlan.of(task.sizeBytes(), config.chunkSize());
        Map<String, Object> postInfo = new LinkedHashMap<>();
        postInfo.put("title", MetadataAdapter.tiktok(task.metadata()).text());
        postInfo.put("privacy_level", privacy);
        postInfo.put("disable_duet", creator.path("duet_disabled").asBoolean(false));
        postInfo.put("disable_comment", creator.path("comment_disabled").asBoolean(false));
        postInfo.put("disable_stitch", creator.path("stitch_disabled").asBoolean(false));
        postInfo.put("video_cover_timestamp_ms", 1000);
        Map<String, Object> sourceInfo = new LinkedHashMap<>();
        sourceInfo.put("source", "FILE_UPLOAD");
        sourceInfo.put("video_size", plan.videoSize());
        sourceInfo.put("chunk_size", plan.chunkSize());
        sourceInfo.put("total_chunk_count", plan.totalChunkCount());
        JsonNode data = call("/v2/post/publish/video/init/", Map.of("post_info", postInfo, "source_info", sourceInfo), task, backoff)
                .path("data");
        String publishId = data.path("publish_id").asText(null);
        String uploadUrl = data.path("upload_url").asText(null);
        if (publishId == null || uploadUrl == null) {
            return Step.Finished.failed("no_publish_id", "TikTok's init answered without publish_id or upload_url");
        }
        return new Step.Checkpoint(PublishingStatus.UPLOADING, publishId, uploadUrl);
    }

    private Step upload(PublishTask task, Backoff backoff) {
        ChunkPlan plan = ChunkPlan.of(task.sizeBytes(), config.chunkSize());
        // after a restart, go on from the chunks TikTok already holds
        JsonNode status = status(task, backoff);
        String state = status.path("status").asText("");
        if ("FAILED".equals(state)) {
            String reason = status.path("fail_reason").asText("unknown");
            return new Step.Finished(PublishingStatus.FAILED, task.uploadRef(), null, null, reason, "TikTok failed the post: " + reason);
        }
        if (!state.isEmpty() && !"PROCESSING_UPLOAD".equals(state)) {
            return new Step.Checkpoint(PublishingStatus.PROCESSING, task.uploadRef(), task.uploadUrl());
        }
        long uploaded = status.path("uploaded_bytes").asLong(0);
        if (uploaded >= plan.videoSize()) {
            // every byte arrived before a crash kept us from saving it: reconcile, do not send the last chunk again
            return new Step.Checkpoint(PublishingStatus.PROCESSING, task.uploadRef(), task.uploadUrl());
        }
        int index = (int) Math.min(plan.totalChunkCount() - 1, uploaded / plan.chunkSize());
        while (index < plan.totalChunkCount()) {
            long first = plan.first(index);
            long length = plan.length(index);
            try (InputStream source = task.source().open(first)) {
                HttpResponse<String> response = http.send(PlatformHttp.request(task.uploadUrl(), PlatformHttp.TRANSFER_TIMEOUT)
                        .header("Content-Type", "video/mp4")
                        .header("Content-Range", "bytes " + first + "-" + (first + length - 1) + "/" + plan.videoSize())
                        .PUT(ChunkBody.of(source, length))
                        .build());
                if (response.statusCode() / 100 != 2) {
                    throw error(response, http.body(response));
                }
                index++;
            } catch (PlatformException e) {
                if (!e.isTransient()) {
                    throw e;
                }
                LOG.debugf("TikTok chunk %d failed (%s), retrying", index, e.getMessage());
                backoff.pause(e);
            } catch (IOException e) {
                backoff.pause(PlatformException.transientFailure("source_unavailable", "cannot read the video: " + e.getMessage(), null, e));
            }
        }
        return new Step.Checkpoint(PublishingStatus.PROCESSING, task.uploadRef(), task.uploadUrl());
    }

    private Step poll(PublishTask task, Backoff backoff) {
        Instant deadline = Instant.now().plus(worker.statusPollBudget());
        Duration interval = worker.statusPollInterval();
        while (true) {
            JsonNode data = status(task, backoff);
            String state = data.path("status").asText("");
            switch (state) {
                case "PUBLISH_COMPLETE" -> {
                    String postId = data.path("publicaly_available_post_id").path(0).asText(null);
                    String id = postId != null ? postId : task.uploadRef();
                    String username = username(task, backoff);
                    String url = postId == null ? null
                            : "https://www.tiktok.com/@" + (username == null ? "" : username) + "/video/" + postId;
                    return new Step.Finished(PublishingStatus.PUBLISHED, id, url, Instant.now(), null, null);
                }
                case "SEND_TO_USER_INBOX" -> {
                    return new Step.Finished(PublishingStatus.PUBLISHED, task.uploadRef(), null, Instant.now(), null, null);
                }
                case "FAILED" -> {
                    String reason = data.path("fail_reason").asText("unknown");
                    return new Step.Finished(PublishingStatus.FAILED, task.uploadRef(), null, null, reason,
                            "TikTok failed the post: " + reason);
                }
                default -> {
                    if (Instant.now().plus(interval).isAfter(deadline)) {
                        return new Step.Later(PublishingStatus.PROCESSING, interval.multipliedBy(10));
                    }
                    sleep(interval);
                    interval = interval.multipliedBy(2).compareTo(Duration.ofSeconds(30)) > 0 ? Duration.ofSeconds(30)
                            : interval.multipliedBy(2);
                }
            }
        }
    }

    private JsonNode status(PublishTask task, Backoff backoff) {
        return call("/v2/post/publish/status/fetch/", Map.of("publish_id", task.uploadRef()), task, backoff).path("data");
    }

    private String username(PublishTask task, Backoff backoff) {
        try {
            return call("/v2/post/publish/creator_info/query/", Map.of(), task, backoff).path("data").path("creator_username")
                    .asText(null);
        } catch (PlatformException e) {
            return null;
        }
    }

    /** POSTs JSON and returns the envelope; retries transient errors (429 with its Retry-After, 5xx, dropped connections). */
    private JsonNode call(String path, Object body, PublishTask task, Backoff backoff) {
        while (true) {
            try {
                HttpResponse<String> response = http.send(PlatformHttp.request(config.apiUrl() + path, PlatformHttp.CALL_TIMEOUT)
                        .header("Authorization", "Bearer " + task.credentials().accessToken())
                        .header("Content-Type", "application/json; charset=UTF-8")
                        .POST(http.json(body))
                        .build());
                JsonNode envelope = http.body(response);
                String code = envelope.path("error").path("code").asText("ok");
                if (response.statusCode() / 100 == 2 && "ok".equals(code)) {
                    return envelope;
                }
                throw error(response, envelope);
            } catch (PlatformException e) {
                if (!e.isTransient()) {
                    throw e;
                }
                backoff.pause(e);
            }
        }
    }

    /** Maps an error answer (also read by the metrics pull, to tell a refused token from missing figures). */
    public static PlatformException error(HttpResponse<String> response, JsonNode envelope) {
        int status = response.statusCode();
        String code = envelope.path("error").path("code").asText("http_" + status);
        String message = "TikTok answered " + status + " " + code + ": " + envelope.path("error").path("message").asText("");
        if (status == 401 || "access_token_invalid".equals(code)) {
            return PlatformException.unauthorized(code, message);
        }
        if (status == 429 || status >= 500 || "rate_limit_exceeded".equals(code) || "internal_error".equals(code)) {
            return PlatformException.transientFailure(code, message, PlatformHttp.retryAfter(response).orElse(null), null);
        }
        return PlatformException.permanent(code, message);
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw PlatformException.transientFailure("interrupted", "interrupted", null, e);
        }
    }
}
