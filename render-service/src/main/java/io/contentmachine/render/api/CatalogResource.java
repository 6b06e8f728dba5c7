package io.contentmachine.render.api;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.contentmachine.render.config.LlmConfig;
import io.contentmachine.render.voice.VoiceCatalog;

/** GET /render/catalog (internal: requires X-Internal-Token). */
@Path("/render/catalog")
public class CatalogResource {

    private final Catalog catalog;

    CatalogResource(VoiceCatalog voices, LlmConfig llm) {
        this.catalog = Catalog.of(voices.all(), llm.baseUrl().filter(url -> !url.isBlank()).isPresent());
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Catalog catalog() {
        return catalog;
    }
}
