package io.contentmachine.index.store;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Where project vectors live: Qdrant, or Lucene on local disk. Point id = projectId, so writing the same event twice
 * leaves the same state. A deleted project leaves a tombstone (status {@value #DELETED}, no vectors, no owner) that no
 * later write revives and no search returns, so a late or redelivered event after {@code video.deleted} cannot bring
 * the project back. Writes are safe when several writers (threads, or replicas on Qdrant) touch the same point at
 * once. All methods block: call them from worker threads.
 */
public interface VectorStore extends AutoCloseable {

    /** Payload keys every store keeps (Qdrant has payload indexes on projectId, ownerId, status and createdAt). */
    String PROJECT_ID = "projectId";
    String OWNER_ID = "ownerId";
    String TOPIC = "topic";
    String TITLE = "title";
    String STATUS = "status";
    String CREATED_AT = "createdAt";

    /** The status of a tombstone. */
    String DELETED = "deleted";
    /** The lifecycle statuses in order: a write never moves the status back. */
    List<String> STATUSES = List.of("processing", "rendered", "stored");

    /** The point, a tombstone included (status {@value #DELETED}, no vectors). */
    Optional<StoredProject> get(UUID projectId);

    /**
     * Merges into the point: the given named vectors replace those vectors, the given payload keys replace those keys;
     * every other vector and payload key is kept, whatever other writers do at the same time. Creates the point when
     * it does not exist. A {@link #STATUS} from {@link #STATUSES} is only written when it moves the status forward.
     * A tombstone is left as it is.
     */
    void upsert(UUID projectId, Map<VectorField, float[]> vectors, Map<String, String> payload);

    /** Replaces the point (or its absence) by a tombstone: vectors and payload go, status {@value #DELETED} stays. */
    void delete(UUID projectId);

    /**
     * The owner's points nearest to {@code vector} by the named vector, best first, with plain cosine scores >= minScore.
     * Never a tombstone.
     */
    default List<SearchHit> search(VectorField field, float[] vector, String ownerId, int limit, double minScore) {
        return search(field, vector, ownerId, Map.of(), limit, minScore);
    }

    /**
     * As {@link #search(VectorField, float[], String, int, double)}, only points whose payload has, for each key of
     * {@code anyOf}, one of its values (short keyword values, e.g. an asset's kind).
     */
    List<SearchHit> search(VectorField field, float[] vector, String ownerId, Map<String, List<String>> anyOf, int limit,
            double minScore);

    /** Throws when the store cannot serve requests (readiness). */
    void check();

    /** For logs and health: which store and where. */
    String describe();

    @Override
    void close();

    /** Whether writing status {@code next} over {@code current} keeps the lifecycle order (statuses outside it always do). */
    static boolean movesForward(String current, String next) {
        return current == null || !STATUSES.contains(current) || !STATUSES.contains(next)
                || STATUSES.indexOf(next) >= STATUSES.indexOf(current);
    }

    /** The payload of a deleted project's tombstone. */
    static Map<String, String> tombstone(UUID projectId) {
        return Map.of(PROJECT_ID, projectId.toString(), STATUS, DELETED);
    }
}
