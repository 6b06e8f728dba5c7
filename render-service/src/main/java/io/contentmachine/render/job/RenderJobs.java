package io.contentmachine.render.job;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/** Queries on render_jobs; call inside a transaction. Updates of a running job are fenced by its attempt number. */
@ApplicationScoped
public class RenderJobs {

    private static final String ENQUEUE = "insert into render_jobs (project_id, event_id, owner_id, request, status)"
            + " values (?1, ?2, ?3, ?4, 'queued') on conflict (project_id) do nothing";
    private static final String CANCEL = "insert into render_jobs (project_id, owner_id, status) values (?1, ?2, 'cancelled')"
            + " on conflict (project_id) do update set status = 'cancelled', updated_at = now()"
            + " where render_jobs.status in ('queued', 'running')";
    private static final String CLAIM = "select * from render_jobs"
            + " where (status = 'queued' and not_before <= now())"
            + " or (status = 'running' and heartbeat_at < now() - make_interval(secs => ?1))"
            + " order by created_at limit ?2 for update skip locked";
    private static final String HEARTBEAT = "update render_jobs set heartbeat_at = now()"
            + " where project_id = ?1 and attempts = ?2 and status = 'running'";
    private static final String SETTLE = "update render_jobs set status = ?3, error = ?4, updated_at = now(),"
            + " not_before = now() + make_interval(secs => ?5) where project_id = ?1 and attempts = ?2 and status = 'running'";

    /** Records a job for the request; false when the project already has one (a redelivery or a repeat). */
    public Uni<Boolean> enqueue(UUID projectId, UUID eventId, String ownerId, String request) {
        return Panache.getSession().chain(s -> s.createNativeQuery(ENQUEUE)
                .setParameter(1, projectId).setParameter(2, eventId).setParameter(3, ownerId).setParameter(4, request)
                .executeUpdate()).map(n -> n == 1);
    }

    /** Cancels the project's queued or running job (a running worker notices at its next heartbeat); blocks a later request. */
    public Uni<Void> cancel(UUID projectId, String ownerId) {
        return Panache.getSession().chain(s -> s.createNativeQuery(CANCEL).setParameter(1, projectId).setParameter(2, ownerId)
                .executeUpdate()).replaceWithVoid();
    }

    /** Locks up to {@code max} claimable jobs: queued ones, and running ones whose worker stopped heart-beating. */
    public Uni<List<RenderJob>> claimable(int max, Duration lease) {
        return Panache.getSession().chain(s -> s.createNativeQuery(CLAIM, RenderJob.class)
                .setParameter(1, lease.toMillis() / 1000.0).setParameter(2, max).getResultList());
    }

    /** Marks a locked job as running under a new attempt (the new fencing token). */
    public static void markClaimed(RenderJob job) {
        Instant now = Instant.now();
        job.attempts++;
        job.status = RenderJob.RUNNING;
        job.claimedAt = now;
        job.heartbeatAt = now;
        job.updatedAt = now;
    }

    /** Keeps a running job's claim alive; false when the claim is gone (cancelled or taken over). */
    public Uni<Boolean> heartbeat(UUID projectId, int attempt) {
        return Panache.getSession().chain(s -> s.createNativeQuery(HEARTBEAT).setParameter(1, projectId).setParameter(2, attempt)
                .executeUpdate()).map(n -> n == 1);
    }

    /** Moves a running job (if this attempt still holds it) to {@code status}; false when it no longer holds it. */
    public Uni<Boolean> settle(UUID projectId, int attempt, String status, String error, Duration retryAfter) {
        return Panache.getSession().chain(s -> s.createNativeQuery(SETTLE).setParameter(1, projectId).setParameter(2, attempt)
                .setParameter(3, status).setParameter(4, error).setParameter(5, retryAfter.toMillis() / 1000.0)
                .executeUpdate()).map(n -> n == 1);
    }

    public Uni<RenderJob> find(UUID projectId) {
        return Panache.getSession().chain(s -> s.find(RenderJob.class, projectId));
    }
}
