package io.contentmachine.storage.assets;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import io.contentmachine.storage.config.StorageConfig;
import io.contentmachine.storage.objects.IoPool;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import org.jboss.logging.Logger;

/**
 * Removes asset uploads never completed: once their grant has expired (plus {@code storage.assets.abandon-after}), the
 * row goes and so does any object (a PUT that happened without a complete, an open multipart upload). Nothing was
 * announced for them, so no event is sent.
 */
@ApplicationScoped
public class AssetSweeper {

    private static final Logger LOG = Logger.getLogger(AssetSweeper.class);
    private static final int BATCH = 100;

    private final AssetObjects objects;
    private final IoPool io;
    private final StorageConfig config;

    AssetSweeper(AssetObjects objects, IoPool io, StorageConfig config) {
        this.objects = objects;
        this.io = io;
        this.config = config;
    }

    @Scheduled(every = "${storage.sweep-interval:1h}", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> sweep() {
        return sweep(Instant.now().minus(config.assets().abandonAfter())).replaceWithVoid();
    }

    /** Removes the uploads whose grant expired before {@code cutoff}, in batches; answers how many. */
    public Uni<Integer> sweep(Instant cutoff) {
        return batch(cutoff, 0).invoke(count -> {
            if (count > 0) {
                LOG.infof("asset sweep: removed %d uploads never completed, with their objects", count);
            }
        });
    }

    /**
     * Deletes a batch of rows under their locks (a complete that holds one wins, and one that comes later finds no row),
     * then their objects.
     */
    private Uni<Integer> batch(Instant cutoff, int sweptSoFar) {
        return Panache.withTransaction(() -> Asset.abandonedBefore(cutoff, BATCH).call(abandoned -> abandoned.isEmpty()
                ? Uni.createFrom().voidItem()
                : Asset.delete("id in ?1", abandoned.stream().map(a -> a.id).toList())))
                .chain(abandoned -> abandoned.isEmpty() ? Uni.createFrom().item(sweptSoFar) : io.run(() -> {
                    for (Asset asset : abandoned) {
                        objects.remove(asset.originalKey, asset.s3UploadId);
                    }
                    return abandoned.size();
                }).chain(count -> count < BATCH ? Uni.createFrom().item(sweptSoFar + count) : batch(cutoff, sweptSoFar + count)));
    }
}
