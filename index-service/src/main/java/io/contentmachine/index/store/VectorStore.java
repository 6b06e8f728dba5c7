package io.contentmachine.index.store;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Where project vectors live: Qdrant, or Lucene on local disk. Point id = projectId, so writing the same event twice
 * leaves the same state. All methods block: call them from worker threads.
 */
public interface VectorStore extends AutoCloseable {

    /** Payload keys every store keeps (Qdrant has payload indexes on projectId, ownerId, status and createdAt). */
    String PROJECT_ID = "projectId";
    String OWNER_ID = "ownerId";
    String TOPIC = "topic";
    String TITLE = "title";
    String STATUS = "status";
    String CREATED_AT = "createdAt";

    Optional<StoredProject> get(UUID projectId);

    /**
     * Merges into the point: the given named vectors replace those vectors, the given payload keys replace those keys;
     * every other vector and payload key is kept. Creates the point when it does not exist.
     */
    void upsert(UUID projectId, Map<VectorField, float[]> vectors, Map<String, String> payload);

    void delete(UUID projectId);

    /** The owner's points nearest to {@code vector} by the named vector, best first, with plain cosine scores >= minScore. */
    List<SearchHit> search(VectorField field, float[] vector, String ownerId, int limit, double minScore);

    /** Throws when the store cannot serve requests (readiness). */
    void check();

    /** For logs and health: which store and where. */
    String describe();

    @Override
    void close();
}
