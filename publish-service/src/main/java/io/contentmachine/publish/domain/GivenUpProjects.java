package io.contentmachine.publish.domain;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * Tombstones of projects the gateway gave up on (video.failed, stage timeout). Recording one and creating publishings of a
 * stored video take the project's transaction-scoped advisory lock first, so the two cannot interleave: either the
 * publishings exist before the tombstone (and are ended with it) or the stored video finds the tombstone. Call inside a
 * transaction.
 */
@ApplicationScoped
public class GivenUpProjects {

    private static final String LOCK = "select count(*) from pg_advisory_xact_lock(?1)";
    private static final String IS_GIVEN_UP = "select count(*) from given_up_projects where project_id = ?1";
    private static final String RECORD = "insert into given_up_projects (project_id, reason) values (?1, ?2) on conflict do nothing";

    /** Takes the project's lock until the transaction ends; a statement of its own, before the tombstone is read. */
    public Uni<Void> lock(UUID projectId) {
        long key = projectId.getMostSignificantBits() ^ projectId.getLeastSignificantBits();
        return Panache.getSession().chain(session -> session.createNativeQuery(LOCK, Long.class).setParameter(1, key).getSingleResult())
                .replaceWithVoid();
    }

    public Uni<Boolean> isGivenUp(UUID projectId) {
        return Panache.getSession().chain(session -> session.createNativeQuery(IS_GIVEN_UP, Long.class).setParameter(1, projectId)
                .getSingleResult()).map(n -> n > 0);
    }

    public Uni<Void> record(UUID projectId, String reason) {
        return Panache.getSession().chain(session -> session.createNativeQuery(RECORD).setParameter(1, projectId)
                .setParameter(2, reason).executeUpdate()).replaceWithVoid();
    }
}
