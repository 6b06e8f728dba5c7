package io.contentmachine.api.api;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

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

import io.contentmachine.api.client.StorageClient;
import io.contentmachine.api.domain.AssetLibrary;
import io.contentmachine.kit.errors.ErrorResponse;
import io.smallrye.mutiny.Uni;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The caller's media library: clips, images and music for their videos. The bytes never pass through here: create answers with
 * a presigned grant to PUT them straight to S3, complete hands the upload to storage-service's checks and render-service's
 * normalisation. Owner-scoped: another owner's asset is a 404.
 */
@Path("/api/assets")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "assets")
@SecurityRequirement(name = "bearer")
@SecurityRequirement(name = "apiKey")
@SecurityRequirement(name = "session")
@APIResponse(responseCode = "401", description = "Missing or invalid API key",
        content = @Content(schema = @Schema(implementation = ErrorResponse.class)))
@APIResponse(responseCode = "503", description = "storage-service unavailable", content = @Content(
        schema = @Schema(implementation = ErrorResponse.class), examples = @ExampleObject(name = "unavailable",
        value = "{\"error\":\"Storage unavailable, try again shortly\"}")))
public class AssetResource {

    static final Set<String> KINDS = Set.of("video", "image", "audio");
    static final Set<String> STATUSES = Set.of("uploading", "processing", "ready", "rejected");

    private final AssetLibrary library;
    private final CurrentCaller caller;

    AssetResource(AssetLibrary library, CurrentCaller caller) {
        this.library = library;
        this.caller = caller;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Add a file to the media library", description = "Registers the asset (status uploading) and answers with "
            + "the grant to PUT its bytes straight to S3 (with the grant's headers: S3 checks the SHA-256); then POST "
            + "/api/assets/{id}/complete. A grant never completed expires and the asset is swept.")
    @APIResponse(responseCode = "201", description = "The asset and where to upload it",
            content = @Content(schema = @Schema(implementation = StorageClient.CreatedAsset.class)))
    @APIResponse(responseCode = "400", description = "Invalid body: missing filename, content type, size or SHA-256, too many tags, "
            + "undeclared fields", content = @Content(schema = @Schema(implementation = ErrorResponse.class),
            examples = @ExampleObject(name = "invalid", value = "{\"error\":\"Validation failed\",\"details\":[\"sha256: required, 64 "
                    + "lowercase hex digits\"]}")))
    @APIResponse(responseCode = "413", description = "sizeBytes over the media library's limit",
            content = @Content(schema = @Schema(implementation = ErrorResponse.class)))
    @APIResponse(responseCode = "415", description = "contentType is not one the library takes (video/mp4, video/quicktime, "
            + "image/jpeg, image/png, audio/mpeg, audio/wav)", content = @Content(schema = @Schema(implementation = ErrorResponse.class)))
    public Uni<Response> create(AssetRequest request) {
        if (request == null) {
            throw ApiException.badRequest("Validation failed", List.of("body: required"));
        }
        request.rejectUndeclared();
        return library.create(caller.get(), request.toNewAsset())
                .map(created -> Response.status(201).location(URI.create("/api/assets/" + created.asset().id())).entity(created).build());
    }

    @POST
    @Path("/{id}/complete")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Say the upload is done", description = "storage-service checks the object against the grant (size, "
            + "SHA-256); the asset becomes processing, then ready (or rejected, with the reason) once render-service has probed and "
            + "normalised it. After a single PUT the body is {}.")
    @APIResponse(responseCode = "200", description = "The asset, now processing",
            content = @Content(schema = @Schema(implementation = StorageClient.Asset.class)))
    @APIResponse(responseCode = "400", description = "id is not a UUID, or bad parts",
            content = @Content(schema = @Schema(implementation = ErrorResponse.class)))
    @APIResponse(responseCode = "404", description = "No such asset (or another owner's)",
            content = @Content(schema = @Schema(implementation = ErrorResponse.class)))
    @APIResponse(responseCode = "409", description = "The uploaded object is missing or does not match the grant",
            content = @Content(schema = @Schema(implementation = ErrorResponse.class)))
    public Uni<StorageClient.Asset> complete(@PathParam("id") String id, AssetRequest.Completion body) {
        if (body != null) {
            body.rejectUndeclared();
        }
        return library.complete(caller.get(), VideoResource.uuid(id), body == null ? null : body.toParts());
    }

    @GET
    @Operation(summary = "List the caller's assets", description = "Newest first, paged like the videos.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = StorageClient.AssetPage.class)))
    @APIResponse(responseCode = "400", description = "Bad limit, kind, status or cursor",
            content = @Content(schema = @Schema(implementation = ErrorResponse.class)))
    public Uni<StorageClient.AssetPage> list(@Parameter(description = "1-100, default 20") @QueryParam("limit") String limit,
            @Parameter(description = "nextCursor of the previous page") @QueryParam("cursor") String cursor,
            @Parameter(description = "video, image or audio") @QueryParam("kind") String kind,
            @Parameter(description = "uploading, processing, ready or rejected") @QueryParam("status") String status) {
        List<String> details = new ArrayList<>();
        int size = 20;
        if (limit != null) {
            try {
                size = Integer.parseInt(limit);
            } catch (NumberFormatException e) {
                size = -1;
            }
            if (size < 1 || size > 100) {
                details.add("limit: between 1 and 100");
            }
        }
        if (kind != null && !KINDS.contains(kind)) {
            details.add("kind: video, image or audio");
        }
        if (status != null && !STATUSES.contains(status)) {
            details.add("status: uploading, processing, ready or rejected");
        }
        if (cursor != null && (cursor.isBlank() || cursor.length() > 500)) {
            details.add("cursor: the nextCursor of a previous page");
        }
        if (!details.isEmpty()) {
            throw ApiException.badRequest("Validation failed", details);
        }
        return library.list(caller.get(), kind, status, size, cursor);
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One asset", description = "With previewUrl, a presigned GET of the normalised copy, once it is ready.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = StorageClient.Asset.class)))
    @APIResponse(responseCode = "400", description = "id is not a UUID",
            content = @Content(schema = @Schema(implementation = ErrorResponse.class)))
    @APIResponse(responseCode = "404", description = "No such asset (or another owner's)", content = @Content(
            schema = @Schema(implementation = ErrorResponse.class), examples = @ExampleObject(name = "notFound",
            value = VideoResource.ERROR_EXAMPLE_404)))
    public Uni<StorageClient.Asset> get(@PathParam("id") String id) {
        return library.get(caller.get(), VideoResource.uuid(id));
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Delete an asset", description = "Removes it and its files; videos already made keep what they used.")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "400", description = "id is not a UUID",
            content = @Content(schema = @Schema(implementation = ErrorResponse.class)))
    @APIResponse(responseCode = "404", description = "No such asset (or another owner's)",
            content = @Content(schema = @Schema(implementation = ErrorResponse.class)))
    public Uni<Response> delete(@PathParam("id") String id) {
        return library.delete(caller.get(), VideoResource.uuid(id)).replaceWith(Response.noContent().build());
    }
}
