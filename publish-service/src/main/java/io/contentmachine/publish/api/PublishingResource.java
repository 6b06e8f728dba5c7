package io.contentmachine.publish.api;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.contentmachine.kit.errors.ErrorResponse;
import io.contentmachine.publish.accounts.CredentialResolver;
import io.contentmachine.publish.domain.Platform;
import io.contentmachine.publish.domain.Publishing;
import io.contentmachine.publish.domain.PublishingService;
import io.contentmachine.publish.domain.Video;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/** Publishings of a project (internal; the gateway calls it). */
@Path("/publish/projects/{projectId}/publishings")
@Produces(MediaType.APPLICATION_JSON)
public class PublishingResource {

    private final PublishingService publishings;
    private final CredentialResolver credentials;

    PublishingResource(PublishingService publishings, CredentialResolver credentials) {
        this.publishings = publishings;
        this.credentials = credentials;
    }

    @GET
    public Uni<List<PublishingView>> list(@PathParam("projectId") UUID projectId) {
        return Panache.withSession(() -> Publishing.ofProject(projectId)).map(list -> list.stream().map(PublishingView::of).toList());
    }

    /** 202 with one publishing per platform (an existing one unless republish); 400 unknown platform, 409 no video or no account. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> publish(@PathParam("projectId") UUID projectId, @Valid @NotNull PublishRequestBody body) {
        Set<Platform> platforms = new LinkedHashSet<>();
        List<String> unknown = new ArrayList<>();
        for (String name : body.platforms()) {
            Optional<Platform> platform = Platform.of(name);
            platform.ifPresentOrElse(platforms::add, () -> unknown.add(String.valueOf(name)));
        }
        if (!unknown.isEmpty()) {
            return Uni.createFrom().item(new ErrorResponse("Unknown platform",
                    unknown.stream().map(name -> "platforms: '" + name + "' is not one of youtube, tiktok, instagram").toList())
                    .toResponse(Response.Status.BAD_REQUEST));
        }
        return Panache.withTransaction(() -> Video.latestOf(projectId).chain(video -> {
            if (video == null) {
                return Uni.createFrom().item(conflict("Video not stored", "project " + projectId + " has no stored video yet"));
            }
            if (!video.ownerId.equals(body.ownerId())) {
                return Uni.createFrom().item(conflict("Owner mismatch", "project " + projectId + " does not belong to " + body.ownerId()));
            }
            return missingAccounts(body.ownerId(), platforms).chain(missing -> {
                if (!missing.isEmpty()) {
                    return Uni.createFrom().item(new ErrorResponse("No connected account",
                            missing.stream().map(p -> p.id() + ": owner " + body.ownerId() + " has no connected account").toList())
                            .toResponse(Response.Status.CONFLICT));
                }
                return publishings.request(video, platforms, body.publishAt(), body.metadata(), Boolean.TRUE.equals(body.republish()))
                        .map(list -> Response.accepted(list.stream().map(PublishingView::of).toList()).build());
            });
        }));
    }

    private Uni<List<Platform>> missingAccounts(String ownerId, Set<Platform> platforms) {
        return Multi.createFrom().iterable(platforms)
                .onItem().transformToUniAndConcatenate(p -> credentials.available(ownerId, p).map(ok -> ok ? Optional.<Platform>empty() : Optional.of(p)))
                .filter(Optional::isPresent)
                .map(Optional::get)
                .collect().asList();
    }

    private static Response conflict(String error, String detail) {
        return new ErrorResponse(error, List.of(detail)).toResponse(Response.Status.CONFLICT);
    }
}
