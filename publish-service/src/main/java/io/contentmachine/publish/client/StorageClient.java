package io.contentmachine.publish.client;

import java.time.Instant;
import java.util.UUID;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;

import io.smallrye.mutiny.Uni;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** storage-service's internal API: a presigned GET of a project's stored video (the only way to its bytes). */
@RegisterRestClient(configKey = "storage-service")
@Path("/storage/projects/{projectId}/video")
public interface StorageClient {

    @GET
    @Path("/url")
    Uni<VideoUrl> videoUrl(@PathParam("projectId") UUID projectId, @QueryParam("asset") String asset,
            @QueryParam("expiresIn") long expiresInSeconds, @HeaderParam("X-Internal-Token") String internalToken);

    record VideoUrl(String url, Instant expiresAt) {
    }
}
