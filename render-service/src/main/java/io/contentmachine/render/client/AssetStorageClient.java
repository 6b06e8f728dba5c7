package io.contentmachine.render.client;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import org.eclipse.microprofile.rest.client.annotation.ClientHeaderParam;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * storage-service's media-library endpoints render uses (docs/MEDIA-LIBRARY.md, internal REST; config key storage-service):
 * presigned GETs of an asset's original or normalised copy, the grant for the normalised copy, and the asset's outcome.
 * Called from worker threads.
 */
@RegisterRestClient(configKey = "storage-service")
@Path("/storage/assets")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@ClientHeaderParam(name = "X-Internal-Token", value = "${internal.token}")
public interface AssetStorageClient {

    String ORIGINAL = "original";
    String NORMALISED = "normalised";

    /** A presigned GET of the asset's {@code variant} ({@value #ORIGINAL} or {@value #NORMALISED}). */
    @GET
    @Path("/{id}/url")
    AssetUrl url(@PathParam("id") UUID assetId, @QueryParam("variant") String variant, @QueryParam("expiresIn") Integer expiresIn);

    /** The upload grant for the normalised copy (assets/normalised/{ownerId}/{assetId}). */
    @POST
    @Path("/{id}/normalised")
    StorageClient.UploadGrant normalised(@PathParam("id") UUID assetId, NormalisedRequest request);

    /** The copy is uploaded (with the parts' ETags of a multipart grant): storage checks it and announces asset.ready. */
    @POST
    @Path("/{id}/ready")
    Asset ready(@PathParam("id") UUID assetId, ReadyRequest request);

    /** The original is not what it claims: storage marks the asset rejected and removes its objects. */
    @POST
    @Path("/{id}/rejected")
    Asset rejected(@PathParam("id") UUID assetId, RejectedRequest request);

    @JsonIgnoreProperties(ignoreUnknown = true)
    record AssetUrl(String url, Instant expiresAt) {
    }

    record NormalisedRequest(long sizeBytes, String sha256, String contentType) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ReadyRequest(Integer width, Integer height, Double durationSeconds, List<StorageClient.PartEtag> parts) {
    }

    record RejectedRequest(String reason) {
    }

    /** The asset as storage answers it (the fields render reads). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Asset(UUID id, String ownerId, String kind, String status, String reason) {
    }
}
