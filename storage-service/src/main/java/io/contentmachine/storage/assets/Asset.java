package io.contentmachine.storage.assets;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.LockModeType;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.smallrye.mutiny.Uni;

/** An owner's asset (clip, image or music): what the owner declared, its objects in the assets bucket, and its status. */
@Entity
@Table(name = "assets")
public class Asset extends PanacheEntityBase {

    public static final String UPLOADING = "uploading";
    public static final String PROCESSING = "processing";
    public static final String READY = "ready";
    public static final String REJECTED = "rejected";
    public static final String DELETED = "deleted";

    public static final List<String> STATUSES = List.of(UPLOADING, PROCESSING, READY, REJECTED, DELETED);

    @Id
    public UUID id;

    @Column(name = "owner_id")
    public String ownerId;

    public String status;

    /** video, image or audio: derived from the content type (see {@link AssetKind}). */
    public String kind;

    public String filename;

    @Column(name = "content_type")
    public String contentType;

    @Column(name = "size_bytes")
    public long sizeBytes;

    public String sha256;

    public String description;

    public String[] tags;

    public String license;

    public String attribution;

    public Integer width;

    public Integer height;

    @Column(name = "duration_seconds")
    public Double durationSeconds;

    public String reason;

    @Column(name = "original_key")
    public String originalKey;

    @Column(name = "upload_id")
    public UUID uploadId;

    @Column(name = "upload_method")
    public String uploadMethod;

    @Column(name = "s3_upload_id")
    public String s3UploadId;

    @Column(name = "part_count")
    public int partCount;

    /** When the original's grant expires. */
    @Column(name = "expires_at")
    public Instant expiresAt;

    @Column(name = "normalised_key")
    public String normalisedKey;

    @Column(name = "normalised_upload_id")
    public UUID normalisedUploadId;

    @Column(name = "normalised_content_type")
    public String normalisedContentType;

    @Column(name = "normalised_size_bytes")
    public Long normalisedSizeBytes;

    @Column(name = "normalised_sha256")
    public String normalisedSha256;

    @Column(name = "normalised_method")
    public String normalisedMethod;

    @Column(name = "normalised_s3_upload_id")
    public String normalisedS3UploadId;

    @Column(name = "normalised_part_count")
    public Integer normalisedPartCount;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "uploaded_at")
    public Instant uploadedAt;

    @Column(name = "ready_at")
    public Instant readyAt;

    @Column(name = "updated_at")
    public Instant updatedAt;

    /** The asset, locked for a change of status (call inside a transaction). */
    static Uni<Asset> locked(UUID id) {
        return findById(id, LockModeType.PESSIMISTIC_WRITE);
    }

    /** Uploads whose grant expired before {@code cutoff} and that were never completed, locked (call in a transaction). */
    static Uni<List<Asset>> abandonedBefore(Instant cutoff, int limit) {
        return find("status = ?1 and expiresAt < ?2 order by expiresAt", UPLOADING, cutoff).withLock(LockModeType.PESSIMISTIC_WRITE)
                .page(0, limit).list();
    }
}
