package io.contentmachine.sandbox.youtube;

import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;

import io.contentmachine.sandbox.http.Reply;

/** What the YouTube stand-in recorded of thumbnails and comments, read back by tests. */
@Path("/sandbox/youtube")
public class YouTubeRecordsResource {

    @Inject
    YouTubeVideos videos;

    /** A video's status as videos.list shows it (privacy, selfDeclaredMadeForKids, containsSyntheticMedia), for tests. */
    @GET
    @Path("videos/{id}")
    public Response video(@PathParam("id") String videoId) {
        YouTubeVideos.Video video = videos.video(videoId);
        if (video == null) {
            return Reply.json(404, Map.of("error", "no video " + videoId)).toResponse();
        }
        return Reply.json(200, videos.resource(video, List.of("snippet", "status"), Instant.now())).toResponse();
    }

    /** What thumbnails.set received for a video (bytes base64), for tests; 404 when none was set. */
    @GET
    @Path("videos/{id}/thumbnail")
    public Response thumbnail(@PathParam("id") String videoId) {
        YouTubeVideos.Thumbnail thumbnail = videos.thumbnail(videoId);
        if (thumbnail == null) {
            return Reply.json(404, Map.of("error", "no thumbnail set for video " + videoId)).toResponse();
        }
        return Reply.json(200, Map.of("videoId", videoId, "contentType", thumbnail.contentType(), "sizeBytes", thumbnail.bytes().length,
                "base64", Base64.getEncoder().encodeToString(thumbnail.bytes()), "setAt", thumbnail.setAt().toString())).toResponse();
    }

    /** The comments commentThreads.insert added to a video, oldest first, for tests. */
    @GET
    @Path("videos/{id}/comments")
    public Response comments(@PathParam("id") String videoId) {
        return Reply.json(200, videos.comments(videoId)).toResponse();
    }
}
