package io.contentmachine.render.client;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import org.eclipse.microprofile.rest.client.annotation.ClientHeaderParam;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** storage-service's upload grants (internal REST; config key storage-service). Called from render worker threads. */
@RegisterRestClient(configKey = "storage-service")
@Path("/storage/uploads")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@ClientHeaderParam(name = "X-Internal-Token", value = "${internal.token}")
public interface StorageClient {

    @POST
    UploadGrant grant(UploadRequest request);

    @POST
    @Path("/{uploadId}/complete")
    void complete(@PathParam("uploadId") UUID uploadId, CompleteRequest request);

    record UploadRequest(UUID projectId, long sizeBytes, String sha256, String contentType) {
    }

    /** A single presigned PUT ({@code url}) or presigned part URLs ({@code parts}). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    /** {@code headers}: what a single PUT must send (Content-Type and, when storage asks for it, x-amz-checksum-sha256). */
    record UploadGrant(UUID uploadId, String stagingKey, String method, String url, Map<String, String> headers, Long partSizeBytes,
            List<PartUrl> parts) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record PartUrl(int partNumber, Long sizeBytes, String url) {
    }

    record CompleteRequest(List<PartEtag> parts) {
    }

    record PartEtag(int partNumber, String etag) {
    }
}
