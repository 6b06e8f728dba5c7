package io.contentmachine.storage.upload;

import java.net.URL;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;

import io.contentmachine.storage.api.ClientError;
import io.contentmachine.storage.config.StorageConfig;
import io.contentmachine.storage.objects.IoPool;
import io.contentmachine.storage.objects.ObjectStore;
import io.contentmachine.storage.video.DeletedProjects;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import org.jboss.logging.Logger;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Upload grants: the uploader (render-service) never holds S3 credentials; it gets presigned URLs for one staging key
 * per project and asset, a single PUT up to the multipart threshold, else one URL per part. A deleted project gets none.
 */
@ApplicationScoped
public class UploadService {

    private static final Logger LOG = Logger.getLogger(UploadService.class);

    /** Accepted content types and the staging file name each is stored under. */
    static final Map<String, String> FILE_NAMES = Map.of("video/mp4", "video.mp4", "image/jpeg", "thumbnail.jpg");

    private static final long MIN_PART = 5L << 20;
    private static final int MAX_PARTS = 10_000;

    private final ObjectStore store;
    private final IoPool io;
    private final StorageConfig config;
    private final DeletedProjects deleted;

    UploadService(ObjectStore store, IoPool io, StorageConfig config, DeletedProjects deleted) {
        this.store = store;
        this.io = io;
        this.config = config;
        this.deleted = deleted;
    }

    /** A grant as handed out: the presigned URL and the headers to send with it (single) or the part URLs (multipart). */
    public record Grant(Upload upload, URL url, Map<String, String> headers, long partSizeBytes, List<PartUrl> parts) {
    }

    public record PartUrl(int partNumber, long sizeBytes, URL url) {
    }

    public record Part(int partNumber, String etag) {
    }

    /**
     * Refuses (410) a project that was deleted: whatever it uploaded would never be stored. The check is a plain read,
     * not taken under the project's lock: a grant that races the deletion can still stage objects, which a later
     * video.rendered then discards (it checks the tombstone under the lock) and the staging sweeper removes otherwise.
     */
    public Uni<Grant> grant(UUID projectId, long sizeBytes, String sha256, String contentType) {
        String fileName = FILE_NAMES.get(contentType);
        if (fileName == null) {
            return Uni.createFrom().failure(new ClientError(Response.Status.UNSUPPORTED_MEDIA_TYPE,
                    "contentType must be one of " + new java.util.TreeSet<>(FILE_NAMES.keySet()) + ", got " + contentType));
        }
        if (sizeBytes > config.maxUploadBytes()) {
            return Uni.createFrom().failure(new ClientError(Response.Status.REQUEST_ENTITY_TOO_LARGE,
                    "sizeBytes " + sizeBytes + " exceeds the limit of " + config.maxUploadBytes() + " bytes"));
        }
        return Panache.withSession(() -> deleted.isDeleted(projectId)).chain(gone -> gone
                ? Uni.createFrom().failure(new ClientError(Response.Status.GONE,
                        "project " + projectId + " was deleted: no uploads are granted for it"))
                : issue(projectId, sizeBytes, sha256, contentType, fileName));
    }

    private Uni<Grant> issue(UUID projectId, long sizeBytes, String sha256, String contentType, String fileName) {
        Upload upload = new Upload();
        upload.id = UUID.randomUUID();
        upload.projectId = projectId;
        upload.stagingKey = projectId + "/" + fileName;
        upload.contentType = contentType;
        upload.sizeBytes = sizeBytes;
        upload.sha256 = sha256;
        upload.createdAt = Instant.now();
        upload.expiresAt = upload.createdAt.plus(config.uploadUrlTtl());
        String bucket = config.buckets().staging();
        if (sizeBytes <= config.multipartThresholdBytes()) {
            upload.method = Upload.SINGLE;
            upload.partCount = 1;
            String checksum = config.requireUploadChecksum() ? ObjectStore.base64Sha256(sha256) : null;
            Map<String, String> headers = checksum == null ? Map.of("Content-Type", contentType)
                    : Map.of("Content-Type", contentType, "x-amz-checksum-sha256", checksum);
            return io.run(() -> store.presignPut(bucket, upload.stagingKey, contentType, checksum, config.uploadUrlTtl()))
                    .chain(url -> Panache.withTransaction(upload::persist).replaceWith(new Grant(upload, url, headers, sizeBytes, null)));
        }
        long partSize = partSize(sizeBytes);
        upload.method = Upload.MULTIPART;
        upload.partCount = (int) ((sizeBytes + partSize - 1) / partSize);
        return io.run(() -> {
            upload.s3UploadId = store.startMultipart(bucket, upload.stagingKey, contentType);
            List<PartUrl> parts = new ArrayList<>(upload.partCount);
            for (int n = 1; n <= upload.partCount; n++) {
                long size = n < upload.partCount ? partSize : sizeBytes - partSize * (upload.partCount - 1);
                parts.add(new PartUrl(n, size, store.presignPart(bucket, upload.stagingKey, upload.s3UploadId, n, config.uploadUrlTtl())));
            }
            return parts;
        }).chain(parts -> Panache.withTransaction(upload::persist).replaceWith(new Grant(upload, null, null, partSize, parts)));
    }

    private long partSize(long sizeBytes) {
        long size = Math.max(MIN_PART, config.partSizeBytes());
        // S3 allows at most 10,000 parts: grow the parts for very large files
        return Math.max(size, (sizeBytes + MAX_PARTS - 1) / MAX_PARTS);
    }

    /** Completes a multipart upload with the uploader's ETags; completing twice is fine. */
    public Uni<Void> complete(UUID uploadId, List<Part> parts) {
        return Panache.withSession(() -> Upload.<Upload>findById(uploadId)).chain(upload -> {
            if (upload == null) {
                return Uni.createFrom().failure(ClientError.notFound("No upload " + uploadId));
            }
            if (!Upload.MULTIPART.equals(upload.method)) {
                return Uni.createFrom().failure(ClientError.badRequest(
                        "upload " + uploadId + " is a single PUT: there is nothing to complete"));
            }
            if (upload.completedAt != null) {
                return Uni.createFrom().voidItem();
            }
            String problem = checkParts(parts, upload.partCount);
            if (problem != null) {
                return Uni.createFrom().failure(ClientError.badRequest(problem));
            }
            List<CompletedPart> completed = parts.stream().sorted(Comparator.comparingInt(Part::partNumber))
                    .map(p -> CompletedPart.builder().partNumber(p.partNumber()).eTag(p.etag()).build()).toList();
            return io.run(() -> {
                try {
                    store.completeMultipart(config.buckets().staging(), upload.stagingKey, upload.s3UploadId, completed);
                    return null;
                } catch (S3Exception e) {
                    if (e.statusCode() >= 500) {
                        throw e;
                    }
                    String code = e.awsErrorDetails() == null ? String.valueOf(e.statusCode()) : e.awsErrorDetails().errorCode();
                    throw ClientError.badRequest("S3 refused to complete the upload: " + code);
                }
            }).chain(() -> Panache.withTransaction(() -> Upload.update("completedAt = ?1 where id = ?2", Instant.now(), uploadId)))
                    .invoke(() -> LOG.infof("project %s: multipart upload %s completed (%d parts)", upload.projectId, uploadId,
                    parts.size()))
                    .replaceWithVoid();
        });
    }

    private static String checkParts(List<Part> parts, int expected) {
        if (parts == null || parts.isEmpty()) {
            return "parts must list every uploaded part";
        }
        Set<Integer> numbers = new HashSet<>();
        for (Part part : parts) {
            if (part == null || part.etag() == null || part.etag().isBlank()) {
                return "every part needs a partNumber and an etag";
            }
            if (part.partNumber() < 1 || part.partNumber() > expected) {
                return "partNumber " + part.partNumber() + " is outside 1.." + expected;
            }
            if (!numbers.add(part.partNumber())) {
                return "partNumber " + part.partNumber() + " is listed twice";
            }
        }
        if (numbers.size() != expected) {
            return "expected " + expected + " parts, got " + numbers.size();
        }
        return null;
    }
}
