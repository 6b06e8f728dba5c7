package io.contentmachine.storage.video;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * Tombstones of deleted projects (table deleted_projects). Deleting a project writes one in the transaction that removes
 * its rows; storing a video checks for one in the transaction that would add the row. Both first take the project's
 * transaction-scoped advisory lock, so the two cannot interleave: either the video is recorded before the delete (which
 * then removes it) or the store sees the tombstone.
 */
@ApplicationScoped
public class DeletedProjects {

    private static final String LOCK = "select count(*) from pg_advisory_xact_lock(?1)";
    private static final String IS_DELETED = "select count(*) from deleted_projects where project_id = ?1";
    private static final String RECORD = "insert into deleted_projects (project_id, deleted_at) values (?1, now()) on conflict do nothing";

    /**
     * Takes the project's lock until the transaction ends. Call inside a transaction, as a statement of its own before
     * reading the tombstone: a statement sees what was committed when it started, not what committed while it waited.
     */
    public Uni<Void> lock(UUID projectId) {
        long key = projectId.getMostSignificantBits() ^ projectId.getLeastSignificantBits();
        return Panache.getSession().chain(session -> session.createNativeQuery(LOCK, Long.class).setParameter(1, key).getSingleResult())
                .replaceWithVoid();
    }

    /** True when the project was deleted; call inside a session. */
    public Uni<Boolean> isDeleted(UUID projectId) {
        return Panache.getSession().chain(session -> session.createNativeQuery(IS_DELETED, Long.class).setParameter(1, projectId)
                .getSingleResult()).map(count -> count > 0);
    }

    /** Records the tombstone (idempotent); call inside a transaction, after {@link #lock}. */
    public Uni<Void> record(UUID projectId) {
        return Panache.getSession().chain(session -> session.createNativeQuery(RECORD).setParameter(1, projectId).executeUpdate())
                .replaceWithVoid();
    }
}
