package io.contentmachine.sandbox.youtube;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.contentmachine.sandbox.auth.Tokens;
import io.contentmachine.sandbox.control.Fault;
import io.contentmachine.sandbox.control.FaultKind;
import io.contentmachine.sandbox.control.FaultSwitches;
import io.contentmachine.sandbox.http.Reply;

/**
 * commentThreads.insert (part=snippet): a top-level comment of at most 10,000 characters, only on a video that is public,
 * recorded per video. Fault switches: operation {@code comments}; {@code insufficient-permissions} answers 403
 * insufficientPermissions, as Google does for a token without the youtube.force-ssl scope.
 */
@Path("/youtube/v3/commentThreads")
public class YouTubeCommentsResource {

    static final int COMMENT_MAX_CHARACTERS = 10_000;
    private static final List<String> FAULTS = List.of(FaultKind.HTTP_5XX, FaultKind.RATE_LIMIT, FaultKind.QUOTA_EXCEEDED,
            FaultKind.TOKEN_EXPIRED, FaultKind.INSUFFICIENT_PERMISSIONS);

    @Inject
    YouTubeVideos videos;
    @Inject
    Tokens tokens;
    @Inject
    FaultSwitches faults;
    @Inject
    ObjectMapper mapper;

    @POST
    @Consumes(MediaType.WILDCARD)
    public Response insertComment(@HeaderParam("Authorization") String authorization, @QueryParam("part") String part, String body) {
        Optional<Fault> fault = faults.take("youtube", "comments", FAULTS);
        if (fault.isPresent()) {
            return GoogleErrors.forFault(fault.get()).toResponse();
        }
        if (!tokens.validAccess(Tokens.bearer(authorization))) {
            return GoogleErrors.unauthorized().toResponse();
        }
        if (part == null || !List.of(part.split(",")).contains("snippet")) {
            return GoogleErrors.error(400, "global", "required", "Required parameter: part").toResponse();
        }
        JsonNode resource;
        try {
            resource = mapper.readTree(body == null ? "" : body);
        } catch (Exception e) {
            return GoogleErrors.error(400, "global", "parseError", "Parse Error").toResponse();
        }
        JsonNode snippet = resource == null ? null : resource.path("snippet");
        String videoId = snippet == null ? null : snippet.path("videoId").asText(null);
        String text = snippet == null ? null : snippet.path("topLevelComment").path("snippet").path("textOriginal").asText(null);
        if (videoId == null) {
            return GoogleErrors.error(400, "youtube.commentThread", "invalidCommentThreadMetadata",
                    "The request metadata is invalid: snippet.videoId is missing.").toResponse();
        }
        if (text == null || text.isBlank()) {
            return GoogleErrors.error(400, "youtube.commentThread", "commentTextRequired", "The comment resource must contain "
                    + "the snippet.topLevelComment.snippet.textOriginal property.").toResponse();
        }
        if (text.codePointCount(0, text.length()) > COMMENT_MAX_CHARACTERS) {
            return GoogleErrors.error(400, "youtube.commentThread", "commentTextTooLong",
                    "The comment resource contains too many characters in the textOriginal property.").toResponse();
        }
        YouTubeVideos.Video video = videos.video(videoId);
        if (video == null) {
            return GoogleErrors.error(404, "youtube.commentThread", "videoNotFound", "The video identified by the videoId parameter "
                    + "could not be found.").toResponse();
        }
        if (!"public".equals(video.privacyStatus(Instant.now()))) {
            return GoogleErrors.error(403, "youtube.commentThread", "forbidden", "The comment thread could not be created: the video "
                    + "is not public.").toResponse();
        }
        YouTubeVideos.Comment comment = videos.comment(videoId, text);
        Map<String, Object> commentSnippet = new LinkedHashMap<>();
        commentSnippet.put("channelId", "UCsandbox000000000000000");
        commentSnippet.put("videoId", videoId);
        commentSnippet.put("textDisplay", text);
        commentSnippet.put("textOriginal", text);
        commentSnippet.put("authorDisplayName", "Sandbox Channel");
        commentSnippet.put("authorChannelId", Map.of("value", "UCsandbox000000000000000"));
        commentSnippet.put("canRate", true);
        commentSnippet.put("viewerRating", "none");
        commentSnippet.put("likeCount", 0);
        commentSnippet.put("publishedAt", comment.publishedAt().toString());
        commentSnippet.put("updatedAt", comment.publishedAt().toString());
        Map<String, Object> thread = new LinkedHashMap<>();
        thread.put("kind", "youtube#commentThread");
        thread.put("etag", Integer.toHexString(comment.id().hashCode()));
        thread.put("id", comment.id());
        thread.put("snippet", Map.of("channelId", "UCsandbox000000000000000", "videoId", videoId,
                "topLevelComment", Map.of("kind", "youtube#comment", "etag", Integer.toHexString(text.hashCode()), "id", comment.id(),
                        "snippet", commentSnippet),
                "canReply", true, "totalReplyCount", 0, "isPublic", true));
        return Reply.json(200, thread).toResponse();
    }
}
