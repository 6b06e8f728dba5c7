package io.contentmachine.render.job;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/**
 * The render of one project. queued → running (claimed by the kit's job runner and leased to one run by
 * {@link #leaseToken}, renewed while it works) → done | failed, or cancelled when the project is deleted (which clears the
 * lease, so the run stops). {@code attempts} counts the runs, counted at claim.
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

    /** Due from then on (a retry's backoff moves it). */
    @Column(name = "run_at")
    public Instant runAt;

    @Column(name = "locked_until")
    public Instant lockedUntil;

    /** The token of the run that holds the job; a write of any other run is refused. */
    @Column(name = "lease_token")
    public UUID leaseToken;

    public String error;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "updated_at")
    public Instant updatedAt;
}
