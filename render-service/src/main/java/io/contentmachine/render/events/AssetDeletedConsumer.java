package io.contentmachine.render.events;

import jakarta.enterprise.context.ApplicationScoped;

import io.contentmachine.events.AssetDeleted;
import io.contentmachine.kit.inbox.ProcessedEvents;
import io.contentmachine.kit.json.EventReader;
import io.contentmachine.kit.tracing.TracedConsumer;
import io.contentmachine.render.asset.AssetJobs;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Cancels the asset's normalise job (queued or running; a running one loses its lease and ffmpeg is killed). */
@ApplicationScoped
@TracedConsumer
public class AssetDeletedConsumer {

    private static final String CONSUMER = "render-service.asset-deleted";

    private final EventReader reader;
    private final ProcessedEvents processed;
    private final AssetJobs jobs;

    AssetDeletedConsumer(EventReader reader, ProcessedEvents processed, AssetJobs jobs) {
        this.reader = reader;
        this.processed = processed;
        this.jobs = jobs;
    }

    @Incoming("asset-deleted")
    public Uni<Void> consume(ConsumerRecord<String, String> record) {
        AssetDeleted event;
        try {
            event = reader.read(record.value(), AssetDeleted.class);
            if (event.getEventId() == null || event.getAssetId() == null) {
                throw new IllegalArgumentException("missing eventId or assetId");
            }
        } catch (Exception e) {
            return Uni.createFrom().failure(new IllegalArgumentException("unreadable asset.deleted: " + e.getMessage(), e));
        }
        String owner = event.getOwnerId() == null ? "unknown" : event.getOwnerId();
        return Panache.withTransaction(() -> processed.once(event.getEventId(), CONSUMER,
                () -> jobs.cancel(event.getAssetId(), owner, "the asset was deleted")));
    }
}
