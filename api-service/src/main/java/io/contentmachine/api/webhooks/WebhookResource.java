package io.contentmachine.api.webhooks;

import java.net.URI;
import java.util.List;
import java.util.UUID;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.contentmachine.api.api.ApiException;
import io.contentmachine.api.api.CurrentCaller;
import io.contentmachine.kit.errors.ErrorResponse;
import io.smallrye.mutiny.Uni;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The caller's webhook endpoints: register, list, rotate the secret, enable again, the delivery log, resend. */
@Path("/api/webhooks")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "webhooks", description = "Project and publishing status changes POSTed as JSON to your HTTPS endpoint. Each request "
        + "carries Webhook-Id (the event id; deduplicate on it) and Webhook-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256, keyed "
        + "with the secret's UTF-8 bytes, of \"<t>.<raw body>\">, with a second v1= while a rotated secret overlaps. A non-2xx answer "
        + "or a timeout is retried with exponential backoff for 24 h, then the endpoint is disabled (disabledReason says why).")
@SecurityRequirement(name = "bearer")
@SecurityRequirement(name = "apiKey")
@APIResponse(responseCode = "401", description = "Missing or invalid API key",
        content = @Content(schema = @Schema(implementation = ErrorResponse.class)))
public class WebhookResource {

    private static final String NOT_FOUND = "No such endpoint (or another owner's)";

    private final WebhookService webhooks;
    private final CurrentCaller caller;

    WebhookResource(WebhookService webhooks, CurrentCaller caller) {
        this.webhooks = webhooks;
        this.caller = caller;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Register an endpoint", description = "The URL must be https and its host must resolve to public addresses only "
            + "(checked again at every delivery). The answer holds the signing secret: it is shown this once.")
    @APIResponse(responseCode = "201", description = "Registered; keep the secret", content = @Content(
            schema = @Schema(implementation = WebhookViews.Endpoint.class), examples = @ExampleObject(name = "created", value = "{\"id\":"
                    + "\"5f0c6d1e-8a51-4c1f-9d7e-2b3a4c5d6e7f\",\"url\":\"https://example.com/hooks\","
                    + "\"events\":[\"project.status_changed\","
                    + "\"publishing.status_changed\"],\"status\":\"enabled\",\"createdAt\":\"2026-12-06T12:00:00Z\","
                    + "\"secret\":\"whsec_3q2+7w...\"}")))
    @APIResponse(responseCode = "400", description = "Malformed, plain-http or private URL, unknown event type, undeclared field",
            content = @Content(schema = @Schema(implementation = ErrorResponse.class), examples = {
                @ExampleObject(name = "http", value = "{\"error\":\"Invalid webhook endpoint\",\"details\":[\"url: must use https (plain "
                        + "http is not accepted)\"]}"),
                @ExampleObject(name = "private", value = "{\"error\":\"Invalid webhook endpoint\",\"details\":[\"url: host localhost "
                        + "resolves to 127.0.0.1, a loopback address; webhooks are only sent to public addresses\"]}")}))
    @APIResponse(responseCode = "409", description = "The owner already has the most endpoints allowed",
            content = @Content(schema = @Schema(implementation = ErrorResponse.class)))
    public Uni<Response> register(WebhookViews.Register request) {
        return webhooks.register(caller.get(), request)
                .map(created -> Response.status(201).location(URI.create("/api/webhooks/" + created.id())).entity(created).build());
    }

    @GET
    @Operation(summary = "The caller's endpoints (without secrets)")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = WebhookViews.Endpoints.class)))
    public Uni<WebhookViews.Endpoints> list() {
        return webhooks.list(caller.get());
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One endpoint (without its secret); a disabled one says why")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = WebhookViews.Endpoint.class)))
    @APIResponse(responseCode = "404", description = NOT_FOUND, content = @Content(schema = @Schema(implementation = ErrorResponse.class)))
    public Uni<WebhookViews.Endpoint> get(@PathParam("id") String id) {
        return webhooks.get(caller.get(), uuid(id, "id"));
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Delete an endpoint and its delivery log")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "404", description = NOT_FOUND, content = @Content(schema = @Schema(implementation = ErrorResponse.class)))
    public Uni<Response> delete(@PathParam("id") String id) {
        return webhooks.delete(caller.get(), uuid(id, "id")).replaceWith(Response.noContent().build());
    }

    @POST
    @Path("/{id}/rotate-secret")
    @Operation(summary = "Rotate the signing secret", description = "Returns the new secret (shown this once). Until "
            + "previousSecretExpiresAt (webhooks.rotation-overlap after the rotation) deliveries carry two v1= signatures, "
            + "one per secret, so receivers can switch without missing an event.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = WebhookViews.Endpoint.class)))
    @APIResponse(responseCode = "404", description = NOT_FOUND, content = @Content(schema = @Schema(implementation = ErrorResponse.class)))
    public Uni<WebhookViews.Endpoint> rotate(@PathParam("id") String id) {
        return webhooks.rotate(caller.get(), uuid(id, "id"));
    }

    @POST
    @Path("/{id}/enable")
    @Operation(summary = "Enable a disabled endpoint",
            description = "Its pending deliveries are retried at once, with a fresh retry window.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = WebhookViews.Endpoint.class)))
    @APIResponse(responseCode = "404", description = NOT_FOUND, content = @Content(schema = @Schema(implementation = ErrorResponse.class)))
    public Uni<WebhookViews.Endpoint> enable(@PathParam("id") String id) {
        return webhooks.enable(caller.get(), uuid(id, "id"));
    }

    @GET
    @Path("/{id}/deliveries")
    @Operation(summary = "The endpoint's delivery log, newest first", description = "Each delivery with its event, attempts, last status "
            + "code or error, and next attempt while pending.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = WebhookViews.Deliveries.class)))
    @APIResponse(responseCode = "400", description = "Bad limit",
            content = @Content(schema = @Schema(implementation = ErrorResponse.class)))
    @APIResponse(responseCode = "404", description = NOT_FOUND, content = @Content(schema = @Schema(implementation = ErrorResponse.class)))
    public Uni<WebhookViews.Deliveries> deliveries(@PathParam("id") String id,
            @Parameter(description = "1-100, default 50") @QueryParam("limit") String limit) {
        int size = 50;
        if (limit != null) {
            try {
                size = Integer.parseInt(limit);
            } catch (NumberFormatException e) {
                size = -1;
            }
            if (size < 1 || size > 100) {
                throw ApiException.badRequest("Validation failed", List.of("limit: between 1 and 100"));
            }
        }
        return webhooks.deliveries(caller.get(), uuid(id, "id"), size);
    }

    @POST
    @Path("/{id}/deliveries/{deliveryId}/resend")
    @Operation(summary = "Send a delivery's event again", description = "A new delivery with the same event id, body and sequence number, "
            + "retried like any other.")
    @APIResponse(responseCode = "202", description = "Queued",
            content = @Content(schema = @Schema(implementation = WebhookViews.Delivery.class)))
    @APIResponse(responseCode = "404", description = "No such endpoint or delivery", content = @Content(
            schema = @Schema(implementation = ErrorResponse.class)))
    @APIResponse(responseCode = "409", description = "The endpoint is disabled; enable it first",
            content = @Content(schema = @Schema(implementation = ErrorResponse.class)))
    public Uni<Response> resend(@PathParam("id") String id, @PathParam("deliveryId") String deliveryId) {
        return webhooks.resend(caller.get(), uuid(id, "id"), uuid(deliveryId, "deliveryId"))
                .map(delivery -> Response.accepted(delivery).build());
    }

    private static UUID uuid(String value, String name) {
        try {
            if (value.length() != 36) {
                throw new IllegalArgumentException();
            }
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("Invalid id", List.of(name + ": not a UUID"));
        }
    }
}
