package io.contentmachine.render.job;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/**
 * The render of one project. queued → running (claimed by a worker, kept alive by its heartbeat) → done | failed, or
 * cancelled when the project is deleted. {@code attempts} is also the claim's fencing token: a worker whose claim was
 * taken over cannot finish the job.
 */
@Entity
@Table(name = "render_jobs")
public class RenderJob extends PanacheEntityBase {

    public static final String QUEUED = "queued";
    public static final String RUNNING = "running";
    public static final String DONE = "done";
    public static final String FAILED = "failed";
    public static final String CANCELLED = "cancelled";

    @Id
    @Column(name = "project_id")
    public UUID projectId;

    @Column(name = "event_id")
    public UUID eventId;

    @Column(name = "owner_id")
    public String ownerId;

    /** The video.requested event as received (JSON). */
    public String request;

    public String status;

    public int attempts;

    @Column(name = "claimed_at")
    public Instant claimedAt;

    @Column(name = "heartbeat_at")
    public Instant heartbeatAt;

    @Column(name = "not_before")
    public Instant notBefore;

    public String error;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "updated_at")
    public Instant updatedAt;
}
