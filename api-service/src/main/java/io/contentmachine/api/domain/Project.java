package io.contentmachine.api.domain;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/** A video project: what was asked (topic, config), who owns it, and the read model the pipeline's events fill in. */
@Entity
@Table(name = "projects")
public class Project extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "owner_id")
    public String ownerId;

    public String topic;

    public String template;

    public String voice;

    public String language;

    @Column(name = "length_seconds")
    public int lengthSeconds;

    /** config.publish as JSON text, null when no publishing was requested. */
    public String publish;

    public String status;

    public String title;

    @Column(name = "failure_stage")
    public String failureStage;

    @Column(name = "failure_reason")
    public String failureReason;

    @Column(name = "progress_stage")
    public String progressStage;

    @Column(name = "progress_percent")
    public Integer progressPercent;

    @Column(name = "progress_at")
    public Instant progressAt;

    @Column(name = "video_id")
    public UUID videoId;

    @Column(name = "video_duration")
    public Double videoDuration;

    @Column(name = "video_resolution")
    public String videoResolution;

    @Column(name = "video_size")
    public Long videoSize;

    /** How the video was made, from video.rendered: {@code ProjectView.Provenance} as JSON text; null before it is rendered. */
    public String provenance;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "updated_at")
    public Instant updatedAt;

    /**
     * Optimistic lock: the pipeline's consumers apply events for one project in concurrent transactions, each writing the
     * whole row back; a write based on a stale read fails instead of undoing another's change, and its event is applied
     * again on the fresh row. Statements that update the table directly increment it too.
     */
    @Version
    public long version;

    public ProjectStatus state() {
        return ProjectStatus.of(status);
    }

    /** Moves the status forward (never backwards, never out of failed or deleted). */
    public void advance(ProjectStatus reached) {
        ProjectStatus next = state().advanceTo(reached);
        if (next != state()) {
            status = next.value();
        }
        updatedAt = Instant.now();
    }

    public void fail(String stage, String reason) {
        if (!state().terminal()) {
            status = ProjectStatus.FAILED.value();
            failureStage = stage;
            failureReason = reason;
        }
        updatedAt = Instant.now();
    }
}
