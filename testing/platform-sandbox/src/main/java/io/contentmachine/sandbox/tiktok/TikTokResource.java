package io.contentmachine.sandbox.tiktok;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.inject.Inject;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.contentmachine.sandbox.auth.Tokens;
import io.contentmachine.sandbox.config.SandboxConfig;
import io.contentmachine.sandbox.control.Fault;
import io.contentmachine.sandbox.control.FaultKind;
import io.contentmachine.sandbox.control.FaultSwitches;
import io.contentmachine.sandbox.http.BaseUrl;
import io.contentmachine.sandbox.http.Connections;
import io.contentmachine.sandbox.http.Reply;
import io.contentmachine.sandbox.transfer.BlockingTransfers;
import io.contentmachine.sandbox.transfer.UploadStore;
import io.vertx.core.http.HttpServerRequest;
import org.jboss.logging.Logger;

/** TikTok Content Posting API v2: creator info, direct and inbox init, status fetch, OAuth token. */
@Path("/v2")
public class TikTokResource {

    private static final Logger LOG = Logger.getLogger(TikTokResource.class);
    private static final List<String> CALL_FAULTS = List.of(FaultKind.HTTP_5XX, FaultKind.RATE_LIMIT, FaultKind.TOKEN_EXPIRED,
            FaultKind.DROP_CONNECTION);
    private static final List<String> INIT_FAULTS = List.of(FaultKind.HTTP_5XX, FaultKind.RATE_LIMIT, FaultKind.TOKEN_EXPIRED,
            FaultKind.DROP_CONNECTION, FaultKind.QUOTA_EXCEEDED);
    private static final int VIDEO_QUERY_PER_MINUTE = 600;
    private static final List<String> VIDEO_FIELDS = List.of("id", "create_time", "title", "view_count", "like_count",
            "comment_count", "share_count", "duration", "cover_image_url", "share_url", "video_description");

    @Inject
    SandboxConfig config;
    @Inject
    ObjectMapper mapper;
    @Inject
    Tokens tokens;
    @Inject
    FaultSwitches faults;
    @Inject
    TikTokPosts posts;
    @Inject
    UploadStore store;
    @Inject
    BlockingTransfers transfers;
    @Inject
    TikTokCreator creator;

    @POST
    @Path("post/publish/creator_info/query/")
    public Response creatorInfo(@HeaderParam("Authorization") String authorization, @Context HttpServerRequest request) {
        Optional<Reply> refused = guard("creator_info", CALL_FAULTS, authorization, config.tiktok().creatorInfoPerMinute(), request);
        if (refused.isPresent()) {
            return refused.get().toResponse();
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("creator_avatar_url", "https://p16.tiktokcdn.com/sandbox-avatar.jpeg");
        data.put("creator_username", config.tiktok().creatorUsername());
        data.put("creator_nickname", config.tiktok().creatorNickname());
        TikTokCreator.Settings settings = creator.settings();
        data.put("privacy_level_options", settings.privacyLevelOptions());
        data.put("comment_disabled", settings.commentDisabled());
        data.put("duet_disabled", settings.duetDisabled());
        data.put("stitch_disabled", settings.stitchDisabled());
        data.put("max_video_post_duration_sec", settings.maxVideoPostDurationSec());
        return TikTokErrors.ok(data).toResponse();
    }

    @POST
    @Path("post/publish/video/init/")
    public Response directInit(@HeaderParam("Authorization") String authorization, @Context HttpServerRequest request, String body) {
        return init(false, authorization, request, body).toResponse();
    }

    @POST
    @Path("post/publish/inbox/video/init/")
    public Response inboxInit(@HeaderParam("Authorization") String authorization, @Context HttpServerRequest request, String body) {
        return init(true, authorization, request, body).toResponse();
    }

    private Reply init(boolean inbox, String authorization, HttpServerRequest request, String body) {
        Optional<Reply> refused = guard("init", INIT_FAULTS, authorization, config.tiktok().initPerMinute(), request);
        if (refused.isPresent()) {
            return refused.get();
        }
        JsonNode json;
        try {
            json = mapper.readTree(body == null ? "" : body);
        } catch (Exception e) {
            return TikTokErrors.invalidParams("The request body is not valid JSON.");
        }
        if (json == null || !json.isObject()) {
            return TikTokErrors.invalidParams("The request body must be a JSON object.");
        }
        String privacy = null;
        if (!inbox) {
            JsonNode postInfo = json.path("post_info");
            if (!postInfo.isObject()) {
                return TikTokErrors.invalidParams("post_info is required.");
            }
            TikTokCreator.Settings settings = creator.settings();
            privacy = postInfo.path("privacy_level").asText(null);
            if (privacy == null || !settings.privacyLevelOptions().contains(privacy)) {
                return TikTokErrors.error(400, "privacy_level_option_mismatch",
                        "privacy_level must be one of the creator's privacy_level_options " + settings.privacyLevelOptions());
            }
            if (!settings.audited() && !"SELF_ONLY".equals(privacy)) {
                return TikTokErrors.error(403, "unaudited_client_can_only_post_to_private_accounts",
                        "Unaudited clients can only post with privacy_level SELF_ONLY.");
            }
            JsonNode title = postInfo.path("title");
            if (!title.isMissingNode() && !title.isNull() && (!title.isTextual() || title.asText().length() > 2200)) {
                return TikTokErrors.invalidParams("post_info.title must be a string of at most 2200 UTF-16 code units.");
            }
            for (String flag : List.of("disable_duet", "disable_comment", "disable_stitch", "is_aigc", "brand_content_toggle",
                    "brand_organic_toggle")) {
                if (!postInfo.path(flag).isMissingNode() && !postInfo.path(flag).isBoolean()) {
                    return TikTokErrors.invalidParams("post_info." + flag + " must be a boolean.");
                }
            }
            // an interaction the creator turned off in the app cannot be turned on by a post
            Map<String, Boolean> disabledByCreator = Map.of("disable_comment", settings.commentDisabled(), "disable_duet",
                    settings.duetDisabled(), "disable_stitch", settings.stitchDisabled());
            for (Map.Entry<String, Boolean> disabled : disabledByCreator.entrySet()) {
                if (disabled.getValue() && !postInfo.path(disabled.getKey()).asBoolean(false)) {
                    return TikTokErrors.invalidParams("post_info." + disabled.getKey() + " must be true: the creator disabled it.");
                }
            }
            JsonNode cover = postInfo.path("video_cover_timestamp_ms");
            if (!cover.isMissingNode() && (!cover.isIntegralNumber() || cover.asLong() < 0)) {
                return TikTokErrors.invalidParams("post_info.video_cover_timestamp_ms must be a non-negative integer.");
            }
        }
        JsonNode source = json.path("source_info");
        String kind = source.path("source").asText("");
        Optional<Fault> failFault = faults.take("tiktok", "init", List.of(FaultKind.TIKTOK_FAILED));
        String failReason = failFault.map(f -> f.failReason() == null ? "file_format_check_failed" : f.failReason()).orElse(null);
        if ("FILE_UPLOAD".equals(kind)) {
            for (String field : List.of("video_size", "chunk_size", "total_chunk_count")) {
                if (!source.path(field).isIntegralNumber()) {
                    return TikTokErrors.invalidParams("source_info." + field + " is required and must be an integer.");
                }
            }
            long size = source.path("video_size").asLong();
            long chunk = source.path("chunk_size").asLong();
            long count = source.path("total_chunk_count").asLong();
            Optional<String> problem = ChunkPlan.problem(size, chunk, count, config.tiktok());
            if (problem.isPresent()) {
                return TikTokErrors.invalidParams(problem.get());
            }
            String uploadToken = Long.toHexString(Double.doubleToLongBits(Math.random())) + Long.toHexString(System.nanoTime());
            TikTokPosts.Post post = posts.create(inbox, kind, json, privacy, new ChunkPlan(size, chunk, (int) count), uploadToken,
                    failReason);
            String uploadUrl = BaseUrl.of(config, request.scheme(), request.host()) + TikTokUploadRoutes.PATH + "?upload_id="
                    + post.publishId + "&upload_token=" + uploadToken;
            return TikTokErrors.ok(Map.of("publish_id", post.publishId, "upload_url", uploadUrl));
        }
        if ("PULL_FROM_URL".equals(kind)) {
            String url = source.path("video_url").asText("");
            if (!url.startsWith("http://") && !url.startsWith("https://")) {
                return TikTokErrors.invalidParams("source_info.video_url must be an http(s) URL.");
            }
            Optional<List<String>> verified = config.tiktok().verifiedUrlPrefixes();
            if (verified.isPresent() && verified.get().stream().noneMatch(url::startsWith)) {
                return TikTokErrors.error(403, "url_ownership_unverified",
                        "The domain or URL prefix of video_url is not verified for this client.");
            }
            TikTokPosts.Post post = posts.create(inbox, kind, json, privacy, null, null, failReason);
            java.nio.file.Path file = store.fileFor("tiktok", post.publishId);
            transfers.download(url, file, post.downloaded).whenComplete((stored, error) -> {
                if (error != null) {
                    LOG.infof("PULL_FROM_URL %s failed: %s", post.publishId, error.getMessage());
                    post.error = "video_pull_failed";
                } else {
                    posts.finish(post, stored, file);
                }
            });
            return TikTokErrors.ok(Map.of("publish_id", post.publishId));
        }
        return TikTokErrors.invalidParams("source_info.source must be FILE_UPLOAD or PULL_FROM_URL.");
    }

    @POST
    @Path("post/publish/status/fetch/")
    public Response status(@HeaderParam("Authorization") String authorization, @Context HttpServerRequest request, String body) {
        Optional<Reply> refused = guard("status", CALL_FAULTS, authorization, config.tiktok().statusPerMinute(), request);
        if (refused.isPresent()) {
            return refused.get().toResponse();
        }
        String publishId;
        try {
            publishId = mapper.readTree(body == null ? "" : body).path("publish_id").asText(null);
        } catch (Exception e) {
            return TikTokErrors.invalidParams("The request body is not valid JSON.").toResponse();
        }
        TikTokPosts.Post post = posts.get(publishId);
        if (post == null) {
            return TikTokErrors.invalidParams("publish_id is invalid or not found.").toResponse();
        }
        Map<String, Object> data = new LinkedHashMap<>();
        String status;
        Instant done = post.completedAt;
        if (post.error != null) {
            status = "FAILED";
            data.put("fail_reason", post.error);
        } else if (done == null) {
            status = "FILE_UPLOAD".equals(post.source) ? "PROCESSING_UPLOAD" : "PROCESSING_DOWNLOAD";
        } else if (Instant.now().isBefore(done.plus(config.tiktok().processingTime()))) {
            status = "PROCESSING_UPLOAD";
        } else if (post.failReason != null) {
            status = "FAILED";
            data.put("fail_reason", post.failReason);
        } else {
            status = post.inbox ? "SEND_TO_USER_INBOX" : "PUBLISH_COMPLETE";
        }
        data.put("status", status);
        if ("PUBLISH_COMPLETE".equals(status) && "PUBLIC_TO_EVERYONE".equals(post.privacyLevel)) {
            data.put("publicaly_available_post_id", List.of(Long.parseLong(post.postId)));
        } else {
            data.put("publicaly_available_post_id", List.of());
        }
        if ("FILE_UPLOAD".equals(post.source)) {
            data.put("uploaded_bytes", post.uploadedBytes);
        } else {
            data.put("downloaded_bytes", post.downloaded.get());
        }
        return TikTokErrors.ok(data).toResponse();
    }

    @POST
    @Path("oauth/token/")
    public Response token(@FormParam("client_key") String clientKey, @FormParam("client_secret") String clientSecret,
                          @FormParam("grant_type") String grantType, @FormParam("refresh_token") String refreshToken,
                          @FormParam("code") String code) {
        Optional<Fault> fault = faults.take("tiktok", "token", List.of(FaultKind.HTTP_5XX, FaultKind.RATE_LIMIT));
        if (fault.isPresent()) {
            return TikTokErrors.forFault(fault.get()).toResponse();
        }
        if (clientKey == null || clientKey.isBlank() || clientSecret == null || clientSecret.isBlank()) {
            return TikTokErrors.oauth(400, "invalid_client", "Client key or secret is missing or invalid.").toResponse();
        }
        if ("refresh_token".equals(grantType)) {
            if (!tokens.spendRefresh("tiktok", refreshToken)) {
                return TikTokErrors.oauth(400, "invalid_grant", "Refresh token is invalid or expired.").toResponse();
            }
            tokens.refreshed("tiktok", refreshToken);
        } else if ("authorization_code".equals(grantType)) {
            if (tokens.redeemCode("tiktok", code).isEmpty()) {
                return TikTokErrors.oauth(400, "invalid_grant", "Authorization code is invalid or expired.").toResponse();
            }
        } else {
            return TikTokErrors.oauth(400, "unsupported_grant_type", "grant_type must be refresh_token or authorization_code.")
                    .toResponse();
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("access_token", tokens.issueAccess("act.sandbox-"));
        body.put("expires_in", tokens.accessTtl().toSeconds());
        body.put("open_id", "sandbox-open-id");
        body.put("refresh_expires_in", 31_536_000);
        body.put("refresh_token", tokens.issueRefresh("tiktok", "rft.sandbox-"));
        body.put("scope", "user.info.basic,video.publish,video.upload");
        body.put("token_type", "Bearer");
        return Reply.json(200, body).toResponse();
    }

    /**
     * Display API video/query (scope video.list): the creator's published videos by id with the asked fields; the
     * counts grow with the time since the post completed (views one per second, likes a tenth, comments a fiftieth).
     */
    @POST
    @Path("video/query/")
    public Response videoQuery(@HeaderParam("Authorization") String authorization, @QueryParam("fields") String fields,
                               @Context HttpServerRequest request, String body) {
        Optional<Reply> refused = guard("video_query", CALL_FAULTS, authorization, VIDEO_QUERY_PER_MINUTE, request);
        if (refused.isPresent()) {
            return refused.get().toResponse();
        }
        if (fields == null || fields.isBlank()) {
            return TikTokErrors.invalidParams("fields is required.").toResponse();
        }
        List<String> wanted = Arrays.stream(fields.split(",")).map(String::trim).toList();
        for (String field : wanted) {
            if (!VIDEO_FIELDS.contains(field)) {
                return TikTokErrors.invalidParams("Invalid field: " + field).toResponse();
            }
        }
        JsonNode ids;
        try {
            ids = mapper.readTree(body == null || body.isBlank() ? "{}" : body).path("filters").path("video_ids");
        } catch (Exception e) {
            return TikTokErrors.invalidParams("The request body is not valid JSON.").toResponse();
        }
        if (!ids.isArray() || ids.isEmpty() || ids.size() > 20) {
            return TikTokErrors.invalidParams("filters.video_ids must hold 1 to 20 ids.").toResponse();
        }
        List<Map<String, Object>> videos = new ArrayList<>();
        for (JsonNode id : ids) {
            TikTokPosts.Post post = posts.byPostId(id.asText());
            if (post == null || post.completedAt == null) {
                continue;
            }
            long seconds = Math.max(0, Duration.between(post.completedAt, Instant.now()).toSeconds());
            Map<String, Object> video = new LinkedHashMap<>();
            for (String field : wanted) {
                switch (field) {
                    case "id" -> video.put("id", post.postId);
                    case "create_time" -> video.put("create_time", post.completedAt.getEpochSecond());
                    case "title" -> video.put("title", post.request.path("post_info").path("title").asText(""));
                    case "view_count" -> video.put("view_count", seconds);
                    case "like_count" -> video.put("like_count", seconds / 10);
                    case "comment_count" -> video.put("comment_count", seconds / 50);
                    case "share_count" -> video.put("share_count", 0);
                    default -> video.put(field, null);
                }
            }
            videos.add(video);
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("videos", videos);
        data.put("cursor", 0);
        data.put("has_more", false);
        return TikTokErrors.ok(data).toResponse();
    }

    /** Consent screen stand-in (www.tiktok.com/v2/auth/authorize/): redirects back with a code at once. */
    @GET
    @Path("auth/authorize/")
    public Response authorize(@QueryParam("client_key") String clientKey, @QueryParam("redirect_uri") String redirectUri,
                              @QueryParam("state") String state) {
        if (clientKey == null || redirectUri == null) {
            return TikTokErrors.oauth(400, "invalid_request", "client_key and redirect_uri are required").toResponse();
        }
        UriBuilder target = UriBuilder.fromUri(URI.create(redirectUri)).queryParam("code", tokens.issueCode("tiktok"));
        if (state != null) {
            target.queryParam("state", state);
        }
        return Response.status(302).location(target.build()).build();
    }

    /** Faults, then the token, then the per-token rate limit; the refusal to answer instead, if any. */
    private Optional<Reply> guard(String operation, List<String> kinds, String authorization, int perMinute,
                                  HttpServerRequest request) {
        Optional<Fault> fault = faults.take("tiktok", operation, kinds);
        if (fault.isPresent()) {
            if (FaultKind.DROP_CONNECTION.equals(fault.get().kind())) {
                Connections.cut(request);
            }
            return Optional.of(TikTokErrors.forFault(fault.get()));
        }
        String token = Tokens.bearer(authorization);
        if (!tokens.validAccess(token)) {
            return Optional.of(TikTokErrors.tokenInvalid());
        }
        long retryAfter = posts.allow(token, operation, perMinute);
        if (retryAfter > 0) {
            return Optional.of(TikTokErrors.rateLimited((int) retryAfter));
        }
        return Optional.empty();
    }
}
