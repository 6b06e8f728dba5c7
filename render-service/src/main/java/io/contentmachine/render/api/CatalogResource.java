package io.contentmachine.render.api;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** GET /render/catalog (internal: requires X-Internal-Token). */
@Path("/render/catalog")
public class CatalogResource {

    private static final Catalog CATALOG = Catalog.current();

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Catalog catalog() {
        return CATALOG;
    }
}
