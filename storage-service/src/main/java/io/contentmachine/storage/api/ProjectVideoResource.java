package io.contentmachine.storage.api;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.contentmachine.storage.config.StorageConfig;
import io.contentmachine.storage.objects.IoPool;
import io.contentmachine.storage.objects.ObjectStore;
import io.contentmachine.storage.video.ObjectFinalizer;
import io.contentmachine.storage.video.Video;
import io.contentmachine.storage.video.VideoService;
import io.smallrye.mutiny.Uni;

/** A project's stored video: its facts, presigned download URLs, and deletion (internal; X-Internal-Token). */
@Path("/storage/projects/{projectId}")
@Produces(MediaType.APPLICATION_JSON)
public class ProjectVideoResource {

    static final long MAX_EXPIRES_IN = Duration.ofDays(7).toSeconds();
    static final long DEFAULT_EXPIRES_IN = 3600;

    private final VideoService videos;
    private final ObjectStore store;
    private final IoPool io;
    private final StorageConfig config;

    ProjectVideoResource(VideoService videos, ObjectStore store, IoPool io, StorageConfig config) {
        this.videos = videos;
        this.store = store;
        this.io = io;
        this.config = config;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record VideoFacts(UUID videoId, UUID projectId, String storageKey, String thumbnailKey, String sha256, long sizeBytes,
            double durationSeconds, String resolution, String contentType, Instant createdAt) {

        static VideoFacts of(Video video) {
            return new VideoFacts(video.id, video.projectId, video.storageKey, video.thumbnailKey, video.sha256, video.fileSize,
                    video.duration, video.resolution, video.contentType, video.createdAt);
        }
    }

    public record PresignedUrl(String url, Instant expiresAt) {
    }

    @GET
    @Path("/video")
    public Uni<VideoFacts> video(@PathParam("projectId") String projectId) {
        return current(Ids.uuid("projectId", projectId)).map(VideoFacts::of);
    }

    @GET
    @Path("/video/url")
    public Uni<PresignedUrl> url(@PathParam("projectId") String projectId, @QueryParam("asset") String asset,
            @QueryParam("expiresIn") String expiresIn) {
        UUID project = Ids.uuid("projectId", projectId);
        boolean thumbnail = thumbnail(asset);
        long seconds = expiresIn(expiresIn);
        return current(project).chain(video -> {
            String key = thumbnail ? video.thumbnailKey : video.storageKey;
            if (key == null) {
                return Uni.createFrom().failure(ClientError.notFound("Video " + video.id + " has no thumbnail"));
            }
            String type = thumbnail ? ObjectFinalizer.THUMBNAIL_TYPE : video.contentType;
            Instant expiresAt = Instant.now().plusSeconds(seconds);
            return io.run(() -> store.presignGet(config.buckets().videos(), key, type, Duration.ofSeconds(seconds)))
                    .map(url -> new PresignedUrl(url.toString(), expiresAt));
        });
    }

    /** Removes the project's objects and rows; deleting what is already gone is fine (204 both times). */
    @DELETE
    public Uni<Void> delete(@PathParam("projectId") String projectId) {
        return videos.deleteProject(Ids.uuid("projectId", projectId));
    }

    private Uni<Video> current(UUID projectId) {
        return videos.videoOf(projectId).onItem().ifNull()
                .failWith(() -> ClientError.notFound("No stored video for project " + projectId));
    }

    private static boolean thumbnail(String asset) {
        if (asset == null || asset.equals("video")) {
            return false;
        }
        if (asset.equals("thumbnail")) {
            return true;
        }
        throw ClientError.badRequest("asset must be video or thumbnail, got '" + asset + "'");
    }

    private static long expiresIn(String value) {
        if (value == null || value.isBlank()) {
            return DEFAULT_EXPIRES_IN;
        }
        long seconds;
        try {
            seconds = Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw ClientError.badRequest("expiresIn must be a whole number of seconds, got '" + value + "'");
        }
        if (seconds < 1 || seconds > MAX_EXPIRES_IN) {
            throw ClientError.badRequest("expiresIn must be between 1 and " + MAX_EXPIRES_IN + " seconds (7 days), got " + seconds);
        }
        return seconds;
    }
}
