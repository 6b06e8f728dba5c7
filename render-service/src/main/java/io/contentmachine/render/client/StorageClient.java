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
import com.fasterxml.jackson.annotation.JsonInclude;
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

    /**
     * {@code partSizeBytes} and {@code partSha256} (the SHA-256 of every part of that size, in order): what storage signs
     * into a multipart grant's part URLs; null for a file of one part.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record UploadRequest(UUID projectId, long sizeBytes, String sha256, String contentType, Long partSizeBytes, List<String> partSha256) {
    }

    /**
     * A single presigned PUT ({@code url}) or presigned part URLs ({@code parts}) for the object's final key
     * ({@code stagingKey}). {@code headers}: what a single PUT must send (Content-Type, If-None-Match: * and, when storage
     * asks for it, x-amz-checksum-sha256); each part has its own (its x-amz-checksum-sha256).
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record UploadGrant(UUID uploadId, String stagingKey, String method, String url, Map<String, String> headers, Long partSizeBytes,
            List<PartUrl> parts) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record PartUrl(int partNumber, Long sizeBytes, String url, Map<String, String> headers) {
    }

    record CompleteRequest(List<PartEtag> parts) {
    }

    record PartEtag(int partNumber, String etag) {
    }
}
