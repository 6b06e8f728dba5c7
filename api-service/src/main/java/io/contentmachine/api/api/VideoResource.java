package io.contentmachine.api.api;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.contentmachine.api.client.IndexClient;
import io.contentmachine.api.client.StorageClient;
import io.contentmachine.api.client.VideoPublishing;
import io.contentmachine.api.config.ApiConfig;
import io.contentmachine.api.domain.ProjectCreation;
import io.contentmachine.api.domain.ProjectDeletion;
import io.contentmachine.api.domain.ProjectQueries;
import io.contentmachine.api.domain.ProjectUpdates;
import io.contentmachine.api.domain.ScriptSearch;
import io.contentmachine.api.domain.Sha256;
import io.contentmachine.api.domain.VideoDownloads;
import io.contentmachine.events.types.PublishRequest;
import io.contentmachine.kit.errors.ErrorResponse;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeIn;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.eclipse.microprofile.openapi.annotations.security.SecuritySchemes;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestStreamElementType;

/** The public video API: create a project, follow it, download, publish, search, delete. */
@Path("/api/videos")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "videos")
@SecuritySchemes({
    @SecurityScheme(securitySchemeName = "bearer", type = SecuritySchemeType.HTTP, scheme = "bearer",
            description = "Authorization: Bearer <API key>"),
    @SecurityScheme(securitySchemeName = "apiKey", type = SecuritySchemeType.APIKEY, in = SecuritySchemeIn.HEADER,
            apiKeyName = "X-API-Key"),
    @SecurityScheme(securitySchemeName = "session", type = SecuritySchemeType.APIKEY, in = SecuritySchemeIn.COOKIE,
            apiKeyName = "cm_session",
            description = "The console's session cookie (POST /api/session); writes also need X-CSRF-Token and this server's Origin")})
@SecurityRequirement(name = "bearer")
@SecurityRequirement(name = "apiKey")
@SecurityRequirement(name = "session")
@APIResponse(responseCode = "401", description = "Missing or invalid API key",
        content = @Content(schema = @Schema(implementation = ErrorResponse.class),
        examples = @ExampleObject(name = "unauthorized", value = "{\"error\":\"Missing or invalid API key\"}")))
public class VideoResource {

    static final String ERROR_EXAMPLE_400 = "{\"error\":\"Validation failed\",\"details\":[\"topic: required, must not be blank\"]}";
    static final String ERROR_EXAMPLE_404 = "{\"error\":\"Not found\"}";

    private final ProjectCreation creation;
    private final ProjectQueries projects;
    private final ProjectDeletion deletion;
    private final ProjectViews views;
    private final ProjectUpdates updates;
    private final ScriptSearch scripts;
    private final VideoDownloads downloads;
    private final VideoPublishing publishing;
    private final CurrentCaller caller;
    private final ApiConfig config;
    private final ObjectMapper mapper;

    VideoResource(ProjectCreation creation, ProjectQueries projects, ProjectDeletion deletion, ProjectViews views, ProjectUpdates updates,
            ScriptSearch scripts, VideoDownloads downloads, VideoPublishing publishing, CurrentCaller caller, ApiConfig config,
            ObjectMapper mapper) {
        this.creation = creation;
        this.projects = projects;
        this.deletion = deletion;
        this.views = views;
        this.updates = updates;
        this.scripts = scripts;
        this.downloads = downloads;
        this.publishing = publishing;
        this.caller = caller;
        this.config = config;
        this.mapper = mapper;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create a video project", description = "Validates the request against render-service's catalog, checks the "
            + "owner's earlier topics for a near-duplicate, stores the project and starts the pipeline (video.requested).")
    @APIResponse(responseCode = "201", description = "Accepted; follow it with GET /api/videos/{id} or its events",
            content = @Content(schema = @Schema(implementation = ProjectView.Created.class), examples = @ExampleObject(name = "created",
                    value = "{\"projectId\":\"3b2f7e7a-5c4d-4d7e-8f9a-0b1c2d3e4f50\",\"status\":\"processing\",\"dedup\":\"checked\"}")))
    @APIResponse(responseCode = "400", description = "Invalid body: missing/blank topic, unknown template or voice (valid ones listed), "
            + "length out of range, undeclared fields, malformed JSON",
            content = @Content(schema = @Schema(implementation = ErrorResponse.class),
            examples = @ExampleObject(name = "invalid", value = ERROR_EXAMPLE_400)))
    @APIResponse(responseCode = "409", description = "Near-duplicate of an earlier project of the same owner",
            content = @Content(examples = @ExampleObject(name = "duplicate",
                    value = "{\"error\":\"A project on a near-identical topic exists; send allowDuplicate: true to create anyway\","
                            + "\"duplicateOf\":\"3b2f7e7a-5c4d-4d7e-8f9a-0b1c2d3e4f50\",\"score\":0.97}")))
    @APIResponse(responseCode = "413", description = "Body over 64 KiB")
    @APIResponse(responseCode = "415", description = "Content type is not application/json")
    @APIResponse(responseCode = "422", description = "Idempotency-Key reused with a different body")
    @APIResponse(responseCode = "429", description = "Rate limit or in-flight cap reached; see Retry-After")
    @APIResponse(responseCode = "503", description = "render-service's catalog is unavailable and none is cached")
    public Uni<Response> create(@Parameter(description = "Makes retries safe: the same key and body return the first response")
            @HeaderParam("Idempotency-Key") String idempotencyKey, VideoRequest request) {
        if (request == null) {
            throw ApiException.badRequest("Validation failed", List.of("body: required"));
        }
        request.rejectUndeclared();
        if (idempotencyKey != null && (idempotencyKey.isBlank() || idempotencyKey.length() > 200)) {
            throw ApiException.badRequest("Validation failed", List.of("Idempotency-Key: 1 to 200 characters"));
        }
        return creation.create(caller.get(), Uni.createFrom().item(request::toNewProject), idempotencyKey,
                        idempotencyKey == null ? null : fingerprint(request))
                .map(created -> Response.status(created.status())
                        .location(URI.create("/api/videos/" + created.projectId()))
                        .entity(created.body()).build());
    }

    /** What a repeated Idempotency-Key must come with: the same body, as JSON. */
    private String fingerprint(VideoRequest request) {
        try {
            return Sha256.hex(mapper.writeValueAsString(request));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize VideoRequest", e);
        }
    }

    @GET
    @Operation(summary = "List the caller's projects", description = "Newest first; deleted projects only with status=deleted.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = ProjectView.Page.class)))
    @APIResponse(responseCode = "400", description = "Bad limit, status or cursor",
            content = @Content(schema = @Schema(implementation = ErrorResponse.class)))
    public Uni<ProjectView.Page> list(@Parameter(description = "1-100, default 20") @QueryParam("limit") String limit,
            @Parameter(description = "nextCursor of the previous page") @QueryParam("cursor") String cursor,
            @Parameter(description = "Only projects in this status") @QueryParam("status") String status) {
        Integer size = null;
        if (limit != null) {
            try {
                size = Integer.parseInt(limit);
            } catch (NumberFormatException e) {
                throw ApiException.badRequest("Validation failed", List.of("limit: between 1 and 100"));
            }
        }
        return projects.list(caller.get(), size, cursor, status)
                .map(page -> new ProjectView.Page(page.items().stream().map(ProjectViews::summary).toList(), page.next()));
    }

    @GET
    @Path("/search")
    @Operation(summary = "Semantic search over the caller's scripts (index-service)")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = IndexClient.SearchResults.class)))
    @APIResponse(responseCode = "400", description = "Missing q or bad limit",
            content = @Content(schema = @Schema(implementation = ErrorResponse.class)))
    @APIResponse(responseCode = "503", description = "index-service unavailable")
    public Uni<IndexClient.SearchResults> search(@QueryParam("q") String q,
            @Parameter(description = "1-50, default 10") @QueryParam("limit") String limit,
            @Parameter(description = "script (default) or topic") @QueryParam("field") String field) {
        List<String> details = new ArrayList<>();
        if (q == null || q.isBlank() || q.length() > 500) {
            details.add("q: required, 1 to 500 characters");
        }
        int size = 10;
        if (limit != null) {
            try {
                size = Integer.parseInt(limit);
            } catch (NumberFormatException e) {
                size = -1;
            }
            if (size < 1 || size > 50) {
                details.add("limit: between 1 and 50");
            }
        }
        String searchField = field == null ? "script" : field;
        if (!searchField.equals("script") && !searchField.equals("topic")) {
            details.add("field: script or topic");
        }
        if (!details.isEmpty()) {
            throw ApiException.badRequest("Validation failed", details);
        }
        return scripts.search(caller.get(), q.strip(), searchField, size);
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "A project with its scenes, video and publishings")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = ProjectView.class)))
    @APIResponse(responseCode = "400", description = "id is not a UUID",
            content = @Content(schema = @Schema(implementation = ErrorResponse.class)))
    @APIResponse(responseCode = "404", description = "No such project (or another owner's)", content = @Content(
            schema = @Schema(implementation = ErrorResponse.class), examples = @ExampleObject(name = "notFound",
            value = ERROR_EXAMPLE_404)))
    public Uni<ProjectView> get(@PathParam("id") String id) {
        return views.details(caller.get(), uuid(id));
    }

    @GET
    @Path("/{id}/download")
    @Operation(summary = "A presigned URL of the MP4", description = "Valid until expiresAt.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = StorageClient.DownloadUrl.class)))
    @APIResponse(responseCode = "404", description = "Not found, or the video is not stored yet",
            content = @Content(examples = @ExampleObject(name = "notReady", value = "{\"error\":\"Video not ready\"}")))
    @APIResponse(responseCode = "503", description = "storage-service unavailable")
    public Uni<StorageClient.DownloadUrl> download(@PathParam("id") String id,
            @Parameter(description = "video (default) or thumbnail") @QueryParam("asset") String asset) {
        String kind = asset == null ? "video" : asset;
        if (!kind.equals("video") && !kind.equals("thumbnail")) {
            throw ApiException.badRequest("Validation failed", List.of("asset: video or thumbnail"));
        }
        return downloads.url(caller.get(), uuid(id), kind);
    }

    @GET
    @Path("/{id}/thumbnail")
    @Operation(summary = "The thumbnail (a redirect to its presigned URL)", description = "For an <img src>: 303 to a presigned GET "
            + "of the JPEG. With the console's session cookie, a page can show it without an API key header.")
    @APIResponse(responseCode = "303", description = "Location: the presigned URL of the JPEG")
    @APIResponse(responseCode = "404", description = "Not found, or the video is not stored yet",
            content = @Content(examples = @ExampleObject(name = "notReady", value = "{\"error\":\"Video not ready\"}")))
    @APIResponse(responseCode = "503", description = "storage-service unavailable")
    public Uni<Response> thumbnail(@PathParam("id") String id) {
        return downloads.url(caller.get(), uuid(id), "thumbnail").map(url -> Response.seeOther(URI.create(url.url()))
                .header("Cache-Control", "private, max-age=" + Math.max(0, config.downloadExpiresIn().toSeconds() / 2)).build());
    }

    @POST
    @Path("/{id}/publish")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Publish a stored video to platforms", description = "One publishing per platform, through publish-service.")
    @APIResponse(responseCode = "202", description = "One publishing per platform")
    @APIResponse(responseCode = "400", description = "Unknown platform, bad publishAt, or for tiktok a privacy level missing, unknown or "
            + "not among the creator's privacyLevelOptions (listed)",
            content = @Content(schema = @Schema(implementation = ErrorResponse.class)))
    @APIResponse(responseCode = "409", description = "Video not stored yet, or a platform without a connected account of the caller "
            + "(named; then nothing is published anywhere)", content = @Content(examples = {
                    @ExampleObject(name = "notStored", value = "{\"error\":\"Video not stored yet\"}"),
                    @ExampleObject(name = "notConnected", value = "{\"error\":\"no connected youtube account; connect one with POST "
                            + "/api/accounts/youtube/connect\"}")}))
    public Uni<Response> publish(@PathParam("id") String id, PublishBody body) {
        UUID projectId = uuid(id);
        return publishing.publish(caller.get(), projectId, publishRequest(body), Boolean.TRUE.equals(body.republish));
    }

    /** A publish (or preview) body, validated: 400 naming what is wrong. */
    private static PublishRequest publishRequest(PublishBody body) {
        if (body == null) {
            throw ApiException.badRequest("Validation failed", List.of("body: required"));
        }
        body.rejectUndeclared();
        List<String> details = new ArrayList<>();
        PublishRequest request = body.toPublishRequest("", details);
        if (!details.isEmpty()) {
            throw ApiException.badRequest("Validation failed", details);
        }
        return request;
    }

    @POST
    @Path("/{id}/publish/preview")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Preview what each platform would receive", description = "The video's metadata with the given override, "
            + "adapted to each platform's limits by publish-service's own adapter (the one the publishers use). Publishes nothing.")
    @APIResponse(responseCode = "200", description = "One entry per platform: YouTube's title, description and tags; TikTok's post "
            + "title and Instagram's caption as text", content = @Content(examples = @ExampleObject(name = "preview",
            value = "[{\"platform\":"
            + "\"youtube\",\"title\":\"Why octopuses have three hearts\",\"description\":\"...\\n\\n#octopus\",\"tags\":[\"octopus\"]},"
            + "{\"platform\":\"tiktok\",\"title\":\"Why octopuses have three hearts\",\"tags\":[],\"text\":\"Why octopuses have "
            + "three hearts #octopus\"}]")))
    @APIResponse(responseCode = "400", description = "Unknown platform or bad metadata",
            content = @Content(schema = @Schema(implementation = ErrorResponse.class)))
    @APIResponse(responseCode = "409", description = "Video not stored yet",
            content = @Content(schema = @Schema(implementation = ErrorResponse.class)))
    @APIResponse(responseCode = "503", description = "publish-service unavailable")
    public Uni<Response> preview(@PathParam("id") String id, PublishBody body) {
        UUID projectId = uuid(id);
        return publishing.preview(caller.get(), projectId, publishRequest(body));
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Delete a project",
            description = "Cancels work in flight and removes the stored video (video.deleted); idempotent."
            + " With fromPlatforms=true the published videos are also deleted where the platform's API allows (YouTube; TikTok and"
            + " Instagram have no delete call): each publishing then shows platformDeletion (pending, deleted, unsupported or failed"
            + " with why). Without it nothing on the platforms is touched.")
    @APIResponse(responseCode = "204", description = "Deleted (or already deleted)")
    @APIResponse(responseCode = "400", description = "fromPlatforms is neither true nor false",
            content = @Content(schema = @Schema(implementation = ErrorResponse.class)))
    @APIResponse(responseCode = "404", description = "No such project",
            content = @Content(schema = @Schema(implementation = ErrorResponse.class)))
    public Uni<Response> delete(@PathParam("id") String id,
            @Parameter(description = "true: also delete the videos on the platforms, where their APIs allow") @QueryParam("fromPlatforms")
            String fromPlatforms) {
        if (fromPlatforms != null && !fromPlatforms.equals("true") && !fromPlatforms.equals("false")) {
            throw ApiException.badRequest("invalid query parameter", List.of("fromPlatforms: true or false"));
        }
        return deletion.delete(caller.get(), uuid(id), "true".equals(fromPlatforms)).replaceWith(Response.noContent().build());
    }

    @GET
    @Path("/{id}/events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    @Operation(summary = "Live status (Server-Sent Events)", description = "One event per change of status or progress; the stream ends "
            + "when the project reaches a final state (published, failed, deleted, or stored with nothing to publish or with every "
            + "publishing final, whatever the outcomes).")
    @APIResponse(responseCode = "200", content = @Content(mediaType = MediaType.SERVER_SENT_EVENTS,
            schema = @Schema(implementation = ProjectUpdates.Update.class)))
    public Multi<ProjectUpdates.Update> events(@PathParam("id") String id) {
        UUID projectId = uuid(id);
        return Multi.createFrom().uni(projects.owned(caller.get(), projectId))
                .onItem().transformToMultiAndConcatenate(project -> updates.follow(projectId));
    }

    static UUID uuid(String id) {
        try {
            if (id.length() != 36) {
                throw new IllegalArgumentException();
            }
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("Invalid id", List.of("id: not a UUID"));
        }
    }

    /** Body of POST /api/videos/{id}/publish. */
    @Schema(name = "PublishBody")
    public static class PublishBody extends VideoRequest.PublishOptions {

        @Schema(description = "Publish again on platforms where this video was already published.", defaultValue = "false")
        public Boolean republish;
    }
}
