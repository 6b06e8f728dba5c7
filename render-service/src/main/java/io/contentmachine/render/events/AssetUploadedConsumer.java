package io.contentmachine.render.events;

import jakarta.enterprise.context.ApplicationScoped;

import io.contentmachine.events.AssetUploaded;
import io.contentmachine.kit.inbox.ProcessedEvents;
import io.contentmachine.kit.json.EventReader;
import io.contentmachine.kit.tracing.TracedConsumer;
import io.contentmachine.render.asset.AssetJobs;
import io.contentmachine.render.asset.AssetWorker;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Records a normalise job for each asset.uploaded and acks; {@link AssetWorker}, woken at commit, probes and normalises it.
 * An unreadable message goes to the dead-letter topic (it names no project to fail).
 */
@ApplicationScoped
@TracedConsumer
public class AssetUploadedConsumer {

    private static final Logger LOG = Logger.getLogger(AssetUploadedConsumer.class);
    private static final String CONSUMER = "render-service.asset-uploaded";

    private final EventReader reader;
    private final ProcessedEvents processed;
    private final AssetJobs jobs;
    private final AssetWorker worker;

    AssetUploadedConsumer(EventReader reader, ProcessedEvents processed, AssetJobs jobs, AssetWorker worker) {
        this.reader = reader;
        this.processed = processed;
        this.jobs = jobs;
        this.worker = worker;
    }

    @Incoming("asset-uploaded")
    public Uni<Void> consume(ConsumerRecord<String, String> record) {
        AssetUploaded event;
        try {
            event = reader.read(record.value(), AssetUploaded.class);
            if (event.getEventId() == null || event.getAssetId() == null || event.getOwnerId() == null || event.getKind() == null) {
                throw new IllegalArgumentException("missing eventId, assetId, ownerId or kind");
            }
        } catch (Exception e) {
            return Uni.createFrom().failure(new IllegalArgumentException("unreadable asset.uploaded: " + e.getMessage(), e));
        }
        return Panache.withTransaction(() -> processed.once(event.getEventId(), CONSUMER,
                () -> jobs.enqueue(event.getAssetId(), event.getEventId(), event.getOwnerId(), event.getKind().value(),
                        event.getContentType())
                        .invoke(created -> LOG.infof("asset %s: normalise job %s", event.getAssetId(),
                                created ? "queued" : "already exists (or the asset was deleted), event ignored"))
                        .call(created -> created ? worker.wakeAfterCommit() : Uni.createFrom().voidItem())
                        .replaceWithVoid()));
    }
}
