package io.contentmachine.publish.platform.tiktok;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import io.contentmachine.events.types.TikTokPostOptions;
import io.contentmachine.publish.config.PublishConfig;
import io.contentmachine.publish.domain.Platform;
import io.contentmachine.publish.domain.PublishingStatus;
import io.contentmachine.publish.platform.ChunkBody;
import io.contentmachine.publish.platform.PlatformException;
import io.contentmachine.publish.platform.PlatformHttp;
import io.contentmachine.publish.platform.PublishTask;
import io.contentmachine.publish.platform.Publisher;
import io.contentmachine.publish.platform.Step;
import org.jboss.logging.Logger;

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
    private final TikTokCreatorInfo creators;
    private final PublishConfig.TikTok config;
    private final PublishConfig.Worker worker;

    TikTokPublisher(PlatformHttp http, TikTokCreatorInfo creators, PublishConfig config) {
        this.http = http;
        this.creators = creators;
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

    /** One step; a failed call throws its {@link PlatformException} for the worker to judge (retry later, wait, refresh, fail). */
    @Override
    public Step advance(PublishTask task) {
        if (task.uploadRef() == null) {
            return init(task);
        }
        if (task.status() == PublishingStatus.UPLOADING) {
            return upload(task);
        }
        return poll(task);
    }

    /**
     * creator_info first, every time (TikTok's rule: the creator's options may have changed since the request), then init
     * with what the person chose: the privacy level must be one the creator offers (there is no default: without one the
     * post fails), SELF_ONLY whatever was chosen when the app is unaudited; an interaction is on only when the request
     * allowed it and the creator has not disabled it; the video is flagged as AI-generated, which every video here is.
     */
    private Step init(PublishTask task) {
        TikTokCreatorInfo.Creator creator = creators.query(task.credentials().accessToken());
        List<String> options = creator.privacyLevelOptions();
        if (options.isEmpty()) {
            return Step.Finished.failed("no_privacy_level", config.audited() ? "TikTok offers this creator no privacy level to post with"
                    : "this app is not audited by TikTok, so it may post SELF_ONLY only, which TikTok does not offer this creator"
                    + " (the account must be private)");
        }
        long maxSeconds = creator.maxVideoPostDurationSec();
        if (maxSeconds > 0 && task.durationSeconds() > maxSeconds) {
            return Step.Finished.failed("duration_exceeds_creator_max", "the video lasts " + task.durationSeconds()
                    + " s, more than this creator's maximum of " + maxSeconds + " s");
        }
        TikTokPostOptions chosen = task.tiktok() != null ? task.tiktok() : new TikTokPostOptions();
        String privacy = chosen.getPrivacyLevel() == null ? null : chosen.getPrivacyLevel().value();
        if (!config.audited()) {
            privacy = TikTokCreatorInfo.SELF_ONLY;
        } else if (privacy == null) {
            return Step.Finished.failed("privacy_level_required", "TikTok needs a privacy level chosen for each post"
                    + " (tiktok.privacyLevel), one of " + options);
        } else if (!options.contains(privacy)) {
            return Step.Finished.failed("privacy_level_option_mismatch", "privacy level " + privacy
                    + " is not one this creator may choose now: " + options);
        }
        ChunkPlan plan = ChunkPlan.of(task.sizeBytes(), config.chunkSize());
        Map<String, Object> postInfo = new LinkedHashMap<>();
        postInfo.put("title", TikTokMetadata.adapt(task.metadata()).text());
        postInfo.put("privacy_level", privacy);
        postInfo.put("disable_duet", creator.duetDisabled() || !Boolean.TRUE.equals(chosen.getAllowDuet()));
        postInfo.put("disable_comment", creator.commentDisabled() || !Boolean.TRUE.equals(chosen.getAllowComment()));
        postInfo.put("disable_stitch", creator.stitchDisabled() || !Boolean.TRUE.equals(chosen.getAllowStitch()));
        postInfo.put("video_cover_timestamp_ms", 1000);
        postInfo.put("is_aigc", true);
        postInfo.put("brand_content_toggle", Boolean.TRUE.equals(chosen.getBrandContentToggle()));
        postInfo.put("brand_organic_toggle", Boolean.TRUE.equals(chosen.getBrandOrganicToggle()));
        Map<String, Object> sourceInfo = new LinkedHashMap<>();
        sourceInfo.put("source", "FILE_UPLOAD");
        sourceInfo.put("video_size", plan.videoSize());
        sourceInfo.put("chunk_size", plan.chunkSize());
        sourceInfo.put("total_chunk_count", plan.totalChunkCount());
        JsonNode data = call("/v2/post/publish/video/init/", Map.of("post_info", postInfo, "source_info", sourceInfo), task)
                .path("data");
        String publishId = data.path("publish_id").asText(null);
        String uploadUrl = data.path("upload_url").asText(null);
        if (publishId == null || uploadUrl == null) {
            return Step.Finished.failed("no_publish_id", "TikTok's init answered without publish_id or upload_url");
        }
        return new Step.Checkpoint(PublishingStatus.UPLOADING, publishId, uploadUrl);
    }

    /**
     * Sends the chunks TikTok does not hold yet, in order. Any failure ends the run: the next one asks TikTok how many bytes
     * arrived and goes on from that chunk, so nothing is sent twice and no worker sleeps between tries.
     */
    private Step upload(PublishTask task) {
        ChunkPlan plan = ChunkPlan.of(task.sizeBytes(), config.chunkSize());
        // after a restart, go on from the chunks TikTok already holds
        JsonNode status = status(task);
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
            } catch (IOException e) {
                throw PlatformException.transientFailure("source_unavailable", "cannot read the video: " + e.getMessage(), null, e);
            }
        }
        LOG.debugf("publishing %s: all %d TikTok chunks sent", task.publishingId(), plan.totalChunkCount());
        return new Step.Checkpoint(PublishingStatus.PROCESSING, task.uploadRef(), task.uploadUrl());
    }

    /** One look at the post's status; while TikTok still processes, the job comes back after the poll interval. */
    private Step poll(PublishTask task) {
        JsonNode data = status(task);
        String state = data.path("status").asText("");
        switch (state) {
            case "PUBLISH_COMPLETE" -> {
                String postId = data.path("publicaly_available_post_id").path(0).asText(null);
                String id = postId != null ? postId : task.uploadRef();
                String username = username(task);
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
                return new Step.Later(PublishingStatus.PROCESSING, worker.statusPollInterval());
            }
        }
    }

    private JsonNode status(PublishTask task) {
        return call("/v2/post/publish/status/fetch/", Map.of("publish_id", task.uploadRef()), task).path("data");
    }

    private String username(PublishTask task) {
        try {
            return creators.query(task.credentials().accessToken()).creatorUsername();
        } catch (PlatformException e) {
            return null;
        }
    }

    /** POSTs JSON and returns the envelope; an error answer (also one inside an HTTP 200) throws its {@link PlatformException}. */
    private JsonNode call(String path, Object body, PublishTask task) {
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
        PlatformException error = error(response, envelope);
        if (error.code().startsWith("spam_risk_")) {
            // a posting cap, not a call rate: TikTok names no time, the account waits the configured while
            throw PlatformException.waitUntil(error.code(), error.getMessage(), Instant.now().plus(config.spamRiskWait()));
        }
        throw error;
    }

    /**
     * Maps an error answer (also read by the metrics pull, to tell a refused token from missing figures). Rate limits come
     * as a 429 or, like spam_risk_*, inside an HTTP 200: read the envelope's code, not only the status.
     */
    static PlatformException error(HttpResponse<String> response, JsonNode envelope) {
        int status = response.statusCode();
        String code = envelope.path("error").path("code").asText("http_" + status);
        String message = "TikTok answered " + status + " " + code + ": " + envelope.path("error").path("message").asText("");
        if (status == 401 || "access_token_invalid".equals(code)) {
            return PlatformException.unauthorized(code, message);
        }
        if (status == 429 || "rate_limit_exceeded".equals(code) || code.startsWith("spam_risk_")) {
            return PlatformException.rateLimited(code, message, PlatformHttp.retryAfter(response).orElse(null));
        }
        if (status >= 500 || "internal_error".equals(code)) {
            return PlatformException.transientFailure(code, message, PlatformHttp.retryAfter(response).orElse(null), null);
        }
        return PlatformException.permanent(code, message);
    }
}
