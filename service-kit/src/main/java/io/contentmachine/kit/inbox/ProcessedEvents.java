package io.contentmachine.kit.inbox;

import java.util.UUID;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * Idempotent consumers: an event's effect runs only when its eventId is recorded here for the first time,
 * in the same transaction as the effect.
 */
@ApplicationScoped
public class ProcessedEvents {

    private static final String RECORD = "insert into processed_events (event_id, consumer, processed_at) values (?1, ?2, now())"
            + " on conflict do nothing";

    /** Runs {@code effect} unless this consumer already processed the event; call inside a transaction. */
    public Uni<Void> once(UUID eventId, String consumer, Supplier<Uni<?>> effect) {
        return Panache.getSession()
                .chain(session -> session.createNativeQuery(RECORD).setParameter(1, eventId).setParameter(2, consumer).executeUpdate())
                .chain(inserted -> inserted == 1 ? effect.get().replaceWithVoid() : Uni.createFrom().voidItem());
    }
}
