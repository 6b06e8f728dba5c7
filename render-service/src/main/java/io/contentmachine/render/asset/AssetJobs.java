package io.contentmachine.render.asset;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.contentmachine.kit.jobs.JobTable;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/** Queries on asset_jobs; call inside a transaction. Claims, leases and retries are the kit's job runner's ({@link #TABLE}). */
@ApplicationScoped
public class AssetJobs {

    public static final String QUEUED = "queued";
    public static final String DONE = "done";
    public static final String REJECTED = "rejected";
    public static final String FAILED = "failed";

    /** asset_jobs as the job runner sees it: queued and running rows are claimable once due and unleased. */
    static final JobTable TABLE = new JobTable("asset_jobs", "asset_id", "status in ('queued', 'running')",
            "status = 'running', claimed_at = now(), updated_at = now()");

    private static final String ENQUEUE = "insert into asset_jobs (asset_id, event_id, owner_id, kind, content_type, status)"
            + " values (?1, ?2, ?3, ?4, ?5, 'queued') on conflict (asset_id) do nothing";
    // clearing the lease is what stops a running job: its renewal finds the token gone and ffmpeg is killed
    private static final String CANCEL = "insert into asset_jobs (asset_id, owner_id, status, error) values (?1, ?2, 'cancelled', ?3)"
            + " on conflict (asset_id) do update set status = 'cancelled', error = ?3, updated_at = now(), lease_token = null,"
            + " locked_until = null where asset_jobs.status in ('queued', 'running')";
    private static final String SETTLE = "update asset_jobs set status = ?2, error = ?3, updated_at = now() where asset_id = ?1";
    private static final String FIND = "select owner_id, kind, content_type from asset_jobs where asset_id = ?1";

    /** What a run needs to know of its job. */
    public record Job(UUID assetId, String ownerId, String kind, String contentType) {
    }

    /** Records a job for the upload; false when the asset already has one (a redelivery, or it was deleted first). */
    public Uni<Boolean> enqueue(UUID assetId, UUID eventId, String ownerId, String kind, String contentType) {
        return Panache.getSession().chain(s -> s.createNativeQuery(ENQUEUE).setParameter(1, assetId).setParameter(2, eventId)
                .setParameter(3, ownerId).setParameter(4, kind).setParameter(5, contentType).executeUpdate()).map(n -> n == 1);
    }

    /** Cancels the asset's queued or running job (a running one stops at its next lease renewal); blocks a later upload event. */
    public Uni<Void> cancel(UUID assetId, String ownerId, String reason) {
        return Panache.getSession().chain(s -> s.createNativeQuery(CANCEL).setParameter(1, assetId).setParameter(2, ownerId)
                .setParameter(3, reason).executeUpdate()).replaceWithVoid();
    }

    /** Sets a job's status; call after the run's {@code JobRunner#hold}, which makes it the run's own write. */
    public Uni<Void> settle(UUID assetId, String status, String error) {
        return Panache.getSession().chain(s -> s.createNativeQuery(SETTLE).setParameter(1, assetId).setParameter(2, status)
                .setParameter(3, error).executeUpdate()).replaceWithVoid();
    }

    public Uni<Job> find(UUID assetId) {
        return Panache.getSession().chain(s -> s.createNativeQuery(FIND, Object[].class).setParameter(1, assetId).getResultList())
                .map(rows -> rows.isEmpty() ? null : new Job(assetId, (String) rows.get(0)[0], (String) rows.get(0)[1],
                        (String) rows.get(0)[2]));
    }
}
