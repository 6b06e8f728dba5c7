package io.contentmachine.publish.platform.instagram;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import io.contentmachine.publish.config.PublishConfig;
import io.contentmachine.publish.domain.Platform;
import io.contentmachine.publish.domain.PublishingStatus;
import io.contentmachine.publish.platform.PlatformException;
import io.contentmachine.publish.platform.PlatformHttp;
import io.contentmachine.publish.platform.PostNotes;
import io.contentmachine.publish.platform.PublishTask;
import io.contentmachine.publish.platform.Publisher;
import io.contentmachine.publish.platform.Step;

/**
 * Instagram Graph API Reels: a container from the presigned video_url (its id saved before polling), status polling
 * until FINISHED (EXPIRED → one new container), the publishing quota read from content_publishing_limit (used up: the
 * account waits), then media_publish. A container found PUBLISHED after a restart is reconciled (its media found by
 * caption), not published again. A failed call ends the run for the worker to judge.
 */
@ApplicationScoped
public class InstagramPublisher implements Publisher {

    /** uploadUrl marks that the one allowed re-creation after EXPIRED was used. */
    static final String RECREATED = "recreated-after-expiry";
    /** How many of the account's newest media a reconcile looks through for the one its container became. */
    static final int RECONCILE_SCAN = 50;
    /** uploadUrl of a PUBLISHED container whose media was not found yet: the prefix of when it was first missed. */
    static final String RECONCILING = "reconciling-since:";
    /** The wait reason of a used-up content_publishing_limit, and the Graph API's subcode for "too many posts". */
    static final String PUBLISHING_LIMIT = "publishing_limit";
    static final int PUBLISHING_LIMIT_SUBCODE = 2207042;
    /** Graph API throttling: application (4), user (17), Instagram's own (32) and action (613) request limits. */
    private static final Set<Integer> RATE_LIMIT_CODES = Set.of(4, 17, 32, 613);
    private static final DateTimeFormatter GRAPH_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssZ");

    private final PlatformHttp http;
    private final PublishConfig.Instagram config;
    private final PublishConfig.Worker worker;

    InstagramPublisher(PlatformHttp http, PublishConfig config) {
        this.http = http;
        this.config = config.instagram();
        this.worker = config.worker();
    }

    @Override
    public Platform platform() {
        return Platform.INSTAGRAM;
    }

    /** One step; a failed call throws its {@link PlatformException} for the worker to judge (retry later, wait, refresh, fail). */
    @Override
    public Step advance(PublishTask task) {
        if (task.uploadRef() == null) {
            Map<String, String> form = new LinkedHashMap<>();
            form.put("media_type", "REELS");
            form.put("video_url", task.source().url());
            form.put("caption", InstagramMetadata.adapt(task.metadata()).text());
            form.put("share_to_feed", "true");
            JsonNode created = call("POST", user(task) + "/media", form, task);
            String id = created.path("id").asText(null);
            if (id == null) {
                return Step.Finished.failed("no_container_id", "Instagram created no container");
            }
            return new Step.Checkpoint(PublishingStatus.PROCESSING, id, task.uploadUrl());
        }
        return poll(task);
    }

    /** One look at the container; while Instagram still processes it, the job comes back after the poll interval. */
    private Step poll(PublishTask task) {
        JsonNode container = call("GET", task.uploadRef(), Map.of("fields", "status_code,status"), task);
        String code = container.path("status_code").asText("");
        switch (code) {
            case "FINISHED" -> {
                return publish(task);
            }
            case "PUBLISHED" -> {
                return reconcile(task);
            }
            case "ERROR" -> {
                return new Step.Finished(PublishingStatus.FAILED, task.uploadRef(), null, null, "container_error",
                        "Instagram could not process the video: " + container.path("status").asText("ERROR"));
            }
            case "EXPIRED" -> {
                if (RECREATED.equals(task.uploadUrl())) {
                    return Step.Finished.failed("container_expired", "the Instagram container expired twice");
                }
                return new Step.Checkpoint(PublishingStatus.UPLOADING, null, RECREATED);
            }
            default -> {
                return new Step.Later(PublishingStatus.PROCESSING, worker.statusPollInterval());
            }
        }
    }

    private Step publish(PublishTask task) {
        JsonNode limit = call("GET", user(task) + "/content_publishing_limit", Map.of("fields", "quota_usage,config"), task)
                .path("data").path(0);
        long usage = limit.path("quota_usage").asLong(0);
        long total = limit.path("config").path("quota_total").asLong(Long.MAX_VALUE);
        if (usage >= total) {
            throw PlatformException.waitUntil(PUBLISHING_LIMIT, "Instagram's publishing limit is used up: " + usage + " of " + total
                    + " posts per " + limit.path("config").path("quota_duration").asLong(86400) + " s",
                    Instant.now().plus(config.publishingLimitWait()));
        }
        JsonNode published = call("POST", user(task) + "/media_publish", Map.of("creation_id", task.uploadRef()), task);
        String mediaId = published.path("id").asText(null);
        if (mediaId == null) {
            return Step.Finished.failed("no_media_id", "Instagram's media_publish answered without an id");
        }
        String permalink = null;
        try {
            permalink = call("GET", mediaId, Map.of("fields", "id,permalink"), task).path("permalink").asText(null);
        } catch (PlatformException e) {
            // published all the same; the link is a nicety
        }
        PostNotes notes = new PostNotes();
        String commentId = firstComment(task, mediaId, notes);
        return new Step.Finished(PublishingStatus.PUBLISHED, mediaId, permalink, Instant.now(), notes.code(), notes.message(), commentId);
    }

    /**
     * The requested first comment on the published Reel (POST /{ig-media-id}/comments, permission
     * instagram_business_manage_comments). Its failure never fails the publishing: it is noted, and an account connected
     * without the permission is told to reconnect. Returns the comment's id, or null.
     */
    private String firstComment(PublishTask task, String mediaId, PostNotes notes) {
        String text = task.instagram() == null ? null : task.instagram().getFirstComment();
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            String id = call("POST", mediaId + "/comments", Map.of("message", text), task).path("id").asText(null);
            if (id == null) {
                notes.add("first_comment_not_posted", "first comment not posted: Instagram answered without a comment id");
            }
            return id;
        } catch (PlatformException e) {
            String message = "first comment not posted: " + e.getMessage();
            if ("ig_10".equals(e.code()) || "ig_200".equals(e.code()) || "http_403".equals(e.code())) {
                message += "; reconnect the Instagram account (POST /api/accounts/instagram/connect) to grant the"
                        + " instagram_business_manage_comments permission that commenting needs";
            }
            notes.add("first_comment_not_posted", message);
            return null;
        }
    }

    /**
     * The container was published before a restart (a crash between media_publish and saving its answer). A container does
     * not name the media it became, so the media is looked up among the account's newest (GET /{ig-user-id}/media, newest
     * first) by the caption this publishing sends. Not found there (the list may lag behind): the publishing stays
     * processing and is looked at again after the reconcile interval, the time of the first miss kept in uploadUrl; past
     * the reconcile deadline it is recorded published without a platform id, confirmed false with the reason. Never failed
     * (that would invite a second post), never media_publish again.
     */
    private Step reconcile(PublishTask task) {
        String caption = InstagramMetadata.adapt(task.metadata()).text();
        JsonNode newest = call("GET", user(task) + "/media", Map.of("fields", "id,caption,media_product_type,permalink,timestamp",
                "limit", String.valueOf(RECONCILE_SCAN)), task);
        for (JsonNode media : newest.path("data")) {
            if (caption.equals(media.path("caption").asText(null)) && "REELS".equals(media.path("media_product_type").asText("REELS"))) {
                return new Step.Finished(PublishingStatus.PUBLISHED, media.path("id").asText(), media.path("permalink").asText(null),
                        timestamp(media.path("timestamp").asText(null)), null, null);
            }
        }
        Instant now = Instant.now();
        Instant since = reconcilingSince(task.uploadUrl());
        if (since == null) {
            // saved before anything else: the deadline counts from this first miss, whatever restarts follow
            return new Step.Checkpoint(PublishingStatus.PROCESSING, task.uploadRef(), RECONCILING + now);
        }
        if (now.isBefore(since.plus(config.reconcileDeadline()))) {
            return new Step.Later(PublishingStatus.PROCESSING, config.reconcileInterval());
        }
        return Step.Finished.unconfirmed("Instagram published container " + task.uploadRef() + ", but its media was not among the"
                + " account's " + RECONCILE_SCAN + " newest from " + since + " to the reconcile deadline; recorded published without"
                + " a media id");
    }

    private static Instant reconcilingSince(String uploadUrl) {
        if (uploadUrl == null || !uploadUrl.startsWith(RECONCILING)) {
            return null;
        }
        try {
            return Instant.parse(uploadUrl.substring(RECONCILING.length()));
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** Graph API timestamps look like 2026-11-25T02:30:00+0000. */
    private static Instant timestamp(String text) {
        try {
            return text == null ? Instant.now() : OffsetDateTime.parse(text, GRAPH_TIME).toInstant();
        } catch (DateTimeParseException e) {
            return Instant.now();
        }
    }

    private String user(PublishTask task) {
        String user = task.credentials().platformUserId();
        return user == null ? config.defaultUserId() : user;
    }

    private JsonNode call(String method, String path, Map<String, String> params, PublishTask task) {
        String url = config.apiUrl() + "/" + config.apiVersion() + "/" + path;
        HttpRequest.Builder request;
        if ("GET".equals(method)) {
            request = PlatformHttp.request(url + "?" + PlatformHttp.query(params), PlatformHttp.CALL_TIMEOUT).GET();
        } else {
            request = PlatformHttp.request(url, PlatformHttp.CALL_TIMEOUT)
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(PlatformHttp.form(params));
        }
        HttpResponse<String> response = http.send(request.header("Authorization", "Bearer " + task.credentials().accessToken()).build());
        JsonNode body = http.body(response);
        if (response.statusCode() / 100 == 2 && body.path("error").isMissingNode()) {
            return body;
        }
        PlatformException error = error(response, body);
        if (("ig_" + PUBLISHING_LIMIT_SUBCODE).equals(error.code())) {
            throw PlatformException.waitUntil(PUBLISHING_LIMIT, error.getMessage(), Instant.now().plus(config.publishingLimitWait()));
        }
        throw error;
    }

    /** Maps an error answer (also read by the metrics pull, to tell a refused token from missing figures). */
    static PlatformException error(HttpResponse<String> response, JsonNode body) {
        JsonNode error = body.path("error");
        int status = response.statusCode();
        int code = error.path("code").asInt(0);
        int subcode = error.path("error_subcode").asInt(0);
        String message = "Instagram answered " + status + " (code " + code + (subcode != 0 ? ", subcode " + subcode : "") + "): "
                + error.path("message").asText("");
        String id = subcode != 0 ? "ig_" + subcode : code != 0 ? "ig_" + code : "http_" + status;
        if (status == 401 || code == 190) {
            return PlatformException.unauthorized(id, message);
        }
        if (status == 429 || RATE_LIMIT_CODES.contains(code)) {
            return PlatformException.rateLimited(id, message, PlatformHttp.retryAfter(response).orElse(null));
        }
        if (status >= 500 || error.path("is_transient").asBoolean(false)) {
            return PlatformException.transientFailure(id, message, PlatformHttp.retryAfter(response).orElse(null), null);
        }
        return PlatformException.permanent(id, message);
    }

}
