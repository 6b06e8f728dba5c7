package io.contentmachine.api.client;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

import io.smallrye.mutiny.Uni;
import org.eclipse.microprofile.rest.client.annotation.ClientHeaderParam;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** render-service's internal API. */
@RegisterRestClient(configKey = "render-service")
@ClientHeaderParam(name = "X-Internal-Token", value = "${internal.token}")
@Path("/render")
public interface RenderClient {

    @GET
    @Path("/catalog")
    Uni<Catalog> catalog();
}
