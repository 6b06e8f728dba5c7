package io.contentmachine.storage.upload;

import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.contentmachine.storage.config.StorageConfig;
import io.contentmachine.storage.objects.IoPool;
import io.contentmachine.storage.objects.ObjectStore;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import org.jboss.logging.Logger;
import software.amazon.awssdk.services.s3.model.MultipartUpload;

/**
 * Removes what uploads left behind in the staging bucket: objects and unfinished multipart uploads older than
 * {@code storage.staging-ttl}. S3Proxy has no lifecycle rules; on MinIO/AWS the bucket's rule does the same.
 */
@ApplicationScoped
public class StagingSweeper {

    private static final Logger LOG = Logger.getLogger(StagingSweeper.class);

    private final ObjectStore store;
    private final IoPool io;
    private final StorageConfig config;

    StagingSweeper(ObjectStore store, IoPool io, StorageConfig config) {
        this.store = store;
        this.io = io;
        this.config = config;
    }

    /** What one sweep removed. */
    public record Swept(int objects, int multipartUploads) {
    }

    @Scheduled(every = "${storage.sweep-interval:1h}", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> sweep() {
        return sweep(Instant.now().minus(config.stagingTtl())).replaceWithVoid();
    }

    /** Removes staged objects and multipart uploads started before {@code cutoff}. */
    public Uni<Swept> sweep(Instant cutoff) {
        String bucket = config.buckets().staging();
        return Panache.withSession(() -> Upload.openMultipartBefore(cutoff))
                .chain(open -> io.run(() -> {
                    int aborted = 0;
                    for (Upload upload : open) {
                        store.abortMultipart(bucket, upload.stagingKey, upload.s3UploadId);
                        aborted++;
                    }
                    // uploads this service has no row for (or the server lists): abort them too
                    for (MultipartUpload upload : store.openMultipartUploads(bucket)) {
                        if (upload.initiated() != null && upload.initiated().isBefore(cutoff)) {
                            store.abortMultipart(bucket, upload.key(), upload.uploadId());
                            aborted++;
                        }
                    }
                    List<String> stale = store.keysOlderThan(bucket, cutoff);
                    store.delete(bucket, stale);
                    return new Swept(stale.size(), aborted);
                }))
                .call(swept -> open(cutoff))
                .invoke(swept -> {
                    if (swept.objects() + swept.multipartUploads() > 0) {
                        LOG.infof("staging sweep: deleted %d objects, aborted %d multipart uploads", swept.objects(),
                                swept.multipartUploads());
                    }
                });
    }

    /** Marks swept multipart grants closed, so the next sweep does not abort them again. */
    private Uni<Integer> open(Instant cutoff) {
        return Panache.withTransaction(() -> Upload.update(
                "completedAt = ?1 where s3UploadId is not null and completedAt is null and createdAt < ?2", Instant.now(), cutoff));
    }
}
