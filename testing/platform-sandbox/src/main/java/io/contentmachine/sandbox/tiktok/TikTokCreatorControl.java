package io.contentmachine.sandbox.tiktok;

import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** Test control of the TikTok creator and the app's audit state: see, change (fields present only) and reset them. */
@Path("/sandbox/tiktok/creator")
@Produces(MediaType.APPLICATION_JSON)
public class TikTokCreatorControl {

    @Inject
    TikTokCreator creator;

    @GET
    public TikTokCreator.Settings get() {
        return creator.settings();
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    public Response change(Map<String, Object> changes) {
        try {
            return Response.ok(creator.change(changes == null ? Map.of() : changes)).build();
        } catch (IllegalArgumentException e) {
            return Response.status(400).entity(Map.of("error", e.getMessage())).build();
        }
    }

    @DELETE
    public TikTokCreator.Settings reset() {
        return creator.reset();
    }
}
