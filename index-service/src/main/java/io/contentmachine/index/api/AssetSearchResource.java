package io.contentmachine.index.api;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.contentmachine.index.asset.AssetIndex;
import io.smallrye.common.annotation.Blocking;

/** Matches a text with an owner's ready media assets, for render-service's scenes and music (internal token required). */
@Path("/index/assets")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class AssetSearchResource {

    static final int DEFAULT_LIMIT = 5;

    private final AssetIndex index;

    public AssetSearchResource(AssetIndex index) {
        this.index = index;
    }

    /** Only that owner's ready assets of the kinds asked (any when none), best first, at least the minimum score similar. */
    @POST
    @Path("/search")
    public IndexResponses.AssetSearch search(@NotNull @Valid IndexRequests.AssetSearch request) {
        int limit = request.limit() == null ? DEFAULT_LIMIT : request.limit();
        return new IndexResponses.AssetSearch(index.search(request.ownerId(), request.text(), request.kinds(), limit).stream()
                .map(m -> new IndexResponses.AssetMatch(m.assetId(), m.kind(), m.score(), m.description(), m.tags()))
                .toList());
    }
}
