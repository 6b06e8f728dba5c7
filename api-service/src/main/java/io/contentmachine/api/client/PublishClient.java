package io.contentmachine.api.client;

import java.util.UUID;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.mutiny.Uni;
import org.eclipse.microprofile.rest.client.annotation.ClientHeaderParam;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * publish-service's internal API. Answers are passed through as JSON (Response), so its error bodies
 * (e.g. 409 naming a platform without an account) reach the caller unchanged.
 */
@RegisterRestClient(configKey = "publish-service")
@ClientHeaderParam(name = "X-Internal-Token", value = "${internal.token}")
@Path("/publish")
public interface PublishClient {

    @POST
    @Path("/projects/{projectId}/publishings")
    @Consumes(MediaType.APPLICATION_JSON)
    Uni<Response> publish(@PathParam("projectId") UUID projectId, JsonNode request);

    @POST
    @Path("/projects/{projectId}/preview")
    @Consumes(MediaType.APPLICATION_JSON)
    Uni<Response> preview(@PathParam("projectId") UUID projectId, JsonNode request);

    @GET
    @Path("/projects/{projectId}/publishings")
    Uni<Response> publishings(@PathParam("projectId") UUID projectId);

    @GET
    @Path("/accounts/{ownerId}/{platform}")
    Uni<Response> account(@PathParam("ownerId") String ownerId, @PathParam("platform") String platform);

    @GET
    @Path("/accounts/{ownerId}/tiktok/creator-info")
    Uni<Response> tiktokCreatorInfo(@PathParam("ownerId") String ownerId);

    @PUT
    @Path("/accounts/{ownerId}/{platform}")
    @Consumes(MediaType.APPLICATION_JSON)
    Uni<Response> putAccount(@PathParam("ownerId") String ownerId, @PathParam("platform") String platform, JsonNode body);

    @DELETE
    @Path("/accounts/{ownerId}/{platform}")
    Uni<Response> deleteAccount(@PathParam("ownerId") String ownerId, @PathParam("platform") String platform);

    @GET
    @Path("/oauth/{platform}/start")
    Uni<Response> oauthStart(@PathParam("platform") String platform, @QueryParam("ownerId") String ownerId);

    @GET
    @Path("/oauth/{platform}/callback")
    Uni<Response> oauthCallback(@PathParam("platform") String platform, @QueryParam("code") String code, @QueryParam("state") String state,
            @QueryParam("error") String error, @QueryParam("error_description") String errorDescription);
}
