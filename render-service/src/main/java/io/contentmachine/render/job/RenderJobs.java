package io.contentmachine.render.job;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.contentmachine.kit.jobs.JobTable;
import io.contentmachine.kit.tracing.Traces;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/** Queries on render_jobs; call inside a transaction. Claims, leases and retries are the kit's job runner's ({@link #TABLE}). */
@ApplicationScoped
public class RenderJobs {

    /** render_jobs as the job runner sees it: queued and running rows are claimable once due and unleased. */
    static final JobTable TABLE = new JobTable("render_jobs", "project_id", "status in ('queued', 'running')",
            "status = 'running', claimed_at = now(), updated_at = now()", "render_jobs.project_id");

    // the consumer's span (the video.requested record's) is the parent of the render's runs
    private static final String ENQUEUE = "insert into render_jobs"
            + " (project_id, event_id, owner_id, request, status, traceparent, traced_at)"
            + " values (?1, ?2, ?3, ?4, 'queued', ?5, now()) on conflict (project_id) do nothing";
    // clearing the lease is what stops a running render: its renewal finds the token gone
    private static final String CANCEL = "insert into render_jobs (project_id, owner_id, status, error) values (?1, ?2, 'cancelled', ?3)"
            + " on conflict (project_id) do update set status = 'cancelled', error = ?3, updated_at = now(), lease_token = null,"
            + " locked_until = null where render_jobs.status in ('queued', 'running')";
    private static final String SETTLE = "update render_jobs set status = ?2, error = ?3, updated_at = now() where project_id = ?1";

    /** Records a job for the request; false when the project already has one (a redelivery or a repeat). */
    public Uni<Boolean> enqueue(UUID projectId, UUID eventId, String ownerId, String request) {
        return Panache.getSession().chain(s -> s.createNativeQuery(ENQUEUE)
                .setParameter(1, projectId).setParameter(2, eventId).setParameter(3, ownerId).setParameter(4, request)
                .setParameter(5, Traces.traceparent()).executeUpdate()).map(n -> n == 1);
    }

    /** Cancels the project's queued or running job (a running render stops at its next lease renewal); blocks a later request. */
    public Uni<Void> cancel(UUID projectId, String ownerId) {
        return cancel(projectId, ownerId, null);
    }

    /** {@link #cancel(UUID, String)}, saying why in the job's error. */
    public Uni<Void> cancel(UUID projectId, String ownerId, String reason) {
        return Panache.getSession().chain(s -> s.createNativeQuery(CANCEL).setParameter(1, projectId).setParameter(2, ownerId)
                .setParameter(3, reason).executeUpdate()).replaceWithVoid();
    }

    /** Sets a job's status; call after the run's {@code JobRunner#hold}, which makes it the run's own write. */
    public Uni<Void> settle(UUID projectId, String status, String error) {
        return Panache.getSession().chain(s -> s.createNativeQuery(SETTLE).setParameter(1, projectId).setParameter(2, status)
                .setParameter(3, error).executeUpdate()).replaceWithVoid();
    }

    public Uni<RenderJob> find(UUID projectId) {
        return Panache.getSession().chain(s -> s.find(RenderJob.class, projectId));
    }
}
