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
import io.contentmachine.storage.video.ObjectFinalizer;
import io.contentmachine.storage.video.VideoIds;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import org.jboss.logging.Logger;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Upload grants: the uploader (render-service) never holds S3 credentials; it gets presigned URLs for the object's final
 * key in the videos bucket (derived from the project and the announced SHA-256, so the same bytes always get the same
 * key), a single PUT up to the multipart threshold, else one URL per part. Every URL signs {@code If-None-Match: *} (a PUT
 * never overwrites; complete neither) and, with storage.require-upload-checksum, the SHA-256 the server must find: the
 * announced one for a single PUT, the uploader's per-part ones for multipart. A deleted project gets no grant.
 */
@ApplicationScoped
public class UploadService {

    private static final Logger LOG = Logger.getLogger(UploadService.class);

    /** Accepted content types and the file extension of their final keys. */
    static final Map<String, String> FILE_NAMES = Map.of("video/mp4", "mp4", "image/jpeg", "jpg");

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

    public record PartUrl(int partNumber, long sizeBytes, URL url, Map<String, String> headers) {
    }

    /** The uploader's part checksums: the part size it cut the file in and every part's SHA-256 (hex), in order. */
    public record PartChecksums(long partSizeBytes, List<String> sha256) {
    }

    public record Part(int partNumber, String etag) {
    }

    /**
     * Refuses (410) a project that was deleted: whatever it uploaded would never be stored. The check is a plain read,
     * not taken under the project's lock: a grant that races the deletion can still stage objects, which a later
     * video.rendered then discards (it checks the tombstone under the lock) and the sweeper removes otherwise.
     */
    public Uni<Grant> grant(UUID projectId, long sizeBytes, String sha256, String contentType) {
        return grant(projectId, sizeBytes, sha256, contentType, null);
    }

    /** As {@link #grant(UUID, long, String, String)}, with the uploader's part checksums for a multipart upload (or null). */
    public Uni<Grant> grant(UUID projectId, long sizeBytes, String sha256, String contentType, PartChecksums partChecksums) {
        String fileName = FILE_NAMES.get(contentType);
        if (fileName == null) {
            return Uni.createFrom().failure(new ClientError(Response.Status.UNSUPPORTED_MEDIA_TYPE,
                    "contentType must be one of " + new java.util.TreeSet<>(FILE_NAMES.keySet()) + ", got " + contentType));
        }
        if (sizeBytes > config.maxUploadBytes()) {
            return Uni.createFrom().failure(new ClientError(Response.Status.REQUEST_ENTITY_TOO_LARGE,
                    "sizeBytes " + sizeBytes + " exceeds the limit of " + config.maxUploadBytes() + " bytes"));
        }
        boolean multipart = sizeBytes > config.multipartThresholdBytes();
        String partProblem = multipart ? checkPartChecksums(sizeBytes, partChecksums) : null;
        if (partProblem != null) {
            return Uni.createFrom().failure(ClientError.badRequest(partProblem));
        }
        return Panache.withSession(() -> deleted.isDeleted(projectId)).chain(gone -> gone
                ? Uni.createFrom().failure(new ClientError(Response.Status.GONE,
                        "project " + projectId + " was deleted: no uploads are granted for it"))
                : issue(projectId, sizeBytes, sha256, contentType, fileName, multipart ? partChecksums : null));
    }

    /** The final key of an upload: {@code {projectId}/{UUID v5 of projectId and SHA-256}.{mp4|jpg}}, the video's id for a video. */
    public static String finalKey(UUID projectId, String sha256, String contentType) {
        UUID id = VideoIds.videoId(projectId, sha256);
        return ObjectFinalizer.VIDEO_TYPE.equals(contentType) ? ObjectFinalizer.videoKey(projectId, id)
                : projectId + "/" + id + "." + FILE_NAMES.get(contentType);
    }

    /** Null when the part checksums fit the upload (or none are required and none were sent), else what is wrong. */
    private String checkPartChecksums(long sizeBytes, PartChecksums parts) {
        if (parts == null || parts.sha256() == null || parts.sha256().isEmpty()) {
            return config.requireUploadChecksum() ? "sizeBytes " + sizeBytes + " is over the multipart threshold of "
                    + config.multipartThresholdBytes() + " bytes: send partSizeBytes and partSha256 (the SHA-256 of every part)"
                    : null;
        }
        if (parts.partSizeBytes() < MIN_PART) {
            return "partSizeBytes must be at least " + MIN_PART;
        }
        long count = (sizeBytes + parts.partSizeBytes() - 1) / parts.partSizeBytes();
        if (count > MAX_PARTS) {
            return "partSizeBytes " + parts.partSizeBytes() + " makes " + count + " parts; S3 allows " + MAX_PARTS;
        }
        if (parts.sha256().size() != count) {
            return "partSha256 lists " + parts.sha256().size() + " parts, " + count + " parts of " + parts.partSizeBytes()
                    + " bytes make " + sizeBytes;
        }
        for (String sha : parts.sha256()) {
            if (sha == null || !sha.matches("^[0-9a-f]{64}$")) {
                return "every partSha256 must be 64 lowercase hex digits";
            }
        }
        return null;
    }

    private Uni<Grant> issue(UUID projectId, long sizeBytes, String sha256, String contentType, String fileName,
            PartChecksums partChecksums) {
        Upload upload = new Upload();
        upload.id = UUID.randomUUID();
        upload.projectId = projectId;
        upload.bucket = config.buckets().videos();
        upload.stagingKey = finalKey(projectId, sha256, contentType);
        upload.contentType = contentType;
        upload.sizeBytes = sizeBytes;
        upload.sha256 = sha256;
        upload.createdAt = Instant.now();
        upload.expiresAt = upload.createdAt.plus(config.uploadUrlTtl());
        String bucket = upload.bucket;
        if (partChecksums == null && sizeBytes <= config.multipartThresholdBytes()) {
            upload.method = Upload.SINGLE;
            upload.partCount = 1;
            String checksum = config.requireUploadChecksum() ? ObjectStore.base64Sha256(sha256) : null;
            Map<String, String> headers = checksum == null ? Map.of("Content-Type", contentType, "If-None-Match", "*")
                    : Map.of("Content-Type", contentType, "If-None-Match", "*", "x-amz-checksum-sha256", checksum);
            return io.run(() -> store.presignCreate(bucket, upload.stagingKey, contentType, checksum, config.uploadUrlTtl()))
                    .chain(url -> Panache.withTransaction(upload::persist).replaceWith(new Grant(upload, url, headers, sizeBytes, null)));
        }
        long partSize = partChecksums != null ? partChecksums.partSizeBytes() : partSize(sizeBytes);
        upload.method = Upload.MULTIPART;
        upload.partCount = (int) ((sizeBytes + partSize - 1) / partSize);
        upload.partSha256 = partChecksums == null ? null : String.join(",", partChecksums.sha256());
        return io.run(() -> {
            upload.s3UploadId = partChecksums == null ? store.startMultipart(bucket, upload.stagingKey, contentType)
                    : store.startChecksummedMultipart(bucket, upload.stagingKey, contentType);
            List<PartUrl> parts = new ArrayList<>(upload.partCount);
            for (int n = 1; n <= upload.partCount; n++) {
                long size = n < upload.partCount ? partSize : sizeBytes - partSize * (upload.partCount - 1);
                if (partChecksums == null) {
                    parts.add(new PartUrl(n, size, store.presignPart(bucket, upload.stagingKey, upload.s3UploadId, n,
                            config.uploadUrlTtl()), Map.of()));
                } else {
                    String checksum = ObjectStore.base64Sha256(partChecksums.sha256().get(n - 1));
                    parts.add(new PartUrl(n, size, store.presignPart(bucket, upload.stagingKey, upload.s3UploadId, n, checksum,
                            config.uploadUrlTtl()), Map.of("x-amz-checksum-sha256", checksum)));
                }
            }
            return parts;
        }).chain(parts -> Panache.withTransaction(upload::persist).replaceWith(new Grant(upload, null, null, partSize, parts)));
    }

    private long partSize(long sizeBytes) {
        long size = Math.max(MIN_PART, config.partSizeBytes());
        // S3 allows at most 10,000 parts: grow the parts for very large files
        return Math.max(size, (sizeBytes + MAX_PARTS - 1) / MAX_PARTS);
    }

    /**
     * Completes a multipart upload with the uploader's ETags (and the part checksums of the grant) where no object has
     * the key yet; completing twice is fine. An object already at the key (412: an earlier upload of the same bytes, the
     * key being derived from their SHA-256) is left alone and this upload aborted: finalize checks that object.
     */
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
            List<String> checksums = upload.partChecksums();
            List<CompletedPart> completed = parts.stream().sorted(Comparator.comparingInt(Part::partNumber))
                    .map(p -> CompletedPart.builder().partNumber(p.partNumber()).eTag(p.etag())
                            .checksumSHA256(checksums.isEmpty() ? null : ObjectStore.base64Sha256(checksums.get(p.partNumber() - 1)))
                            .build()).toList();
            String bucket = upload.bucket == null ? config.buckets().staging() : upload.bucket;
            return io.run(() -> {
                try {
                    store.completeMultipartIfAbsent(bucket, upload.stagingKey, upload.s3UploadId, completed);
                    return null;
                } catch (S3Exception e) {
                    if (e.statusCode() == 412) {
                        LOG.infof("project %s: %s/%s already exists; upload %s aborted, the object is kept", upload.projectId,
                                bucket, upload.stagingKey, uploadId);
                        store.abortMultipart(bucket, upload.stagingKey, upload.s3UploadId);
                        return null;
                    }
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
