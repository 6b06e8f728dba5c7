package io.contentmachine.publish.domain;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.contentmachine.kit.tracing.Traces;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/**
 * Work to do on a publishing, due at {@link #runAt} (its publishAt for platforms without native scheduling).
 * The kit's job runner claims it (FOR UPDATE SKIP LOCKED) and leases it until {@link #lockedUntil} to the run holding
 * {@link #leaseToken} (renewed while the run works); deleted when the publishing is final.
 */
@Entity
@Table(name = "publish_jobs")
public class PublishJob extends PanacheEntityBase {

    @Id
    @Column(name = "publishing_id")
    public UUID publishingId;

    @Column(name = "run_at")
    public Instant runAt;

    @Column(name = "locked_until")
    public Instant lockedUntil;

    public int attempts;

    /** The fencing token of the run that holds the lease; null when no run holds it. */
    @Column(name = "lease_token")
    public UUID leaseToken;

    /** The span that made the job due and when: the job runner's runs continue its trace, or link to it when much later. */
    public String traceparent;

    @Column(name = "traced_at")
    public Instant tracedAt;

    public static PublishJob due(UUID publishingId, Instant runAt) {
        PublishJob job = new PublishJob();
        job.publishingId = publishingId;
        job.runAt = runAt;
        job.traceparent = Traces.traceparent();
        job.tracedAt = Instant.now();
        return job;
    }
}
