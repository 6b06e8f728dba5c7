package io.contentmachine.storage.upload;

import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.contentmachine.storage.config.StorageConfig;
import io.contentmachine.storage.objects.IoPool;
import io.contentmachine.storage.objects.ObjectStore;
import io.contentmachine.storage.video.DeletedProjects;
import io.contentmachine.storage.video.Video;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import org.jboss.logging.Logger;
import software.amazon.awssdk.services.s3.model.MultipartUpload;

/**
 * Removes what uploads left behind, older than {@code storage.staging-ttl}: grants never finalized (no video row records
 * their key) with their objects and open multipart uploads, the rows of finalized grants, multipart uploads the server
 * still holds open in the videos bucket, and whatever is left in the (legacy) staging bucket. S3Proxy has no lifecycle
 * rules; on MinIO/AWS the staging bucket's rule does the latter too. A grant is judged under its project's lock, which
 * finalize also takes to record a video, so a video is either recorded first (and its object kept) or finds its grant
 * swept and is refused.
 */
@ApplicationScoped
public class StagingSweeper {

    private static final Logger LOG = Logger.getLogger(StagingSweeper.class);

    private final ObjectStore store;
    private final IoPool io;
    private final StorageConfig config;
    private final DeletedProjects projects;

    StagingSweeper(ObjectStore store, IoPool io, StorageConfig config, DeletedProjects projects) {
        this.store = store;
        this.io = io;
        this.config = config;
        this.projects = projects;
    }

    /** What one sweep removed: objects, multipart uploads aborted, and grant rows. */
    public record Swept(int objects, int multipartUploads, int grants) {

        Swept plus(Swept other) {
            return new Swept(objects + other.objects, multipartUploads + other.multipartUploads, grants + other.grants);
        }
    }

    @Scheduled(every = "${storage.sweep-interval:1h}", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> sweep() {
        return sweep(Instant.now().minus(config.stagingTtl())).replaceWithVoid();
    }

    /** Removes grants, objects and multipart uploads older than {@code cutoff}. */
    public Uni<Swept> sweep(Instant cutoff) {
        return Panache.withSession(() -> Upload.createdBefore(cutoff))
                .chain(stale -> Multi.createFrom().iterable(stale).onItem().transformToUniAndConcatenate(grant -> sweep(grant, cutoff))
                        .collect().with(java.util.stream.Collectors.reducing(new Swept(0, 0, 0), Swept::plus)))
                .chain(grants -> io.run(() -> grants.plus(leftovers(cutoff))))
                .invoke(swept -> {
                    if (swept.objects() + swept.multipartUploads() + swept.grants() > 0) {
                        LOG.infof("upload sweep: deleted %d objects and %d grants, aborted %d multipart uploads", swept.objects(),
                                swept.grants(), swept.multipartUploads());
                    }
                });
    }

    /**
     * One stale grant: its row goes; its object too unless a video row records the key (it was finalized) or a newer
     * grant is for the same key (the same bytes uploaded again); an open multipart upload is aborted.
     */
    private Uni<Swept> sweep(Upload grant, Instant cutoff) {
        String bucket = grant.bucket == null ? config.buckets().staging() : grant.bucket;
        return Panache.withTransaction(() -> projects.lock(grant.projectId)
                .chain(() -> Video.count("storageKey = ?1 or thumbnailKey = ?1", grant.stagingKey))
                .chain(recorded -> Upload.count("bucket = ?1 and stagingKey = ?2 and createdAt >= ?3", bucket, grant.stagingKey, cutoff)
                        .map(newer -> recorded + newer == 0))
                .call(() -> Upload.delete("id", grant.id)))
                .chain(orphan -> io.run(() -> {
                    int aborted = 0;
                    if (grant.s3UploadId != null && grant.completedAt == null) {
                        store.abortMultipart(bucket, grant.stagingKey, grant.s3UploadId);
                        aborted = 1;
                    }
                    if (orphan) {
                        store.delete(bucket, List.of(grant.stagingKey));
                        LOG.infof("project %s: upload %s never finalized; %s/%s removed", grant.projectId, grant.id, bucket,
                                grant.stagingKey);
                    }
                    return new Swept(orphan ? 1 : 0, aborted, 1);
                }));
    }

    /** Multipart uploads the server holds open without a grant, and what is left in the staging bucket (blocking). */
    private Swept leftovers(Instant cutoff) {
        int aborted = 0;
        for (String bucket : List.of(config.buckets().videos(), config.buckets().staging())) {
            for (MultipartUpload upload : store.openMultipartUploads(bucket)) {
                if (upload.initiated() != null && upload.initiated().isBefore(cutoff)) {
                    store.abortMultipart(bucket, upload.key(), upload.uploadId());
                    aborted++;
                }
            }
        }
        List<String> stale = store.keysOlderThan(config.buckets().staging(), cutoff);
        store.delete(config.buckets().staging(), stale);
        return new Swept(stale.size(), aborted, 0);
    }
}
