package io.contentmachine.index.events;

import java.util.function.Consumer;

import jakarta.enterprise.context.ApplicationScoped;

import io.contentmachine.events.AssetDeleted;
import io.contentmachine.events.AssetReady;
import io.contentmachine.index.asset.AssetIndex;
import io.contentmachine.kit.json.EventReader;
import io.contentmachine.kit.tracing.TracedConsumer;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Keeps the {@code assets} collection in step with the owners' media library: asset.ready indexes, asset.deleted removes.
 * Idempotent without a processed-events table (point id = assetId, the same event writes the same values; a deletion is a
 * tombstone). An event that cannot be parsed or applied fails the Uni and goes to {@code <topic>.index-service.dlq}.
 */
@ApplicationScoped
@TracedConsumer
public class AssetEventsConsumer {

    private static final Logger LOG = Logger.getLogger(AssetEventsConsumer.class);

    private final EventReader events;
    private final AssetIndex index;
    private final Vertx vertx;

    public AssetEventsConsumer(EventReader events, AssetIndex index, Vertx vertx) {
        this.events = events;
        this.index = index;
        this.vertx = vertx;
    }

    @Incoming("asset-ready")
    public Uni<Void> ready(ConsumerRecord<String, String> record) {
        return apply(record, AssetReady.class, index::indexReady);
    }

    @Incoming("asset-deleted")
    public Uni<Void> deleted(ConsumerRecord<String, String> record) {
        return apply(record, AssetDeleted.class, index::remove);
    }

    private <T> Uni<Void> apply(ConsumerRecord<String, String> record, Class<T> type, Consumer<T> effect) {
        T event;
        try {
            event = events.read(record.value(), type);
        } catch (Exception e) {
            LOG.warnf("unreadable %s event with key %s: %s", record.topic(), record.key(), e.getMessage());
            return Uni.createFrom().failure(new IllegalArgumentException("unreadable " + record.topic() + " event: " + e.getMessage(), e));
        }
        if (event == null) {
            return Uni.createFrom().failure(new IllegalArgumentException("empty " + record.topic() + " event"));
        }
        return vertx.executeBlocking(Uni.createFrom().item(() -> {
            effect.accept(event);
            return true;
        }), false).replaceWithVoid()
                .onFailure().invoke(e -> LOG.warnf(e, "cannot index %s event of asset %s", record.topic(), record.key()));
    }
}
