package io.contentmachine.kit.outbox;

import java.time.Instant;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.contentmachine.kit.tracing.Traces;
import io.contentmachine.kit.transaction.AfterCommit;
import io.smallrye.mutiny.Uni;

/** Records events in the transactional outbox; call it inside the transaction that makes the change durable. */
@ApplicationScoped
public class Outbox {

    private final ObjectMapper mapper;
    private final OutboxRelay relay;

    Outbox(ObjectMapper mapper, OutboxRelay relay) {
        this.mapper = mapper;
        this.relay = relay;
    }

    /** Adds an event for {@code topic}; the CloudEvents type is derived from the topic (contentmachine.TOPIC.v1). */
    public Uni<Void> add(String topic, UUID eventId, UUID projectId, Object event) {
        OutboxEvent row;
        try {
            row = row(topic, eventId, projectId, event);
        } catch (IllegalStateException e) {
            return Uni.createFrom().failure(e);
        }
        // the relay sends at commit; its timer is the fallback
        return AfterCommit.run(relay::wake).chain(row::persist).replaceWithVoid();
    }

    /** For a caller that inserted {@link #row} rows itself: call once its transaction committed, so they leave now. */
    public void committed() {
        relay.wake();
    }

    /**
     * The row {@link #add} would persist, for a caller that writes it together with its change in one SQL statement
     * (its columns: id, topic, record_key, type, payload, created_at and trace_context). The row carries the current span as its
     * trace context: the relay sends the record as that span's child, so the event continues the trace of what wrote it.
     */
    public OutboxEvent row(String topic, UUID eventId, UUID projectId, Object event) {
        OutboxEvent row = new OutboxEvent();
        row.id = eventId;
        row.topic = topic;
        row.recordKey = projectId.toString();
        row.type = "contentmachine." + topic + ".v1";
        row.createdAt = Instant.now();
        row.traceContext = Traces.traceparent();
        try {
            row.payload = mapper.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize " + topic + " event", e);
        }
        return row;
    }
}
