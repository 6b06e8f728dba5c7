package io.contentmachine.api.client;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.smallrye.mutiny.Uni;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.rest.client.annotation.ClientHeaderParam;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * storage-service's internal API: presigned download URLs of stored videos, and the owners' media library (docs/MEDIA-LIBRARY.md).
 * Answers are read into the records below, so a field storage keeps for itself never reaches the public.
 */
@RegisterRestClient(configKey = "storage-service")
@ClientHeaderParam(name = "X-Internal-Token", value = "${internal.token}")
@Path("/storage")
public interface StorageClient {

    @GET
    @Path("/projects/{projectId}/video/url")
    Uni<DownloadUrl> videoUrl(@PathParam("projectId") UUID projectId, @QueryParam("asset") String asset,
            @QueryParam("expiresIn") long expiresInSeconds);

    @POST
    @Path("/assets")
    @Consumes(MediaType.APPLICATION_JSON)
    Uni<CreatedAsset> createAsset(NewAssetBody body);

    @POST
    @Path("/assets/{id}/complete")
    @Consumes(MediaType.APPLICATION_JSON)
    Uni<Asset> completeAsset(@PathParam("id") UUID id, CompleteBody body);

    @GET
    @Path("/assets")
    Uni<AssetPage> assets(@QueryParam("ownerId") String ownerId, @QueryParam("kind") String kind, @QueryParam("status") String status,
            @QueryParam("limit") Integer limit, @QueryParam("cursor") String cursor);

    @GET
    @Path("/assets/{id}")
    Uni<Asset> asset(@PathParam("id") UUID id, @QueryParam("ownerId") String ownerId);

    @DELETE
    @Path("/assets/{id}")
    Uni<Void> deleteAsset(@PathParam("id") UUID id, @QueryParam("ownerId") String ownerId);

    record DownloadUrl(String url, Instant expiresAt) {
    }

    /** Body of POST /storage/assets: the public request with the owner the gateway authenticated. */
    record NewAssetBody(String ownerId, String filename, String contentType, long sizeBytes, String sha256, String description,
            List<String> tags, String license, String attribution) {
    }

    /** Body of POST /storage/assets/{id}/complete; parts only for a multipart grant. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record CompleteBody(String ownerId, List<PartEtag> parts) {
    }

    @Schema(name = "AssetPartEtag")
    record PartEtag(int partNumber, String etag) {
    }

    /** An asset of the media library as its owner sees it. */
    @Schema(name = "Asset", description = "A clip, image or music file of the owner's media library.")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Asset(UUID id, String ownerId,
            @Schema(description = "video, image or audio (from the content type)") String kind,
            @Schema(description = "uploading, processing, ready, rejected or deleted") String status,
            String filename, String contentType, Long sizeBytes, String sha256, String description, List<String> tags,
            String license, String attribution, Double durationSeconds, Integer width, Integer height,
            @Schema(description = "Why it was rejected") String reason, Instant createdAt, Instant readyAt,
            @Schema(description = "A presigned GET of the normalised copy, when ready (GET /api/assets/{id} only)") String previewUrl) {
    }

    /** Where and how to send the bytes: one PUT to url with every header of headers, or one PUT per part. */
    @Schema(name = "AssetUploadGrant", description = "PUT the bytes straight to S3: method single → one PUT to url with every header of "
            + "headers (Content-Type and x-amz-checksum-sha256); multipart → one PUT per part (keep each ETag), then POST "
            + "/api/assets/{id}/complete with the parts.")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record UploadGrant(UUID uploadId, String method, String url, Map<String, String> headers, Long partSizeBytes,
            List<PartUrl> parts, String expiresAt) {
    }

    @Schema(name = "AssetPartUrl")
    record PartUrl(int partNumber, long sizeBytes, String url) {
    }

    @Schema(name = "CreatedAsset")
    record CreatedAsset(Asset asset, UploadGrant upload) {
    }

    @Schema(name = "AssetPage")
    record AssetPage(List<Asset> items, String nextCursor) {
    }
}
