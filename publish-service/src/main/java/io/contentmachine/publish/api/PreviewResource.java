package io.contentmachine.publish.api;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.contentmachine.events.types.VideoMetadata;
import io.contentmachine.kit.errors.ErrorResponse;
import io.contentmachine.publish.domain.Platform;
import io.contentmachine.publish.domain.Publishing;
import io.contentmachine.publish.domain.PublishingService;
import io.contentmachine.publish.domain.Video;
import io.contentmachine.publish.platform.PlatformMetadata;
import io.contentmachine.publish.platform.Platforms;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * What each platform would receive if the project were published now with this metadata (internal; the gateway calls it):
 * the same merge (video's own, the create request's, this override) and the same adapters the publishers use.
 */
@Path("/publish/projects/{projectId}/preview")
@Produces(MediaType.APPLICATION_JSON)
public class PreviewResource {

    /** POST /publish/projects/{projectId}/preview. */
    public record PreviewRequest(@NotBlank String ownerId, @NotEmpty List<String> platforms, VideoMetadata metadata) {
    }

    /** One platform's adapted metadata: YouTube fills title, description and tags; TikTok's post title and Instagram's caption are text. */
    public record PlatformPreview(String platform, String title, String description, List<String> tags, String text) {
    }

    private final PublishingService publishings;
    private final ObjectMapper mapper;
    private final Platforms platforms;

    PreviewResource(PublishingService publishings, ObjectMapper mapper, Platforms platforms) {
        this.publishings = publishings;
        this.mapper = mapper;
        this.platforms = platforms;
    }

    /** 200 with one preview per platform; 400 unknown platform; 409 no stored video or another owner's. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> preview(@PathParam("projectId") UUID projectId, @Valid @NotNull PreviewRequest body) {
        Set<Platform> platforms = new LinkedHashSet<>();
        List<String> unknown = new ArrayList<>();
        for (String name : body.platforms()) {
            Optional<Platform> platform = Platform.of(name);
            platform.ifPresentOrElse(platforms::add, () -> unknown.add("platforms: '" + name
                    + "' is not one of youtube, tiktok, instagram"));
        }
        if (!unknown.isEmpty()) {
            return Uni.createFrom().item(new ErrorResponse("Unknown platform", unknown).toResponse(Response.Status.BAD_REQUEST));
        }
        return Panache.withSession(() -> Video.latestOf(projectId)).map(video -> {
            if (video == null || !video.ownerId.equals(body.ownerId())) {
                return new ErrorResponse("Video not stored", List.of("project " + projectId + " has no stored video of " + body.ownerId()))
                        .toResponse(Response.Status.CONFLICT);
            }
            Publishing draft = new Publishing();
            draft.metadata = json(body.metadata());
            VideoMetadata metadata = publishings.effectiveMetadata(video, draft);
            return Response.ok(platforms.stream().map(platform -> adapt(platform, metadata)).toList()).build();
        });
    }

    private PlatformPreview adapt(Platform platform, VideoMetadata metadata) {
        PlatformMetadata adapted = platforms.of(platform).adapt(metadata);
        return new PlatformPreview(platform.id(), adapted.title(), adapted.description(), adapted.tags(), adapted.text());
    }

    private String json(VideoMetadata metadata) {
        try {
            return metadata == null ? null : mapper.writeValueAsString(metadata);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
