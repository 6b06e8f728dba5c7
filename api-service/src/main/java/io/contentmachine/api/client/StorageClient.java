package io.contentmachine.api.client;

import java.time.Instant;
import java.util.UUID;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;

import io.smallrye.mutiny.Uni;
import org.eclipse.microprofile.rest.client.annotation.ClientHeaderParam;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** storage-service's internal API: presigned download URLs. */
@RegisterRestClient(configKey = "storage-service")
@ClientHeaderParam(name = "X-Internal-Token", value = "${internal.token}")
@Path("/storage")
public interface StorageClient {

    @GET
    @Path("/projects/{projectId}/video/url")
    Uni<DownloadUrl> videoUrl(@PathParam("projectId") UUID projectId, @QueryParam("asset") String asset,
            @QueryParam("expiresIn") long expiresInSeconds);

    record DownloadUrl(String url, Instant expiresAt) {
    }
}
