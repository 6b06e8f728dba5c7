package io.contentmachine.api.domain;

import java.time.Duration;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.contentmachine.api.client.Downstream;
import io.contentmachine.api.client.StorageClient;
import io.contentmachine.api.config.ApiConfig;
import io.smallrye.mutiny.Uni;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/** Presigned URLs of a stored project's video and thumbnail, from storage-service (which alone holds S3 credentials). */
@ApplicationScoped
public class VideoDownloads {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final ProjectQueries projects;
    private final StorageClient storage;
    private final ApiConfig config;

    VideoDownloads(ProjectQueries projects, @RestClient StorageClient storage, ApiConfig config) {
        this.projects = projects;
        this.storage = storage;
        this.config = config;
    }

    /** A URL of the caller's {@code asset} (video or thumbnail), valid for the configured time; not found until it is stored. */
    public Uni<StorageClient.DownloadUrl> url(Caller caller, UUID projectId, String asset) {
        return projects.owned(caller, projectId).chain(project -> {
            if (!project.state().hasStoredVideo()) {
                return Uni.createFrom().failure(new DomainException.NotFound("Video not ready"));
            }
            return storage.videoUrl(projectId, asset, config.downloadExpiresIn().toSeconds())
                    .ifNoItem().after(TIMEOUT).fail()
                    .onFailure().transform(e -> Downstream.status(e) == 404 ? new DomainException.NotFound("Video not ready")
                            : new DomainException.Unavailable("Storage unavailable, try again shortly"));
        });
    }
}
