package io.contentmachine.api.webhooks;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/** An HTTPS endpoint an owner registered to receive events; its secrets are stored encrypted (see WebhookSecrets). */
@Entity
@Table(name = "webhook_endpoints")
public class WebhookEndpoint extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "owner_id")
    public String ownerId;

    public String url;

    public String description;

    /** Comma-separated event types; null = every type. */
    public String events;

    /** Encrypted signing secret. */
    public String secret;

    /** Encrypted secret before the last rotation, still signing until previousSecretExpiresAt. */
    @Column(name = "previous_secret")
    public String previousSecret;

    @Column(name = "previous_secret_expires_at")
    public Instant previousSecretExpiresAt;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "disabled_at")
    public Instant disabledAt;

    @Column(name = "disabled_reason")
    public String disabledReason;

    public List<String> eventTypes() {
        return events == null ? WebhookEvents.TYPES : Arrays.asList(events.split(","));
    }
}
