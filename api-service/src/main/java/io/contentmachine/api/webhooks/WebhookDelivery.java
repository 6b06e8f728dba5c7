package io.contentmachine.api.webhooks;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/** One event for one endpoint, and where its delivery stands (pending, delivered, failed). */
@Entity
@Table(name = "webhook_deliveries")
public class WebhookDelivery extends PanacheEntityBase {

    public static final String PENDING = "pending";

    @Id
    public UUID id;

    @Column(name = "endpoint_id")
    public UUID endpointId;

    @Column(name = "event_id")
    public UUID eventId;

    @Column(name = "event_type")
    public String eventType;

    @Column(name = "project_id")
    public UUID projectId;

    public long sequence;

    /** The JSON body sent, byte for byte the same at every attempt. */
    public String payload;

    public String status;

    public int attempts;

    @Column(name = "next_attempt_at")
    public Instant nextAttemptAt;

    @Column(name = "lease_until")
    public Instant leaseUntil;

    public Instant deadline;

    @Column(name = "last_attempt_at")
    public Instant lastAttemptAt;

    @Column(name = "last_status_code")
    public Integer lastStatusCode;

    @Column(name = "last_error")
    public String lastError;

    /** The delivery this one resends, if any. */
    @Column(name = "resend_of")
    public UUID resendOf;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "delivered_at")
    public Instant deliveredAt;

    static WebhookDelivery pending(UUID endpointId, UUID eventId, String type, UUID projectId, long sequence, String payload,
            Instant now, Instant deadline) {
        WebhookDelivery delivery = new WebhookDelivery();
        delivery.id = UUID.randomUUID();
        delivery.endpointId = endpointId;
        delivery.eventId = eventId;
        delivery.eventType = type;
        delivery.projectId = projectId;
        delivery.sequence = sequence;
        delivery.payload = payload;
        delivery.status = PENDING;
        delivery.nextAttemptAt = now;
        delivery.deadline = deadline;
        delivery.createdAt = now;
        return delivery;
    }
}
