package io.contentmachine.storage.upload;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.smallrye.mutiny.Uni;

/**
 * An upload grant handed out: what the uploader announced, where it goes (the object's final key: {@link #stagingKey} keeps
 * the column's old name) and, for multipart, the S3 multipart upload to complete or abort and the part checksums signed.
 */
@Entity
@Table(name = "uploads")
public class Upload extends PanacheEntityBase {

    public static final String SINGLE = "single";
    public static final String MULTIPART = "multipart";

    @Id
    public UUID id;

    @Column(name = "project_id")
    public UUID projectId;

    /** The bucket the grant is for: the videos bucket (before V5, the staging bucket). */
    public String bucket;

    /** The key the uploader writes: the object's final key since V5 (the column keeps its old name). */
    @Column(name = "staging_key")
    public String stagingKey;

    @Column(name = "content_type")
    public String contentType;

    @Column(name = "size_bytes")
    public long sizeBytes;

    public String sha256;

    /** {@link #SINGLE} or {@link #MULTIPART}. */
    public String method;

    /** The S3 multipart upload id (multipart only). */
    @Column(name = "s3_upload_id")
    public String s3UploadId;

    /** Multipart: the SHA-256 (hex) of every part, comma-separated in part order, as signed into the part URLs. */
    @Column(name = "part_sha256")
    public String partSha256;

    @Column(name = "part_count")
    public int partCount;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "expires_at")
    public Instant expiresAt;

    @Column(name = "completed_at")
    public Instant completedAt;

    /** Multipart uploads of the project still open on the S3 side. */
    public static Uni<List<Upload>> openMultipartOf(UUID projectId) {
        return list("projectId = ?1 and s3UploadId is not null and completedAt is null", projectId);
    }

    /** Multipart uploads left open since before {@code cutoff}. */
    public static Uni<List<Upload>> openMultipartBefore(Instant cutoff) {
        return list("s3UploadId is not null and completedAt is null and createdAt < ?1", cutoff);
    }

    /** The latest grant for {@code key} in {@code bucket}, or null. */
    public static Uni<Upload> latestFor(String bucket, String key) {
        return find("bucket = ?1 and stagingKey = ?2 order by createdAt desc", bucket, key).firstResult();
    }

    /** Grants handed out before {@code cutoff} (the sweeper's candidates). */
    public static Uni<List<Upload>> createdBefore(Instant cutoff) {
        return list("createdAt < ?1", cutoff);
    }

    /** The part checksums as a list (empty for a single PUT or a grant without them). */
    public List<String> partChecksums() {
        return partSha256 == null || partSha256.isBlank() ? List.of() : List.of(partSha256.split(","));
    }

    public static Uni<Long> deleteByProject(UUID projectId) {
        return delete("projectId", projectId);
    }
}
