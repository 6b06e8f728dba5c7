package io.contentmachine.sandbox.youtube;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.contentmachine.sandbox.auth.Tokens;
import io.contentmachine.sandbox.control.Fault;
import io.contentmachine.sandbox.control.FaultKind;
import io.contentmachine.sandbox.control.FaultSwitches;
import io.contentmachine.sandbox.http.Reply;

/** videos.list: status and statistics of uploaded videos (the analytics pull). */
@Path("/youtube/v3/videos")
public class YouTubeResource {

    private static final List<String> FAULTS = List.of(FaultKind.HTTP_5XX, FaultKind.RATE_LIMIT, FaultKind.QUOTA_EXCEEDED,
            FaultKind.TOKEN_EXPIRED);

    @Inject
    YouTubeVideos videos;
    @Inject
    Tokens tokens;
    @Inject
    FaultSwitches faults;

    @GET
    public Response list(@HeaderParam("Authorization") String authorization, @QueryParam("part") List<String> partParams,
                         @QueryParam("id") List<String> idParams) {
        Optional<Fault> fault = faults.take("youtube", "videos", FAULTS);
        if (fault.isPresent()) {
            return GoogleErrors.forFault(fault.get()).toResponse();
        }
        if (!tokens.validAccess(Tokens.bearer(authorization))) {
            return GoogleErrors.unauthorized().toResponse();
        }
        String part = partParams == null ? "" : String.join(",", partParams);
        if (part.isBlank()) {
            return GoogleErrors.error(400, "global", "required", "Required parameter: part").toResponse();
        }
        String ids = idParams == null ? "" : String.join(",", idParams);
        if (ids.isBlank()) {
            return GoogleErrors.error(400, "youtube.parameter", "missingRequiredParameter",
                    "No filter selected. Expected one of: id, chart, myRating.").toResponse();
        }
        List<String> parts = Arrays.stream(part.split(",")).map(String::trim).toList();
        Instant now = Instant.now();
        List<ObjectNode> items = Arrays.stream(ids.split(",")).map(String::trim).map(videos::video).filter(Objects::nonNull)
                .map(v -> videos.resource(v, parts, now)).toList();
        return Reply.json(200, Map.of("kind", "youtube#videoListResponse", "items", items,
                "pageInfo", Map.of("totalResults", items.size(), "resultsPerPage", items.size()))).toResponse();
    }

    /** videos.delete: 204 and the video is gone; 404 videoNotFound for an id the channel does not have. */
    @DELETE
    public Response delete(@HeaderParam("Authorization") String authorization, @QueryParam("id") String id) {
        Optional<Fault> fault = faults.take("youtube", "delete", FAULTS);
        if (fault.isPresent()) {
            return GoogleErrors.forFault(fault.get()).toResponse();
        }
        if (!tokens.validAccess(Tokens.bearer(authorization))) {
            return GoogleErrors.unauthorized().toResponse();
        }
        if (id == null || id.isBlank()) {
            return GoogleErrors.error(400, "youtube.parameter", "missingRequiredParameter", "Required parameter: id").toResponse();
        }
        if (videos.delete(id) == null) {
            return GoogleErrors.error(404, "youtube.video", "videoNotFound", "The video identified by the id parameter could not be found.")
                    .toResponse();
        }
        return Response.noContent().build();
    }
}
