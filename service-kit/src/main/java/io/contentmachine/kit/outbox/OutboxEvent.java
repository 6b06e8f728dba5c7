package io.contentmachine.kit.outbox;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/**
 * An event waiting to be sent to Kafka. Written in the same transaction as the state change it announces,
 * so the two never diverge; {@link OutboxRelay} sends it and deletes it.
 */
@Entity
@Table(name = "outbox")
public class OutboxEvent extends PanacheEntityBase {

    /** The event's eventId: also the CloudEvents ce_id, stable across resends. */
    @Id
    public UUID id;

    public String topic;

    /** Kafka record key: the projectId. */
    @Column(name = "record_key")
    public String recordKey;

    /** CloudEvents ce_type, e.g. contentmachine.video.requested.v1. */
    public String type;

    public String payload;

    @Column(name = "created_at")
    public Instant createdAt;

    /** The W3C traceparent of the span that wrote the row, the parent of the record's producer span; null when none was traced. */
    @Column(name = "trace_context")
    public String traceContext;
}
