package io.contentmachine.storage.video;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.smallrye.mutiny.Uni;

/** A verified video in the videos bucket (and its thumbnail beside it). */
@Entity
@Table(name = "videos")
public class Video extends PanacheEntityBase {

    /** UUID v5 of (projectId, sha256): see {@link VideoIds}. */
    @Id
    public UUID id;

    @Column(name = "project_id")
    public UUID projectId;

    @Column(name = "owner_id")
    public String ownerId;

    @Column(name = "storage_key")
    public String storageKey;

    @Column(name = "thumbnail_key")
    public String thumbnailKey;

    /** Seconds. */
    public double duration;

    public String resolution;

    @Column(name = "file_size")
    public long fileSize;

    public String sha256;

    @Column(name = "content_type")
    public String contentType;

    @Column(name = "created_at")
    public Instant createdAt;

    /** The project's current video: the latest one stored. */
    public static Uni<Video> latestOf(UUID projectId) {
        return find("projectId = ?1 order by createdAt desc", projectId).firstResult();
    }

    public static Uni<Long> deleteByProject(UUID projectId) {
        return delete("projectId", projectId);
    }
}
