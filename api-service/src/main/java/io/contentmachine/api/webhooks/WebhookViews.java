package io.contentmachine.api.webhooks;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonRawValue;
import io.contentmachine.api.api.StrictJson;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Request and response bodies of /api/webhooks. */
public final class WebhookViews {

    private WebhookViews() {
    }

    /** Body of POST /api/webhooks. */
    @Schema(name = "WebhookRequest")
    public static class Register extends StrictJson {

        @Schema(required = true, description = "https URL events are POSTed to (http only where the operator allows it)",
                example = "https://example.com/hooks/content-machine")
        public String url;

        @Schema(description = "Up to 200 characters, for your own reference")
        public String description;

        @Schema(description = "Event types to receive; omitted = all", enumeration = {WebhookEvents.PROJECT_STATUS,
            WebhookEvents.PUBLISHING_STATUS})
        public List<String> events;

        /** Every problem with the body, as "field: rule". */
        List<String> problems() {
            List<String> details = new ArrayList<>();
            if (description != null && description.length() > 200) {
                details.add("description: at most 200 characters");
            }
            if (events != null) {
                if (events.isEmpty()) {
                    details.add("events: at least one event type, or omit it for all");
                }
                for (String type : events) {
                    if (type == null || !WebhookEvents.TYPES.contains(type)) {
                        details.add("events: unknown event type " + type + "; known: " + String.join(", ", WebhookEvents.TYPES));
                    }
                }
            }
            return details;
        }
    }

    /** An endpoint as its owner sees it; the secret only in the answer that creates or rotates it. */
    @Schema(name = "WebhookEndpoint")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Endpoint(UUID id, String url, String description, List<String> events,
            @Schema(enumeration = {"enabled", "disabled"}) String status,
            @Schema(description = "Why deliveries stopped (retry window exhausted), while disabled") String disabledReason,
            Instant disabledAt, Instant createdAt,
            @Schema(description = "Until when the secret before the last rotation also signs deliveries") Instant previousSecretExpiresAt,
            @Schema(description = "The signing secret: shown only when the endpoint is created or its secret rotated") String secret) {

        static Endpoint of(WebhookEndpoint e, String secret) {
            Instant previous = e.previousSecretExpiresAt != null && e.previousSecretExpiresAt.isAfter(Instant.now())
                    ? e.previousSecretExpiresAt : null;
            return new Endpoint(e.id, e.url, e.description, e.eventTypes(), e.disabledAt == null ? "enabled" : "disabled",
                    e.disabledReason, e.disabledAt, e.createdAt, previous, secret);
        }
    }

    @Schema(name = "WebhookEndpointList")
    public record Endpoints(List<Endpoint> items) {
    }

    /** One delivery in an endpoint's log. */
    @Schema(name = "WebhookDelivery")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Delivery(UUID id, UUID eventId, String eventType, UUID projectId, long sequence,
            @Schema(enumeration = {"pending", "delivered", "failed"}) String status, int attempts, Instant createdAt,
            Instant lastAttemptAt, @Schema(description = "While pending") Instant nextAttemptAt, Instant deliveredAt,
            Integer lastStatusCode, String lastError, @Schema(description = "The delivery this one resends") UUID resendOf,
            @Schema(description = "The event exactly as sent", implementation = Map.class) @JsonRawValue String payload) {

        static Delivery of(WebhookDelivery d) {
            return new Delivery(d.id, d.eventId, d.eventType, d.projectId, d.sequence, d.status, d.attempts, d.createdAt,
                    d.lastAttemptAt, WebhookDelivery.PENDING.equals(d.status) ? d.nextAttemptAt : null, d.deliveredAt,
                    d.lastStatusCode, d.lastError, d.resendOf, d.payload);
        }
    }

    @Schema(name = "WebhookDeliveryList")
    public record Deliveries(List<Delivery> items) {
    }
}
