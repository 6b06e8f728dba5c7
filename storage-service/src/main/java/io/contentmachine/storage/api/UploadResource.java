package io.contentmachine.storage.api;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.contentmachine.kit.errors.ErrorResponse;
import io.contentmachine.storage.upload.UploadService;
import io.smallrye.mutiny.Uni;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/** Upload grants to the final keys of the videos bucket (internal; callers present X-Internal-Token). */
@Path("/storage/uploads")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@APIResponse(responseCode = "401", description = "Missing or invalid X-Internal-Token",
        content = @Content(schema = @Schema(implementation = ErrorResponse.class)))
public class UploadResource {

    static final String DELETED_EXAMPLE = "{\"error\":\"project 3f1c2a9e-5b7d-4e8f-9a0b-1c2d3e4f5a6b was deleted: no uploads are granted"
            + " for it\"}";

    private final UploadService uploads;

    UploadResource(UploadService uploads) {
        this.uploads = uploads;
    }

    public record UploadRequest(
            @NotNull UUID projectId,
            @NotNull @Min(1) Long sizeBytes,
            @NotNull @Pattern(regexp = "^[0-9a-f]{64}$", message = "must be 64 lowercase hex digits") String sha256,
            @NotBlank String contentType,
            @Min(5242880) Long partSizeBytes,
            List<@NotNull @Pattern(regexp = "^[0-9a-f]{64}$", message = "must be 64 lowercase hex digits") String> partSha256) {
    }

    /**
     * {@code url} for a single PUT, sent with every header of {@code headers} (Content-Type, If-None-Match: * and, where
     * storage.require-upload-checksum is on, x-amz-checksum-sha256), or {@code parts} (all of partSizeBytes but the last),
     * each sent with its own {@code headers}. {@code stagingKey} is the object's final key in the videos bucket, which the
     * uploader announces in video.rendered (the name is kept from when uploads were staged and copied).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record UploadGrant(UUID uploadId, String stagingKey, String method, String url, Map<String, String> headers,
            Long partSizeBytes, List<PartUrl> parts, String expiresAt) {
    }

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record PartUrl(int partNumber, long sizeBytes, String url, Map<String, String> headers) {
    }

    public record CompleteRequest(@NotEmpty List<@NotNull @Valid PartEtag> parts) {
    }

    public record PartEtag(@NotNull @Min(1) Integer partNumber, @NotBlank String etag) {
    }

    @POST
    @Operation(summary = "Grant an upload to the object's final key", description = "Presigned URLs for the final key of the "
            + "project's file with this SHA-256: one PUT up to the multipart threshold, else one URL per part (then POST "
            + ".../complete). Every PUT signs If-None-Match: * and the SHA-256 to check (multipart: send partSizeBytes and the "
            + "SHA-256 of every part as partSha256); send each URL's headers as given.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = UploadGrant.class)))
    @APIResponse(responseCode = "400", description = "Validation failed or malformed JSON; a multipart-sized upload without "
            + "partSizeBytes and partSha256 (where checksums are required)",
            content = @Content(schema = @Schema(implementation = ErrorResponse.class)))
    @APIResponse(responseCode = "410", description = "The project was deleted (video.deleted or DELETE /storage/projects/{id}): "
            + "nothing uploaded for it would be stored, so no grant is given", content = @Content(
                    schema = @Schema(implementation = ErrorResponse.class), examples = @ExampleObject(name = "deleted",
                            value = DELETED_EXAMPLE)))
    @APIResponse(responseCode = "413", description = "sizeBytes over storage.max-upload-bytes",
            content = @Content(schema = @Schema(implementation = ErrorResponse.class)))
    @APIResponse(responseCode = "415", description = "contentType neither video/mp4 nor image/jpeg",
            content = @Content(schema = @Schema(implementation = ErrorResponse.class)))
    public Uni<UploadGrant> grant(@NotNull @Valid UploadRequest request) {
        UploadService.PartChecksums partChecksums = request.partSha256() == null || request.partSha256().isEmpty() ? null
                : new UploadService.PartChecksums(request.partSizeBytes() == null ? 0 : request.partSizeBytes(), request.partSha256());
        return uploads.grant(request.projectId(), request.sizeBytes(), request.sha256(), request.contentType(), partChecksums)
                .map(grant -> new UploadGrant(grant.upload().id, grant.upload().stagingKey, grant.upload().method,
                        grant.url() == null ? null : grant.url().toString(), grant.headers(),
                        grant.parts() == null ? null : grant.partSizeBytes(),
                        grant.parts() == null ? null : grant.parts().stream()
                                .map(p -> new PartUrl(p.partNumber(), p.sizeBytes(), p.url().toString(), p.headers())).toList(),
                        grant.upload().expiresAt.toString()));
    }

    @POST
    @Path("/{uploadId}/complete")
    public Uni<Void> complete(@PathParam("uploadId") String uploadId, @NotNull @Valid CompleteRequest request) {
        UUID id = Ids.uuid("uploadId", uploadId);
        return uploads.complete(id, request.parts().stream().map(p -> new UploadService.Part(p.partNumber(), p.etag())).toList());
    }
}
