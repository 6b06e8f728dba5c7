package io.contentmachine.api.webhooks;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.contentmachine.api.api.ApiException;
import io.contentmachine.api.domain.Caller;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;

/** An owner's webhook endpoints and their delivery logs: every read and write is scoped to the caller's owner. */
@ApplicationScoped
public class WebhookService {

    private static final String OWNER_LOCK = "select pg_advisory_xact_lock(hashtext('webhooks:' || ?1))";

    private final WebhookConfig config;
    private final AddressGuard guard;
    private final WebhookSecrets secrets;

    WebhookService(WebhookConfig config, AddressGuard guard, WebhookSecrets secrets) {
        this.config = config;
        this.guard = guard;
        this.secrets = secrets;
    }

    /** Checks the URL (form, then every address its host resolves to) and stores the endpoint; the secret is in the answer only. */
    public Uni<WebhookViews.Endpoint> register(Caller caller, WebhookViews.Register request) {
        if (request == null) {
            throw ApiException.badRequest("Validation failed", List.of("body: required"));
        }
        request.rejectUndeclared();
        List<String> details = request.problems();
        URI uri = null;
        try {
            uri = guard.parse(request.url);
        } catch (AddressGuard.Refused refused) {
            details.add(0, "url: " + refused.getMessage());
        }
        if (!details.isEmpty()) {
            throw ApiException.badRequest("Invalid webhook endpoint", details);
        }
        String url = uri.toString();
        return guard.resolve(uri)
                .onFailure(AddressGuard.Refused.class)
                .transform(e -> ApiException.badRequest("Invalid webhook endpoint", List.of("url: " + e.getMessage())))
                .chain(target -> Panache.withTransaction(() -> Panache.getSession()
                        // one owner's registrations in turn, so two at once cannot both pass the count
                        .chain(session -> session.createNativeQuery(OWNER_LOCK).setParameter(1, caller.ownerId()).getSingleResult())
                        .chain(() -> WebhookEndpoint.count("ownerId", caller.ownerId()))
                        .chain(count -> {
                            if (count >= config.maxEndpointsPerOwner()) {
                                return Uni.createFrom().failure(new ApiException(409, "Too many webhook endpoints",
                                        List.of("endpoints: at most " + config.maxEndpointsPerOwner() + " per owner; delete one first"),
                                        null, null));
                            }
                            String secret = secrets.newSecret();
                            WebhookEndpoint endpoint = new WebhookEndpoint();
                            endpoint.id = UUID.randomUUID();
                            endpoint.ownerId = caller.ownerId();
                            endpoint.url = url;
                            endpoint.description = request.description;
                            endpoint.events = request.events == null ? null
                                    : String.join(",", request.events.stream().distinct().toList());
                            endpoint.secret = secrets.seal(secret);
                            endpoint.createdAt = Instant.now();
                            return endpoint.persist().map(saved -> WebhookViews.Endpoint.of(endpoint, secret));
                        })));
    }

    public Uni<WebhookViews.Endpoints> list(Caller caller) {
        return Panache.withSession(() -> WebhookEndpoint.<WebhookEndpoint>list("ownerId", Sort.by("createdAt").and("id"),
                        caller.ownerId()))
                .map(all -> new WebhookViews.Endpoints(all.stream().map(e -> WebhookViews.Endpoint.of(e, null)).toList()));
    }

    public Uni<WebhookViews.Endpoint> get(Caller caller, UUID id) {
        return Panache.withSession(() -> owned(caller, id)).map(e -> WebhookViews.Endpoint.of(e, null));
    }

    public Uni<Void> delete(Caller caller, UUID id) {
        return Panache.withTransaction(() -> owned(caller, id).chain(endpoint -> endpoint.delete()));
    }

    /** A new secret; the current one keeps signing (a second v1=) for webhooks.rotation-overlap. */
    public Uni<WebhookViews.Endpoint> rotate(Caller caller, UUID id) {
        return Panache.withTransaction(() -> owned(caller, id).map(endpoint -> {
            String secret = secrets.newSecret();
            endpoint.previousSecret = endpoint.secret;
            endpoint.previousSecretExpiresAt = Instant.now().plus(config.rotationOverlap());
            endpoint.secret = secrets.seal(secret);
            return WebhookViews.Endpoint.of(endpoint, secret);
        }));
    }

    /** Enables a disabled endpoint again: its pending deliveries get a fresh retry window and go out at once. */
    public Uni<WebhookViews.Endpoint> enable(Caller caller, UUID id) {
        return Panache.withTransaction(() -> owned(caller, id).call(endpoint -> {
            endpoint.disabledAt = null;
            endpoint.disabledReason = null;
            Instant now = Instant.now();
            return WebhookDelivery.update("nextAttemptAt = ?1, deadline = ?2 where endpointId = ?3 and status = ?4", now,
                    now.plus(config.retryWindow()), id, WebhookDelivery.PENDING);
        })).map(endpoint -> WebhookViews.Endpoint.of(endpoint, null));
    }

    /** The endpoint's deliveries, newest first. */
    public Uni<WebhookViews.Deliveries> deliveries(Caller caller, UUID id, int limit) {
        return Panache.withSession(() -> owned(caller, id).chain(endpoint -> WebhookDelivery.<WebhookDelivery>find("endpointId",
                Sort.descending("createdAt", "sequence", "id"), id).page(0, limit).list()))
                .map(all -> new WebhookViews.Deliveries(all.stream().map(WebhookViews.Delivery::of).toList()));
    }

    /** Sends a delivery's event again, as a new delivery (same event id and body, fresh retry window). */
    public Uni<WebhookViews.Delivery> resend(Caller caller, UUID id, UUID deliveryId) {
        return Panache.withTransaction(() -> owned(caller, id).chain(endpoint -> {
            if (endpoint.disabledAt != null) {
                return Uni.createFrom().failure(new ApiException(409, "Webhook endpoint disabled",
                        List.of("endpoint: enable it first with POST /api/webhooks/" + id + "/enable"), null, null));
            }
            return WebhookDelivery.<WebhookDelivery>find("id = ?1 and endpointId = ?2", deliveryId, id).firstResult().chain(original -> {
                if (original == null) {
                    return Uni.createFrom().failure(ApiException.notFound());
                }
                Instant now = Instant.now();
                WebhookDelivery again = WebhookDelivery.pending(id, original.eventId, original.eventType, original.projectId,
                        original.sequence, original.payload, now, now.plus(config.retryWindow()));
                again.resendOf = original.id;
                return again.persist().map(saved -> WebhookViews.Delivery.of(again));
            });
        }));
    }

    private static Uni<WebhookEndpoint> owned(Caller caller, UUID id) {
        return WebhookEndpoint.<WebhookEndpoint>findById(id).map(endpoint -> {
            if (endpoint == null || !endpoint.ownerId.equals(caller.ownerId())) {
                throw ApiException.notFound();
            }
            return endpoint;
        });
    }
}
