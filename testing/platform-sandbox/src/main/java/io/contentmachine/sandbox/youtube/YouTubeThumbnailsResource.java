package io.contentmachine.sandbox.youtube;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.contentmachine.sandbox.auth.Tokens;
import io.contentmachine.sandbox.control.Fault;
import io.contentmachine.sandbox.control.FaultKind;
import io.contentmachine.sandbox.control.FaultSwitches;
import io.contentmachine.sandbox.http.Reply;

/**
 * thumbnails.set: a custom thumbnail, the image bytes as the body (JPEG or PNG, at most 2 MB), recorded per video. Fault
 * switches: operation {@code thumbnails}; {@code insufficient-permissions} answers what Google answers a token without the
 * scope the call needs.
 */
@Path("/upload/youtube/v3/thumbnails")
public class YouTubeThumbnailsResource {

    static final int THUMBNAIL_MAX_BYTES = 2 * 1024 * 1024;
    private static final Set<String> IMAGE_TYPES = Set.of("image/jpeg", "image/png", "application/octet-stream");
    private static final List<String> FAULTS = List.of(FaultKind.HTTP_5XX, FaultKind.RATE_LIMIT, FaultKind.QUOTA_EXCEEDED,
            FaultKind.TOKEN_EXPIRED, FaultKind.INSUFFICIENT_PERMISSIONS);

    @Inject
    YouTubeVideos videos;
    @Inject
    Tokens tokens;
    @Inject
    FaultSwitches faults;

    @POST
    @Path("set")
    @Consumes(MediaType.WILDCARD)
    public Response setThumbnail(@HeaderParam("Authorization") String authorization, @HeaderParam("Content-Type") String contentType,
                                 @QueryParam("videoId") String videoId, byte[] body) {
        Optional<Fault> fault = faults.take("youtube", "thumbnails", FAULTS);
        if (fault.isPresent()) {
            return GoogleErrors.forFault(fault.get()).toResponse();
        }
        if (!tokens.validAccess(Tokens.bearer(authorization))) {
            return GoogleErrors.unauthorized().toResponse();
        }
        if (videoId == null || videoId.isBlank()) {
            return GoogleErrors.error(400, "youtube.parameter", "missingRequiredParameter", "Required parameter: videoId").toResponse();
        }
        YouTubeVideos.Video video = videos.video(videoId);
        if (video == null) {
            return GoogleErrors.error(404, "youtube.video", "videoNotFound", "The video that you are trying to update cannot be found.")
                    .toResponse();
        }
        String type = contentType == null ? "" : contentType.split(";")[0].trim().toLowerCase();
        if (!IMAGE_TYPES.contains(type)) {
            return GoogleErrors.error(400, "global", "badContent", "Media type '" + type + "' is not supported. Valid media types: "
                    + "[image/jpeg, image/png, application/octet-stream]").toResponse();
        }
        if (body == null || body.length == 0) {
            return GoogleErrors.error(400, "global", "mediaBodyRequired", "The request does not include the image content.")
                    .toResponse();
        }
        if (body.length > THUMBNAIL_MAX_BYTES) {
            return GoogleErrors.error(413, "global", "mediaBodyTooLarge", "Media larger than 2097152 bytes is not allowed.").toResponse();
        }
        String image = imageType(body);
        if (image == null) {
            return GoogleErrors.error(400, "youtube.thumbnail", "invalidImage", "The provided image content is invalid.").toResponse();
        }
        videos.setThumbnail(new YouTubeVideos.Thumbnail(videoId, image, body, Instant.now()));
        String url = "https://i.ytimg.com/vi/" + videoId + "/";
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("default", Map.of("url", url + "default.jpg", "width", 120, "height", 90));
        item.put("medium", Map.of("url", url + "mqdefault.jpg", "width", 320, "height", 180));
        item.put("high", Map.of("url", url + "hqdefault.jpg", "width", 480, "height", 360));
        return Reply.json(200, Map.of("kind", "youtube#thumbnailSetResponse", "etag", Integer.toHexString(body.length),
                "items", List.of(item))).toResponse();
    }

    /** JPEG or PNG by their signatures; null for anything else. */
    static String imageType(byte[] bytes) {
        if (bytes.length >= 3 && (bytes[0] & 0xff) == 0xff && (bytes[1] & 0xff) == 0xd8 && (bytes[2] & 0xff) == 0xff) {
            return "image/jpeg";
        }
        if (bytes.length >= 8 && (bytes[0] & 0xff) == 0x89 && bytes[1] == 'P' && bytes[2] == 'N' && bytes[3] == 'G') {
            return "image/png";
        }
        return null;
    }
}
