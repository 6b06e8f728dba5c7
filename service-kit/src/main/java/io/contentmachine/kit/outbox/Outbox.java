package io.contentmachine.kit.outbox;

import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import jakarta.enterprise.context.ApplicationScoped;

import org.hibernate.reactive.engine.ReactiveAfterTransactionCompletionProcess;
import org.hibernate.reactive.mutiny.Mutiny;
import org.hibernate.reactive.mutiny.impl.MutinySessionImpl;
import org.hibernate.reactive.session.ReactiveSession;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.hibernate.reactive.panache.Panache;
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
        return Panache.getSession().invoke(this::wakeAfterCommit).chain(row::persist).replaceWithVoid();
    }

    /** For a caller that inserted {@link #row} rows itself: call once its transaction committed, so they leave now. */
    public void committed() {
        relay.wake();
    }

    /**
     * Hibernate Reactive runs this once the session's transaction ended; only a commit has rows to send. (Its public API
     * has no after-commit callback: the action queue is reached through the session implementation; should that ever
     * change shape, the rows still leave on the relay's timer.)
     */
    private void wakeAfterCommit(Mutiny.Session session) {
        if (!(session instanceof MutinySessionImpl implementation)) {
            return;
        }
        ReactiveAfterTransactionCompletionProcess wake = (success, ignored) -> {
            if (success) {
                relay.wake();
            }
            return CompletableFuture.completedFuture(null);
        };
        implementation.unwrap(ReactiveSession.class).getReactiveActionQueue().registerProcess(wake);
    }

    /**
     * The row {@link #add} would persist, for a caller that writes it together with its change in one SQL statement
     * (its columns: id, topic, record_key, type, payload, created_at and the nullable trace_context).
     */
    public OutboxEvent row(String topic, UUID eventId, UUID projectId, Object event) {
        OutboxEvent row = new OutboxEvent();
        row.id = eventId;
        row.topic = topic;
        row.recordKey = projectId.toString();
        row.type = "contentmachine." + topic + ".v1";
        row.createdAt = Instant.now();
        try {
            row.payload = mapper.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize " + topic + " event", e);
        }
        return row;
    }
}
