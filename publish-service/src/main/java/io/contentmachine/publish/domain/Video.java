package io.contentmachine.publish.domain;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.smallrye.mutiny.Uni;

/** A stored video this service may publish (from video.stored); metadata and the publish request kept as JSON. */
@Entity
@Table(name = "videos")
public class Video extends PanacheEntityBase {

    @Id
    @Column(name = "video_id")
    public UUID videoId;

    @Column(name = "project_id")
    public UUID projectId;

    @Column(name = "owner_id")
    public String ownerId;

    @Column(name = "storage_key")
    public String storageKey;

    public String sha256;

    @Column(name = "size_bytes")
    public long sizeBytes;

    @Column(name = "duration_seconds")
    public double durationSeconds;

    public String resolution;

    /** VideoMetadata as JSON. */
    public String metadata;

    /** PublishRequest as JSON, or null when none was asked for. */
    @Column(name = "publish_request")
    public String publishRequest;

    @Column(name = "stored_at")
    public Instant storedAt;

    /** The project's latest stored video. */
    public static Uni<Video> latestOf(UUID projectId) {
        return Video.<Video>find("projectId = ?1 order by storedAt desc", projectId).firstResult();
    }
}
