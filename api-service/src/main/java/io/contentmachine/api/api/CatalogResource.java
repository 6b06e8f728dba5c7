package io.contentmachine.api.api;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.contentmachine.api.client.Catalog;
import io.contentmachine.api.client.CatalogCache;
import io.contentmachine.kit.errors.ErrorResponse;
import io.smallrye.mutiny.Uni;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** What a project may ask for: render-service's templates, voices and lengths, as POST /api/videos validates them. Public. */
@Path("/api/catalog")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "videos")
public class CatalogResource {

    private final CatalogCache catalog;

    CatalogResource(CatalogCache catalog) {
        this.catalog = catalog;
    }

    @GET
    @Operation(summary = "The render catalog (public)", description = "The templates, voices and video lengths a project may use; "
            + "config.template, config.voice and config.length of POST /api/videos are checked against it. Needs no API key.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = Catalog.class), examples = @ExampleObject(
            name = "catalog", value = "{\"templates\":[{\"id\":\"tiktok-bold\",\"name\":\"TikTok bold\"}],\"voices\":[{\"id\":\"af_heart\","
                    + "\"language\":\"en-US\",\"engine\":\"festival\",\"scripted\":true}],\"length\":{\"min\":15,\"max\":180}}")))
    @APIResponse(responseCode = "503", description = "render-service's catalog is unavailable and none is cached",
            content = @Content(schema = @Schema(implementation = ErrorResponse.class)))
    public Uni<Catalog> get() {
        return catalog.current();
    }
}
