package io.contentmachine.storage.assets;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.contentmachine.kit.errors.ErrorResponse;
import io.contentmachine.storage.api.ClientError;
import io.contentmachine.storage.api.ProjectVideoResource.PresignedUrl;
import io.smallrye.mutiny.Uni;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * The media library's internal REST (X-Internal-Token): the gateway's owner-scoped calls (create, complete, list, get,
 * delete; another owner's asset is 404) and render-service's (url, normalised, ready, rejected). See docs/MEDIA-LIBRARY.md.
 */
@Path("/storage/assets")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@APIResponse(responseCode = "401", description = "Missing or invalid X-Internal-Token",
        content = @Content(schema = @Schema(implementation = ErrorResponse.class)))
@APIResponse(responseCode = "400", description = "Validation failed, malformed JSON or a malformed id",
        content = @Content(schema = @Schema(implementation = ErrorResponse.class)))
public class AssetResource {

    static final int DEFAULT_LIMIT = 20;
    static final int MAX_LIMIT = 100;
    static final long DEFAULT_EXPIRES_IN = 3600;
    static final long MAX_EXPIRES_IN = Duration.ofDays(7).toSeconds();
    private static final String SHA256 = "^[0-9a-f]{64}$";
    private static final String SHA256_MESSAGE = "must be 64 lowercase hex digits";

    private final AssetService assets;

    AssetResource(AssetService assets) {
        this.assets = assets;
    }

    public record CreateRequest(
            @NotBlank @Size(max = 200) String ownerId,
            @NotBlank @Size(max = 255) String filename,
            @NotBlank String contentType,
            @NotNull @Min(1) Long sizeBytes,
            @NotNull @Pattern(regexp = SHA256, message = SHA256_MESSAGE) String sha256,
            @NotBlank @Size(max = 2000) String description,
            @Size(max = 30) List<@NotBlank @Size(max = 50) String> tags,
            @Size(max = 200) String license,
            @Size(max = 500) String attribution) {
    }

    public record PartEtag(@NotNull @Min(1) Integer partNumber, @NotBlank String etag) {
    }

    public record CompleteRequest(@NotBlank String ownerId, List<@NotNull @Valid PartEtag> parts) {
    }

    public record NormalisedRequest(
            @NotNull @Min(1) Long sizeBytes,
            @NotNull @Pattern(regexp = SHA256, message = SHA256_MESSAGE) String sha256,
            @NotBlank String contentType) {
    }

    public record ReadyRequest(@Min(1) Integer width, @Min(1) Integer height, @DecimalMin("0") Double durationSeconds,
            List<@NotNull @Valid PartEtag> parts) {
    }

    public record RejectedRequest(@NotBlank @Size(max = 1000) String reason) {
    }

    /** An asset as the gateway and render-service see it; {@code previewUrl} only on a single ready asset. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record AssetView(UUID id, String ownerId, String kind, String status, String filename, String contentType, long sizeBytes,
            String sha256, String description, List<String> tags, String license, String attribution, Double durationSeconds,
            Integer width, Integer height, String reason, Instant createdAt, Instant readyAt, String previewUrl) {

        static AssetView of(Asset a, String previewUrl) {
            return new AssetView(a.id, a.ownerId, a.kind, a.status, a.filename, a.contentType, a.sizeBytes, a.sha256, a.description,
                    a.tags == null ? List.of() : List.of(a.tags), a.license, a.attribution, a.durationSeconds, a.width, a.height,
                    a.reason, a.createdAt, a.readyAt, previewUrl);
        }

        static AssetView of(Asset a) {
            return of(a, null);
        }
    }

    /**
     * Where and how to upload: {@code url} for a single PUT, sent with every header of {@code headers} (Content-Type and
     * the signed x-amz-checksum-sha256), or {@code parts} (all of partSizeBytes but the last; then pass their ETags to
     * complete or ready). {@code key} is the object's key in the assets bucket.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record AssetGrant(UUID uploadId, String key, String method, String url, Map<String, String> headers, Long partSizeBytes,
            List<PartUrl> parts, Instant expiresAt) {

        static AssetGrant of(AssetService.Granted granted) {
            AssetGrants.Grant grant = granted.grant();
            return new AssetGrant(granted.uploadId(), granted.key(), grant.method(), grant.url() == null ? null : grant.url().toString(),
                    grant.headers(), grant.parts() == null ? null : grant.partSizeBytes(), grant.parts() == null ? null
                            : grant.parts().stream().map(p -> new PartUrl(p.partNumber(), p.sizeBytes(), p.url().toString())).toList(),
                    granted.expiresAt());
        }
    }

    public record PartUrl(int partNumber, long sizeBytes, String url) {
    }

    public record Created(AssetView asset, AssetGrant upload) {
    }

    public record AssetPage(List<AssetView> items, String nextCursor) {
    }

    @POST
    @Operation(summary = "Create an asset and grant its upload", description = "The asset is 'uploading'; its original goes "
            + "straight to S3 (assets/originals/{ownerId}/{assetId}) with the grant, then POST /storage/assets/{id}/complete. "
            + "The kind follows the content type: video/mp4, video/quicktime (video), image/jpeg, image/png (image), audio/mpeg, "
            + "audio/wav (audio).")
    @APIResponse(responseCode = "201", content = @Content(schema = @Schema(implementation = Created.class)))
    @APIResponse(responseCode = "413", description = "sizeBytes over storage.assets.max-size-bytes",
            content = @Content(schema = @Schema(implementation = ErrorResponse.class)))
    @APIResponse(responseCode = "415", description = "contentType not one of the six accepted",
            content = @Content(schema = @Schema(implementation = ErrorResponse.class)))
    public Uni<RestResponse<Created>> create(@NotNull @Valid CreateRequest request) {
        return assets.create(new AssetService.NewAsset(request.ownerId(), request.filename(), request.contentType(), request.sizeBytes(),
                request.sha256(), request.description(), request.tags(), request.license(), request.attribution()))
                .map(granted -> RestResponse.status(Response.Status.CREATED,
                        new Created(AssetView.of(granted.asset()), AssetGrant.of(granted))));
    }

    @POST
    @Path("/{id}/complete")
    @Operation(summary = "The owner's upload is done", description = "Completes a multipart upload (parts required then), checks "
            + "the original's size and SHA-256 against the grant; the asset becomes 'processing' and asset.uploaded is sent. "
            + "Completing again answers the asset as it is.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = AssetView.class)))
    @APIResponse(responseCode = "404", description = "No such asset for this owner",
            content = @Content(schema = @Schema(implementation = ErrorResponse.class)))
    @APIResponse(responseCode = "409", description = "The object is missing or does not match the grant (a mismatching one is "
            + "removed; the asset stays 'uploading'), or the asset was rejected",
            content = @Content(schema = @Schema(implementation = ErrorResponse.class)))
    public Uni<AssetView> complete(@PathParam("id") String id, @NotNull @Valid CompleteRequest request) {
        return assets.complete(uuid(id), request.ownerId(), parts(request.parts())).map(AssetView::of);
    }

    @GET
    @Operation(summary = "An owner's assets, newest first", description = "Filters: kind, status, tag (one, compared "
            + "lowercased). Deleted assets only with status=deleted. Pass nextCursor back as cursor for the next page; it is null on "
            + "the last page.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = AssetPage.class)))
    public Uni<AssetPage> list(@QueryParam("ownerId") String ownerId, @QueryParam("kind") String kind,
            @QueryParam("status") String status, @QueryParam("tag") String tag, @QueryParam("limit") String limit,
            @QueryParam("cursor") String cursor) {
        if (ownerId == null || ownerId.isBlank()) {
            throw ClientError.badRequest("ownerId is required");
        }
        AssetKind of = kind == null || kind.isBlank() ? null : AssetKind.of(kind).orElseThrow(() -> ClientError.badRequest(
                "kind must be video, image or audio, got '" + kind + "'"));
        if (status != null && !status.isBlank() && !Asset.STATUSES.contains(status)) {
            throw ClientError.badRequest("status must be one of " + Asset.STATUSES + ", got '" + status + "'");
        }
        return assets.list(ownerId, of, status == null || status.isBlank() ? null : status, tag == null || tag.isBlank() ? null : tag,
                limit(limit),
                cursor == null || cursor.isBlank() ? null : cursor)
                .map(page -> new AssetPage(page.items().stream().map(AssetView::of).toList(), page.nextCursor()));
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "The owner's asset", description = "With previewUrl, a presigned GET of the normalised copy, when ready.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = AssetView.class)))
    @APIResponse(responseCode = "404", description = "No such asset for this owner (or it was deleted)",
            content = @Content(schema = @Schema(implementation = ErrorResponse.class)))
    public Uni<AssetView> get(@PathParam("id") String id, @QueryParam("ownerId") String ownerId) {
        UUID asset = uuid(id);
        return assets.get(asset, owner(ownerId)).map(viewed -> AssetView.of(viewed.asset(), viewed.previewUrl()));
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Delete the owner's asset", description = "The row becomes 'deleted', asset.deleted is sent and the "
            + "objects are removed. Deleting again is fine (204).")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "404", description = "No such asset for this owner",
            content = @Content(schema = @Schema(implementation = ErrorResponse.class)))
    public Uni<Void> delete(@PathParam("id") String id, @QueryParam("ownerId") String ownerId) {
        UUID asset = uuid(id);
        return assets.delete(asset, owner(ownerId));
    }

    @GET
    @Path("/{id}/url")
    @Operation(summary = "A presigned GET of the asset (render-service)", description = "variant=original (once uploaded) or "
            + "normalised (once ready, the default); 1 s <= expiresIn <= 7 days, default 3600.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = PresignedUrl.class)))
    @APIResponse(responseCode = "404", description = "No such asset (or it was deleted)",
            content = @Content(schema = @Schema(implementation = ErrorResponse.class)))
    @APIResponse(responseCode = "409", description = "The variant does not exist in the asset's status",
            content = @Content(schema = @Schema(implementation = ErrorResponse.class)))
    public Uni<PresignedUrl> url(@PathParam("id") String id, @QueryParam("variant") String variant,
            @QueryParam("expiresIn") String expiresIn) {
        UUID asset = uuid(id);
        boolean normalised = variant == null || variant.isBlank() || variant.equals("normalised");
        if (!normalised && !variant.equals("original")) {
            throw ClientError.badRequest("variant must be original or normalised, got '" + variant + "'");
        }
        long seconds = expiresIn(expiresIn);
        Instant expiresAt = Instant.now().plusSeconds(seconds);
        return assets.url(asset, normalised, Duration.ofSeconds(seconds)).map(url -> new PresignedUrl(url, expiresAt));
    }

    @POST
    @Path("/{id}/normalised")
    @Operation(summary = "Grant the upload of the normalised copy (render-service)", description = "For a 'processing' asset, "
            + "to assets/normalised/{ownerId}/{assetId}; contentType video/mp4, image/jpeg or audio/mp4 by the asset's kind. A new "
            + "grant replaces an earlier one.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = AssetGrant.class)))
    @APIResponse(responseCode = "404", description = "No such asset", content = @Content(schema = @Schema(
            implementation = ErrorResponse.class)))
    @APIResponse(responseCode = "409", description = "The asset is not 'processing'",
            content = @Content(schema = @Schema(implementation = ErrorResponse.class)))
    @APIResponse(responseCode = "413", description = "sizeBytes over storage.assets.max-size-bytes",
            content = @Content(schema = @Schema(implementation = ErrorResponse.class)))
    @APIResponse(responseCode = "415", description = "contentType is not the kind's normalised type",
            content = @Content(schema = @Schema(implementation = ErrorResponse.class)))
    public Uni<AssetGrant> normalised(@PathParam("id") String id, @NotNull @Valid NormalisedRequest request) {
        UUID asset = uuid(id);
        return assets.normalisedGrant(asset, request.sizeBytes(), request.sha256(), request.contentType()).map(AssetGrant::of);
    }

    @POST
    @Path("/{id}/ready")
    @Operation(summary = "The normalised copy is uploaded (render-service)", description = "Completes its multipart upload "
            + "(parts required then), checks it against its grant; the asset becomes 'ready' with the facts given and "
            + "asset.ready is sent. Again on a ready asset: answered as it is.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = AssetView.class)))
    @APIResponse(responseCode = "404", description = "No such asset", content = @Content(schema = @Schema(
            implementation = ErrorResponse.class)))
    @APIResponse(responseCode = "409", description = "Not 'processing', no normalised grant, or the copy is missing or does not "
            + "match its grant (a mismatching copy is removed)", content = @Content(schema = @Schema(implementation = ErrorResponse.class)))
    public Uni<AssetView> ready(@PathParam("id") String id, @NotNull @Valid ReadyRequest request) {
        UUID asset = uuid(id);
        return assets.ready(asset, new AssetService.Facts(request.width(), request.height(), request.durationSeconds()),
                parts(request.parts())).map(AssetView::of);
    }

    @POST
    @Path("/{id}/rejected")
    @Operation(summary = "The asset is unusable (render-service)", description = "It becomes 'rejected' with the reason and its "
            + "objects are removed; one announced ready before is announced deleted (asset.deleted).")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = AssetView.class)))
    @APIResponse(responseCode = "404", description = "No such asset", content = @Content(schema = @Schema(
            implementation = ErrorResponse.class)))
    @APIResponse(responseCode = "409", description = "The asset is neither 'processing' nor 'ready'",
            content = @Content(schema = @Schema(implementation = ErrorResponse.class)))
    public Uni<AssetView> rejected(@PathParam("id") String id, @NotNull @Valid RejectedRequest request) {
        UUID asset = uuid(id);
        return assets.rejected(asset, request.reason()).map(AssetView::of);
    }

    private static List<AssetObjects.Part> parts(List<PartEtag> parts) {
        return parts == null ? null : parts.stream().map(p -> new AssetObjects.Part(p.partNumber(), p.etag())).toList();
    }

    private static UUID uuid(String value) {
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw ClientError.badRequest("id must be a UUID, got '" + value + "'");
        }
    }

    private static String owner(String ownerId) {
        if (ownerId == null || ownerId.isBlank()) {
            throw ClientError.badRequest("ownerId is required");
        }
        return ownerId;
    }

    private static int limit(String value) {
        if (value == null || value.isBlank()) {
            return DEFAULT_LIMIT;
        }
        try {
            int limit = Integer.parseInt(value.trim());
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw ClientError.badRequest("limit must be a whole number between 1 and " + MAX_LIMIT + ", got '" + value + "'");
    }

    private static long expiresIn(String value) {
        if (value == null || value.isBlank()) {
            return DEFAULT_EXPIRES_IN;
        }
        try {
            long seconds = Long.parseLong(value.trim());
            if (seconds >= 1 && seconds <= MAX_EXPIRES_IN) {
                return seconds;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw ClientError.badRequest("expiresIn must be a whole number of seconds between 1 and " + MAX_EXPIRES_IN + " (7 days), got '"
                + value + "'");
    }
}
