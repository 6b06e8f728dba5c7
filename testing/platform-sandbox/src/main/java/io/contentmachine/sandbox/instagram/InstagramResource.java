package io.contentmachine.sandbox.instagram;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.contentmachine.sandbox.auth.Tokens;
import io.contentmachine.sandbox.config.SandboxConfig;
import io.contentmachine.sandbox.control.Fault;
import io.contentmachine.sandbox.control.FaultKind;
import io.contentmachine.sandbox.control.FaultSwitches;
import io.contentmachine.sandbox.http.Connections;
import io.contentmachine.sandbox.http.Reply;
import io.contentmachine.sandbox.transfer.BlockingTransfers;
import io.contentmachine.sandbox.transfer.ReceivedUpload;
import io.contentmachine.sandbox.transfer.UploadStore;
import io.vertx.core.http.HttpServerRequest;
import org.jboss.logging.Logger;

/** Instagram Graph API (Instagram Login), versioned paths such as /v23.0: Reels containers, publishing, quota, media, insights. */
@Path("/{version: v\\d+\\.\\d+}")
public class InstagramResource {

    /** The account /me answers with (any numeric ig-user-id is accepted on the other paths). */
    static final String ACCOUNT_ID = "17841400000000001";
    static final int CAPTION_MAX_CODE_POINTS = 2200;
    static final int MAX_HASHTAGS = 30;
    static final int MAX_MENTIONS = 20;
    private static final Pattern HASHTAG = Pattern.compile("#[\\p{L}\\p{N}_]+");
    private static final Pattern MENTION = Pattern.compile("@[\\p{L}\\p{N}_.]+");
    private static final Set<String> METRICS = Set.of("views", "likes", "comments", "shares", "saved", "reach", "total_interactions");
    private static final List<String> CALL_FAULTS = List.of(FaultKind.HTTP_5XX, FaultKind.RATE_LIMIT, FaultKind.TOKEN_EXPIRED,
            FaultKind.DROP_CONNECTION);
    private static final Logger LOG = Logger.getLogger(InstagramResource.class);

    @Inject
    SandboxConfig config;
    @Inject
    ObjectMapper mapper;
    @Inject
    Tokens tokens;
    @Inject
    FaultSwitches faults;
    @Inject
    Containers containers;
    @Inject
    UploadStore store;
    @Inject
    BlockingTransfers transfers;
    @Inject
    MediaComments comments;

    @POST
    @Path("{igUserId}/media")
    public Response createContainer(@PathParam("igUserId") String igUserId, @Context UriInfo uri, @Context HttpServerRequest request,
                                    @HeaderParam("Content-Type") String contentType, @HeaderParam("Authorization") String authorization,
                                    String body) {
        List<String> kinds = new ArrayList<>(CALL_FAULTS);
        kinds.addAll(List.of(FaultKind.QUOTA_EXCEEDED, FaultKind.CONTAINER_ERROR, FaultKind.CONTAINER_EXPIRED));
        Optional<Fault> fault = faults.take("instagram", "container", kinds);
        String forced = null;
        if (fault.isPresent() && FaultKind.CONTAINER_ERROR.equals(fault.get().kind())) {
            forced = "ERROR";
        } else if (fault.isPresent() && FaultKind.CONTAINER_EXPIRED.equals(fault.get().kind())) {
            forced = "EXPIRED";
        } else if (fault.isPresent()) {
            return fail(fault.get(), request);
        }
        Map<String, String> params;
        try {
            params = GraphParams.of(uri.getQueryParameters(), contentType, body, mapper);
        } catch (IllegalArgumentException e) {
            return GraphErrors.invalidParameter(e.getMessage()).toResponse();
        }
        Optional<Reply> refused = authorize(params, authorization);
        if (refused.isPresent()) {
            return refused.get().toResponse();
        }
        if (!igUserId.matches("\\d+") && !"me".equals(igUserId)) {
            return GraphErrors.notFound(igUserId).toResponse();
        }
        Optional<String> problem = containerProblem(params);
        if (problem.isPresent()) {
            return GraphErrors.invalidParameter(problem.get()).toResponse();
        }
        params.remove("access_token");
        Containers.Container container = containers.create(igUserId, params, forced);
        if (forced == null) {
            download(container);
        }
        return Reply.json(200, Map.of("id", container.id)).toResponse();
    }

    private static Optional<String> containerProblem(Map<String, String> params) {
        String type = params.get("media_type");
        if (type == null || type.isBlank()) {
            return Optional.of("media_type is required (REELS).");
        }
        if (!"REELS".equals(type)) {
            return Optional.of("media_type " + type + " is not supported here: post videos as REELS.");
        }
        String url = params.get("video_url");
        if (url == null || !(url.startsWith("http://") || url.startsWith("https://"))) {
            return Optional.of("video_url is required and must be a public http(s) URL.");
        }
        String caption = params.getOrDefault("caption", "");
        int codePoints = caption.codePointCount(0, caption.length());
        if (codePoints > CAPTION_MAX_CODE_POINTS) {
            return Optional.of("The caption is " + codePoints + " characters long; the limit is 2200.");
        }
        int hashtags = count(HASHTAG, caption);
        if (hashtags > MAX_HASHTAGS) {
            return Optional.of("The caption has " + hashtags + " hashtags; the limit is 30.");
        }
        int mentions = count(MENTION, caption);
        if (mentions > MAX_MENTIONS) {
            return Optional.of("The caption has " + mentions + " @-mentions; the limit is 20.");
        }
        String shareToFeed = params.get("share_to_feed");
        if (shareToFeed != null && !Set.of("true", "false").contains(shareToFeed)) {
            return Optional.of("share_to_feed must be true or false.");
        }
        String thumbOffset = params.get("thumb_offset");
        if (thumbOffset != null && !thumbOffset.matches("\\d{1,9}")) {
            return Optional.of("thumb_offset must be a number of milliseconds.");
        }
        return Optional.empty();
    }

    private void download(Containers.Container container) {
        java.nio.file.Path file = store.fileFor("instagram", container.id);
        transfers.download(container.params.get("video_url"), file, container.downloaded).whenComplete((stored, error) -> {
            if (error != null) {
                LOG.infof("container %s: download failed: %s", container.id, error.getMessage());
                container.downloadError = "Error: Media download has failed. The media URI doesn't meet our requirements.";
                return;
            }
            container.downloadedAt = Instant.now();
            store.record(new ReceivedUpload("instagram", container.id, mapper.valueToTree(container.params), stored.sizeBytes(),
                    stored.sha256(), container.downloadedAt, stored.contentType(), null, null, "FINISHED", null, file));
        });
    }

    @GET
    @Path("{id}")
    public Response object(@PathParam("id") String id, @Context UriInfo uri, @Context HttpServerRequest request,
                           @HeaderParam("Authorization") String authorization) {
        Map<String, String> params = GraphParams.of(uri.getQueryParameters(), null, null, mapper);
        Containers.Container container = containers.container(id);
        Optional<Fault> fault = faults.take("instagram", container != null ? "status" : "media", CALL_FAULTS);
        if (fault.isPresent()) {
            return fail(fault.get(), request);
        }
        Optional<Reply> refused = authorize(params, authorization);
        if (refused.isPresent()) {
            return refused.get().toResponse();
        }
        List<String> fields = Arrays.stream(params.getOrDefault("fields", "id").split(",")).map(String::trim).toList();
        Map<String, Object> answer = new LinkedHashMap<>();
        Instant now = Instant.now();
        if (container != null) {
            String code = container.statusCode(now, config.instagram().processingTime(), config.instagram().containerTtl());
            answer.put("id", container.id);
            if (fields.contains("status_code")) {
                answer.put("status_code", code);
            }
            if (fields.contains("status")) {
                answer.put("status", statusText(container, code));
            }
            return Reply.json(200, answer).toResponse();
        }
        if ("me".equals(id)) {
            answer.put("id", ACCOUNT_ID);
            answer.put("user_id", ACCOUNT_ID);
            answer.put("username", "sandbox_creator");
            answer.put("account_type", "BUSINESS");
            return Reply.json(200, answer).toResponse();
        }
        Containers.Container media = containers.media(id);
        if (media == null) {
            return GraphErrors.notFound(id).toResponse();
        }
        return Reply.json(200, mediaFields(media, fields, now)).toResponse();
    }

    /** An IG Media object with the asked fields (id always). */
    private static Map<String, Object> mediaFields(Containers.Container media, List<String> fields, Instant now) {
        Map<String, Object> answer = new LinkedHashMap<>();
        long seconds = Math.max(0, Duration.between(media.publishedAt, now).toSeconds());
        answer.put("id", media.mediaId);
        for (String field : fields) {
            switch (field) {
                case "caption" -> answer.put("caption", media.params.getOrDefault("caption", ""));
                case "media_type" -> answer.put("media_type", "VIDEO");
                case "media_product_type" -> answer.put("media_product_type", "REELS");
                case "permalink" -> answer.put("permalink", "https://www.instagram.com/reel/" + media.mediaId + "/");
                case "shortcode" -> answer.put("shortcode", media.mediaId);
                case "timestamp" -> answer.put("timestamp", media.publishedAt.toString().replaceAll("\\.\\d+Z$", "Z")
                        .replace("Z", "+0000"));
                case "like_count" -> answer.put("like_count", seconds / 10);
                case "comments_count" -> answer.put("comments_count", seconds / 50);
                default -> {
                }
            }
        }
        return answer;
    }

    /**
     * The account's published media, newest first, in pages of {@code limit} (default 25, at most 100) with cursor
     * paging ({@code after}, {@code paging.next}); containers never published are not media and are not listed. The
     * fault media-unlisted answers a page without them.
     */
    @GET
    @Path("{igUserId}/media")
    public Response listMedia(@PathParam("igUserId") String igUserId, @Context UriInfo uri, @Context HttpServerRequest request,
                              @HeaderParam("Authorization") String authorization) {
        Optional<Fault> fault = faults.take("instagram", "media", CALL_FAULTS);
        if (fault.isPresent()) {
            return fail(fault.get(), request);
        }
        Map<String, String> params = GraphParams.of(uri.getQueryParameters(), null, null, mapper);
        Optional<Reply> refused = authorize(params, authorization);
        if (refused.isPresent()) {
            return refused.get().toResponse();
        }
        if (!igUserId.matches("\\d+") && !"me".equals(igUserId)) {
            return GraphErrors.notFound(igUserId).toResponse();
        }
        String limitParam = params.getOrDefault("limit", "25");
        if (!limitParam.matches("\\d{1,3}") || Integer.parseInt(limitParam) < 1) {
            return GraphErrors.invalidParameter("limit must be a positive number.").toResponse();
        }
        int limit = Math.min(100, Integer.parseInt(limitParam));
        List<String> fields = Arrays.stream(params.getOrDefault("fields", "id").split(",")).map(String::trim).toList();
        String owner = account(igUserId);
        // media-unlisted: the list has not caught up with the account's media yet and simply leaves them out
        boolean unlisted = faults.take("instagram", "media", List.of(FaultKind.MEDIA_UNLISTED)).isPresent();
        List<Containers.Container> all = containers.published().stream().filter(c -> !unlisted && owner.equals(account(c.igUserId)))
                .sorted(Comparator.comparing((Containers.Container c) -> c.publishedAt).thenComparing(c -> Long.parseLong(c.mediaId))
                        .reversed())
                .toList();
        int from = 0;
        String after = params.get("after");
        if (after != null && !after.isBlank()) {
            String afterId = cursorId(after);
            int at = afterId == null ? -1 : all.stream().map(c -> c.mediaId).toList().indexOf(afterId);
            if (at < 0) {
                return GraphErrors.invalidParameter("The after cursor is not valid.").toResponse();
            }
            from = at + 1;
        }
        List<Containers.Container> page = all.subList(Math.min(from, all.size()), Math.min(from + limit, all.size()));
        Instant now = Instant.now();
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("data", page.stream().map(media -> mediaFields(media, fields, now)).toList());
        if (!page.isEmpty()) {
            Map<String, Object> paging = new LinkedHashMap<>();
            paging.put("cursors", Map.of("before", cursor(page.get(0).mediaId), "after", cursor(page.get(page.size() - 1).mediaId)));
            if (from + limit < all.size()) {
                paging.put("next", uri.getRequestUriBuilder().replaceQueryParam("after", cursor(page.get(page.size() - 1).mediaId))
                        .build().toString());
            }
            answer.put("paging", paging);
        }
        return Reply.json(200, answer).toResponse();
    }

    /** "me" is the token's own account. */
    private static String account(String igUserId) {
        return "me".equals(igUserId) ? ACCOUNT_ID : igUserId;
    }

    /** Cursors are opaque to clients, as the Graph API's are. */
    private static String cursor(String mediaId) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(("media:" + mediaId).getBytes(StandardCharsets.UTF_8));
    }

    private static String cursorId(String cursor) {
        try {
            String decoded = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            return decoded.startsWith("media:") ? decoded.substring("media:".length()) : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String statusText(Containers.Container container, String code) {
        return switch (code) {
            case "FINISHED" -> "Finished: Media has been uploaded and it is ready to be published.";
            case "PUBLISHED" -> "Published: Media has been successfully published.";
            case "EXPIRED" -> "Expired: The media container was not published within 24 hours.";
            case "ERROR" -> container.downloadError != null ? container.downloadError
                    : "Error: Media upload has failed with error code 2207026.";
            default -> "In Progress: Media is still being processed.";
        };
    }

    @POST
    @Path("{igUserId}/media_publish")
    public Response publish(@PathParam("igUserId") String igUserId, @Context UriInfo uri, @Context HttpServerRequest request,
                            @HeaderParam("Content-Type") String contentType, @HeaderParam("Authorization") String authorization,
                            String body) {
        List<String> kinds = new ArrayList<>(CALL_FAULTS);
        kinds.add(FaultKind.QUOTA_EXCEEDED);
        Optional<Fault> fault = faults.take("instagram", "publish", kinds);
        if (fault.isPresent()) {
            return fail(fault.get(), request);
        }
        Map<String, String> params;
        try {
            params = GraphParams.of(uri.getQueryParameters(), contentType, body, mapper);
        } catch (IllegalArgumentException e) {
            return GraphErrors.invalidParameter(e.getMessage()).toResponse();
        }
        Optional<Reply> refused = authorize(params, authorization);
        if (refused.isPresent()) {
            return refused.get().toResponse();
        }
        Containers.Container container = containers.container(params.get("creation_id"));
        if (container == null || !container.igUserId.equals(igUserId)) {
            return GraphErrors.invalidParameter("creation_id is missing or is not a container of this account.").toResponse();
        }
        synchronized (container) {
            String code = container.statusCode(Instant.now(), config.instagram().processingTime(), config.instagram().containerTtl());
            switch (code) {
                case "IN_PROGRESS", "ERROR" -> {
                    return GraphErrors.error(400, "OAuthException", 9007, 2207027, false, "Media ID is not available",
                            "The media is not ready for publishing, please wait for a moment").toResponse();
                }
                case "EXPIRED" -> {
                    return GraphErrors.error(400, "OAuthException", 100, 2207020, false, "Invalid parameter",
                            "The media you are trying to access has expired. Please try again and generate a new container ID.")
                            .toResponse();
                }
                case "PUBLISHED" -> {
                    return GraphErrors.error(400, "OAuthException", 100, 2207006, false, "Invalid parameter",
                            "The media has already been published.").toResponse();
                }
                default -> {
                }
            }
            if (containers.usage(igUserId) >= config.instagram().quotaTotal()) {
                return GraphErrors.forFault(new Fault(null, "instagram", "publish", FaultKind.QUOTA_EXCEEDED, 1, 0, null, null, null,
                        null, null)).toResponse();
            }
            containers.publish(container);
        }
        store.update(container.id, u -> u.withStatus("PUBLISHED", container.mediaId));
        return Reply.json(200, Map.of("id", container.mediaId)).toResponse();
    }

    /**
     * A comment by the account on its published media (permission instagram_business_manage_comments): {@code message} at most
     * 2200 characters, 30 hashtags and 20 @-mentions. Fault switches: operation {@code comments}; {@code insufficient-permissions}
     * answers (#10) as for a token without the permission.
     */
    @POST
    @Path("{mediaId}/comments")
    public Response comment(@PathParam("mediaId") String mediaId, @Context UriInfo uri, @Context HttpServerRequest request,
                            @HeaderParam("Content-Type") String contentType, @HeaderParam("Authorization") String authorization,
                            String body) {
        List<String> kinds = new ArrayList<>(CALL_FAULTS);
        kinds.add(FaultKind.INSUFFICIENT_PERMISSIONS);
        Optional<Fault> fault = faults.take("instagram", "comments", kinds);
        if (fault.isPresent()) {
            return fail(fault.get(), request);
        }
        Map<String, String> params;
        try {
            params = GraphParams.of(uri.getQueryParameters(), contentType, body, mapper);
        } catch (IllegalArgumentException e) {
            return GraphErrors.invalidParameter(e.getMessage()).toResponse();
        }
        Optional<Reply> refused = authorize(params, authorization);
        if (refused.isPresent()) {
            return refused.get().toResponse();
        }
        if (containers.media(mediaId) == null) {
            return GraphErrors.error(400, "GraphMethodException", 100, 33, false, "Unsupported post request. Object with ID '"
                    + mediaId + "' does not exist, cannot be loaded due to missing permissions, or does not support this operation.",
                    null).toResponse();
        }
        String message = params.get("message");
        if (message == null || message.isBlank()) {
            return GraphErrors.error(400, "OAuthException", 100, null, false, "(#100) The parameter message is required", null)
                    .toResponse();
        }
        if (message.codePointCount(0, message.length()) > CAPTION_MAX_CODE_POINTS || count(HASHTAG, message) > MAX_HASHTAGS
                || count(MENTION, message) > MAX_MENTIONS) {
            return GraphErrors.invalidParameter("The comment is too long or has too many hashtags or mentions (at most "
                    + CAPTION_MAX_CODE_POINTS + " characters, " + MAX_HASHTAGS + " hashtags, " + MAX_MENTIONS + " mentions).")
                    .toResponse();
        }
        return Reply.json(200, Map.of("id", comments.add(mediaId, message).id())).toResponse();
    }

    @GET
    @Path("{igUserId}/content_publishing_limit")
    public Response quota(@PathParam("igUserId") String igUserId, @Context UriInfo uri, @Context HttpServerRequest request,
                          @HeaderParam("Authorization") String authorization) {
        Optional<Fault> fault = faults.take("instagram", "quota", CALL_FAULTS);
        if (fault.isPresent()) {
            return fail(fault.get(), request);
        }
        Map<String, String> params = GraphParams.of(uri.getQueryParameters(), null, null, mapper);
        Optional<Reply> refused = authorize(params, authorization);
        if (refused.isPresent()) {
            return refused.get().toResponse();
        }
        List<String> fields = Arrays.stream(params.getOrDefault("fields", "quota_usage").split(",")).map(String::trim).toList();
        Map<String, Object> entry = new LinkedHashMap<>();
        if (fields.contains("quota_usage")) {
            entry.put("quota_usage", containers.usage(igUserId));
        }
        if (fields.contains("config")) {
            entry.put("config", Map.of("quota_total", config.instagram().quotaTotal(), "quota_duration", 86400));
        }
        return Reply.json(200, Map.of("data", List.of(entry))).toResponse();
    }

    @GET
    @Path("{mediaId}/insights")
    public Response insights(@PathParam("mediaId") String mediaId, @Context UriInfo uri, @Context HttpServerRequest request,
                             @HeaderParam("Authorization") String authorization) {
        Optional<Fault> fault = faults.take("instagram", "media", CALL_FAULTS);
        if (fault.isPresent()) {
            return fail(fault.get(), request);
        }
        Map<String, String> params = GraphParams.of(uri.getQueryParameters(), null, null, mapper);
        Optional<Reply> refused = authorize(params, authorization);
        if (refused.isPresent()) {
            return refused.get().toResponse();
        }
        Containers.Container media = containers.media(mediaId);
        if (media == null) {
            return GraphErrors.notFound(mediaId).toResponse();
        }
        String metricParam = params.getOrDefault("metric", "");
        if (metricParam.isBlank()) {
            return GraphErrors.invalidParameter("metric is required.").toResponse();
        }
        long seconds = Math.max(0, Duration.between(media.publishedAt, Instant.now()).toSeconds());
        List<Map<String, Object>> data = new ArrayList<>();
        for (String metric : metricParam.split(",")) {
            String name = metric.trim();
            if (!METRICS.contains(name)) {
                return GraphErrors.invalidParameter("metric[" + data.size() + "] must be one of " + METRICS.stream().sorted().toList())
                        .toResponse();
            }
            long value = switch (name) {
                case "views", "reach" -> seconds;
                case "likes" -> seconds / 10;
                case "comments" -> seconds / 50;
                case "total_interactions" -> seconds / 10 + seconds / 50;
                default -> 0;
            };
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("name", name);
            entry.put("period", "lifetime");
            entry.put("values", List.of(Map.of("value", value)));
            entry.put("title", name);
            entry.put("id", mediaId + "/insights/" + name + "/lifetime");
            data.add(entry);
        }
        return Reply.json(200, Map.of("data", data)).toResponse();
    }

    private Optional<Reply> authorize(Map<String, String> params, String authorization) {
        String token = params.containsKey("access_token") ? params.get("access_token") : Tokens.bearer(authorization);
        return tokens.validAccess(token) ? Optional.empty() : Optional.of(GraphErrors.invalidToken(400));
    }

    private static Response fail(Fault fault, HttpServerRequest request) {
        if (FaultKind.DROP_CONNECTION.equals(fault.kind())) {
            Connections.cut(request);
        }
        return GraphErrors.forFault(fault).toResponse();
    }

    private static int count(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }
}
