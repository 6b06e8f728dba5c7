package io.contentmachine.publish.api;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.contentmachine.kit.errors.ErrorResponse;
import io.contentmachine.publish.accounts.CredentialResolver;
import io.contentmachine.publish.domain.Platform;
import io.contentmachine.publish.platform.PlatformException;
import io.contentmachine.publish.platform.tiktok.TikTokCreators;
import io.smallrye.mutiny.Uni;

/**
 * What a TikTok post screen needs (TikTok's rule: ask creator_info each time): the creator's names, the privacy levels
 * they may choose (no default), the interactions they disabled and the longest video they may post.
 */
@Path("/publish/accounts/{ownerId}/tiktok/creator-info")
@Produces(MediaType.APPLICATION_JSON)
public class CreatorInfoResource {

    private final TikTokCreators creators;

    CreatorInfoResource(TikTokCreators creators) {
        this.creators = creators;
    }

    /** 200 the creator; 409 no connected TikTok account; 502 TikTok refused or could not be reached (its reason). */
    @GET
    public Uni<Response> get(@PathParam("ownerId") String ownerId) {
        return creators.of(ownerId)
                .map(creator -> creator.map(found -> Response.ok(found).build()).orElseGet(() ->
                        ErrorResponse.of(CredentialResolver.notConnected(Platform.TIKTOK)).toResponse(Response.Status.CONFLICT)))
                .onFailure(PlatformException.class).recoverWithItem(e -> ErrorResponse.of("TikTok did not answer creator_info: "
                        + e.getMessage()).toResponse(Response.Status.BAD_GATEWAY));
    }
}
