package io.contentmachine.publish.api;

import java.util.ArrayList;
import java.util.Arrays;
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

import io.contentmachine.events.types.InstagramPostOptions;
import io.contentmachine.events.types.TikTokPostOptions;
import io.contentmachine.events.types.YouTubePostOptions;
import io.contentmachine.kit.errors.ErrorResponse;
import io.contentmachine.publish.accounts.CredentialResolver;
import io.contentmachine.publish.domain.Platform;
import io.contentmachine.publish.domain.Publishing;
import io.contentmachine.publish.domain.PublishingService;
import io.contentmachine.publish.domain.Video;
import io.contentmachine.publish.platform.PlatformException;
import io.contentmachine.publish.platform.PostOptions;
import io.contentmachine.publish.platform.tiktok.TikTokCreators;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/** Publishings of a project (internal; the gateway calls it). */
@Path("/publish/projects/{projectId}/publishings")
@Produces(MediaType.APPLICATION_JSON)
public class PublishingResource {

    /** TikTok's privacy levels, as the contract knows them. */
    private static final List<String> LEVELS = Arrays.stream(TikTokPostOptions.PrivacyLevel.values())
            .map(TikTokPostOptions.PrivacyLevel::value).toList();

    private final PublishingService publishings;
    private final CredentialResolver credentials;
    private final TikTokCreators creators;

    PublishingResource(PublishingService publishings, CredentialResolver credentials, TikTokCreators creators) {
        this.publishings = publishings;
        this.credentials = credentials;
        this.creators = creators;
    }

    @GET
    public Uni<List<PublishingView>> list(@PathParam("projectId") UUID projectId) {
        return Panache.withSession(() -> Publishing.ofProject(projectId)).map(list -> list.stream().map(PublishingView::of).toList());
    }

    /**
     * 202 with one publishing per platform (an existing one unless republish); 400 unknown platform, or for TikTok a
     * privacy level missing or not among the creator's options (listed); 409 no video, or a platform without a connected
     * account of this owner (then nothing is published anywhere).
     */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> publish(@PathParam("projectId") UUID projectId, @Valid @NotNull PublishRequestBody body) {
        Set<Platform> platforms = new LinkedHashSet<>();
        List<String> unknown = new ArrayList<>();
        for (String name : body.platforms()) {
            Optional<Platform> platform = Platform.of(name);
            platform.ifPresentOrElse(platforms::add, () -> unknown.add(String.valueOf(name)));
        }
        List<String> comments = body.commentProblems();
        if (!comments.isEmpty()) {
            return Uni.createFrom().item(new ErrorResponse("Validation failed", comments).toResponse(Response.Status.BAD_REQUEST));
        }
        if (!unknown.isEmpty()) {
            return Uni.createFrom().item(new ErrorResponse("Unknown platform",
                    unknown.stream().map(name -> "platforms: '" + name + "' is not one of youtube, tiktok, instagram").toList())
                    .toResponse(Response.Status.BAD_REQUEST));
        }
        if (platforms.contains(Platform.TIKTOK)) {
            PublishRequestBody.TikTok chosen = body.tiktok() == null ? new PublishRequestBody.TikTok(null, null, null, null, null, null)
                    : body.tiktok();
            if (chosen.privacyLevel() != null && !LEVELS.contains(chosen.privacyLevel())) {
                return Uni.createFrom().item(ErrorResponse.of("Validation failed", "tiktok.privacyLevel: unknown privacy level '"
                        + chosen.privacyLevel() + "'; valid: " + String.join(", ", LEVELS)).toResponse(Response.Status.BAD_REQUEST));
            }
            PostOptions options = options(body, options(chosen));
            // TikTok is asked only about a stored video of this owner; otherwise request() answers the 409
            return Panache.withSession(() -> Video.latestOf(projectId)).chain(video -> {
                if (video == null || !video.ownerId.equals(body.ownerId())) {
                    return request(projectId, body, platforms, options);
                }
                return tiktokRefusal(body.ownerId(), chosen.privacyLevel()).chain(refusal -> refusal != null
                        ? Uni.createFrom().item(refusal) : request(projectId, body, platforms, options));
            });
        }
        return request(projectId, body, platforms, options(body, null));
    }

    /**
     * TikTok wants the person to choose the privacy level of each post among the creator's options, with no default: a
     * missing level, or one the creator is not offered now, is a 400 listing the options. An unaudited app posts SELF_ONLY
     * whatever was chosen. Without an account nothing is refused here (the account check answers); when TikTok cannot be
     * asked, the choice is checked again before the post.
     */
    private Uni<Response> tiktokRefusal(String ownerId, String privacyLevel) {
        return creators.of(ownerId).map(found -> {
            if (found.isEmpty()) {
                return (Response) null;
            }
            List<String> offered = found.get().privacyLevelOptions();
            if (privacyLevel == null) {
                return ErrorResponse.of("tiktok.privacyLevel is required: choose one of the creator's privacy levels",
                        "tiktok.privacyLevel: one of " + String.join(", ", offered)).toResponse(Response.Status.BAD_REQUEST);
            }
            if (found.get().audited() && !offered.contains(privacyLevel)) {
                return ErrorResponse.of("tiktok.privacyLevel " + privacyLevel + " is not offered to this creator",
                        "tiktok.privacyLevel: one of " + String.join(", ", offered)).toResponse(Response.Status.BAD_REQUEST);
            }
            return null;
        }).onFailure(PlatformException.class).recoverWithItem(e -> privacyLevel != null ? null
                : ErrorResponse.of("tiktok.privacyLevel is required: choose one of the creator's privacy levels",
                        "tiktok.privacyLevel: one of " + String.join(", ", LEVELS)).toResponse(Response.Status.BAD_REQUEST));
    }

    private static TikTokPostOptions options(PublishRequestBody.TikTok chosen) {
        TikTokPostOptions options = new TikTokPostOptions();
        options.setPrivacyLevel(chosen.privacyLevel() == null ? null : TikTokPostOptions.PrivacyLevel.fromValue(chosen.privacyLevel()));
        options.setAllowComment(chosen.allowComment());
        options.setAllowDuet(chosen.allowDuet());
        options.setAllowStitch(chosen.allowStitch());
        options.setBrandContentToggle(chosen.brandContentToggle());
        options.setBrandOrganicToggle(chosen.brandOrganicToggle());
        return options;
    }

    /** The request's per-platform choices as the contract's types. */
    private static PostOptions options(PublishRequestBody body, TikTokPostOptions tiktok) {
        YouTubePostOptions youtube = null;
        if (body.youtube() != null) {
            youtube = new YouTubePostOptions();
            youtube.setMadeForKids(body.youtube().madeForKids());
            youtube.setContainsSyntheticMedia(body.youtube().containsSyntheticMedia());
            youtube.setFirstComment(body.youtube().firstComment());
        }
        InstagramPostOptions instagram = null;
        if (body.instagram() != null) {
            instagram = new InstagramPostOptions();
            instagram.setFirstComment(body.instagram().firstComment());
        }
        return new PostOptions(tiktok, youtube, instagram);
    }

    private Uni<Response> request(UUID projectId, PublishRequestBody body, Set<Platform> platforms, PostOptions options) {
        return Panache.withTransaction(() -> Video.latestOf(projectId).chain(video -> {
            if (video == null) {
                return Uni.createFrom().item(conflict("Video not stored", "project " + projectId + " has no stored video yet"));
            }
            if (!video.ownerId.equals(body.ownerId())) {
                return Uni.createFrom().item(conflict("Owner mismatch", "project " + projectId + " does not belong to " + body.ownerId()));
            }
            return missingAccounts(body.ownerId(), platforms).chain(missing -> {
                if (!missing.isEmpty()) {
                    // nothing is published when one platform lacks an account: the owner connects it and asks again
                    List<String> reasons = missing.stream().map(CredentialResolver::notConnected).toList();
                    return Uni.createFrom().item(new ErrorResponse(reasons.get(0), reasons.size() > 1 ? reasons : List.of())
                            .toResponse(Response.Status.CONFLICT));
                }
                return publishings.request(video, platforms, body.publishAt(), body.metadata(), options,
                        Boolean.TRUE.equals(body.republish()))
                        .map(list -> Response.accepted(list.stream().map(PublishingView::of).toList()).build());
            });
        }));
    }

    private Uni<List<Platform>> missingAccounts(String ownerId, Set<Platform> platforms) {
        return Multi.createFrom().iterable(platforms)
                .onItem().transformToUniAndConcatenate(p -> credentials.available(ownerId, p).map(ok -> ok ? Optional.<Platform>empty()
                : Optional.of(p)))
                .filter(Optional::isPresent)
                .map(Optional::get)
                .collect().asList();
    }

    private static Response conflict(String error, String detail) {
        return new ErrorResponse(error, List.of(detail)).toResponse(Response.Status.CONFLICT);
    }
}
