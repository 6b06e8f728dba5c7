package io.contentmachine.api.domain;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/** One publishing of a project on a platform, as publish-service reports it (video.published, video.metrics). */
@Entity
@Table(name = "publishings")
public class Publishing extends PanacheEntityBase {

    /** pending, uploading, processing and waiting are in progress; the others are final for the project's status. */
    public static final Set<String> FINAL = Set.of("scheduled", "published", "failed");

    @Id
    public UUID id;

    @Column(name = "project_id")
    public UUID projectId;

    public String platform;

    public String status;

    @Column(name = "platform_id")
    public String platformId;

    public String url;

    @Column(name = "publish_at")
    public Instant publishAt;

    @Column(name = "published_at")
    public Instant publishedAt;

    /** Only when published: false when publish-service could not confirm which post it became (why: the error). */
    public Boolean confirmed;

    @Column(name = "error_code")
    public String errorCode;

    @Column(name = "error_message")
    public String errorMessage;

    /** While the status is waiting: until when and why (a platform's rate limit or quota). */
    @Column(name = "waiting_until")
    public Instant waitingUntil;

    @Column(name = "wait_reason")
    public String waitReason;

    @Column(name = "wait_message")
    public String waitMessage;

    /** After a delete from the platforms: pending, deleted, unsupported or failed; null when none was asked. */
    @Column(name = "platform_deletion")
    public String platformDeletion;

    @Column(name = "platform_deletion_message")
    public String platformDeletionMessage;

    /** occurredAt of the event that set the status: an older event never overwrites a newer one. */
    @Column(name = "status_at")
    public Instant statusAt;

    public Long views;

    public Long likes;

    public Long comments;

    @Column(name = "metrics_at")
    public Instant metricsAt;

    /** Optimistic lock: video.published and video.metrics for one publishing are applied concurrently (see Project). */
    @Version
    public long version;
}
