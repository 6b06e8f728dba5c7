package io.contentmachine.index.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.qdrant.client.QdrantClient;
import io.qdrant.client.QdrantGrpcClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * The Qdrant adapter against a real Qdrant server: runs only when QDRANT_HOST is set (QDRANT_PORT, default 6334;
 * QDRANT_API_KEY optional), on a throw-away collection that it deletes afterwards. No Qdrant can run on the CI machines.
 */
@EnabledIfEnvironmentVariable(named = "QDRANT_HOST", matches = ".+")
class QdrantLiveTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @Test
    void mergesSearchesAndKeepsTombstonesOnARealServer() throws Exception {
        String host = System.getenv("QDRANT_HOST");
        int port = Integer.parseInt(System.getenv().getOrDefault("QDRANT_PORT", "6334"));
        String collection = "video-scripts-test-" + UUID.randomUUID();
        QdrantClient admin = client(host, port);
        try (QdrantVectorStore store = new QdrantVectorStore(admin, collection, 4, TIMEOUT, host + ":" + port)) {
            UUID id = UUID.randomUUID();
            float[] topic = {1, 0, 0, 0};
            float[] script = {0, 1, 0, 0};
            store.upsert(id, Map.of(VectorField.TOPIC, topic), Map.of("projectId", id.toString(), "ownerId", "a",
                    "topic", "t", "status", "processing", "createdAt", "2026-11-24T12:00:00Z"));
            store.upsert(id, Map.of(VectorField.SCRIPT, script), Map.of("title", "T", "status", "rendered"));
            StoredProject project = store.get(id).orElseThrow();
            assertArrayEquals(topic, project.vectors().get(VectorField.TOPIC), 1e-6f);
            assertArrayEquals(script, project.vectors().get(VectorField.SCRIPT), 1e-6f);
            assertEquals("t", project.payload().get("topic"));
            assertEquals("rendered", project.payload().get("status"));

            UUID foreign = UUID.randomUUID();
            store.upsert(foreign, Map.of(VectorField.TOPIC, topic), Map.of("ownerId", "b"));
            List<SearchHit> hits = store.search(VectorField.TOPIC, new float[] {1, 1, 0, 0}, "a", 5, 0.5);
            assertEquals(List.of(id), hits.stream().map(SearchHit::projectId).toList());
            assertEquals(Math.sqrt(0.5), hits.get(0).score(), 1e-5);

            // a late write of the topic keeps the script (insert-only upsert, then UpdateVectors), and the status
            store.upsert(id, Map.of(VectorField.TOPIC, topic), Map.of("topic", "t", "status", "processing"));
            assertArrayEquals(script, store.get(id).orElseThrow().vectors().get(VectorField.SCRIPT), 1e-6f);
            assertEquals("rendered", store.get(id).orElseThrow().payload().get("status"));

            store.delete(id);
            store.upsert(id, Map.of(VectorField.SCRIPT, script), Map.of("ownerId", "a", "title", "T", "status", "rendered"));
            StoredProject tombstone = store.get(id).orElseThrow();
            assertTrue(tombstone.vectors().isEmpty());
            assertEquals(Map.of("projectId", id.toString(), "status", "deleted"), tombstone.payload());
            assertTrue(store.search(VectorField.SCRIPT, script, "a", 5, -1).isEmpty());
            store.check();

            IllegalStateException mismatch = assertThrows(IllegalStateException.class,
                    () -> new QdrantVectorStore(admin, collection, 8, TIMEOUT, host + ":" + port));
            assertTrue(mismatch.getMessage().contains("holds 4-d"), mismatch.getMessage());
        } finally {
            QdrantClient cleanup = client(host, port);
            cleanup.deleteCollectionAsync(collection).get();
            cleanup.close();
        }
    }

    private static QdrantClient client(String host, int port) {
        QdrantGrpcClient.Builder grpc = QdrantGrpcClient.newBuilder(host, port, false, false).withTimeout(TIMEOUT);
        String apiKey = System.getenv("QDRANT_API_KEY");
        if (apiKey != null && !apiKey.isBlank()) {
            grpc.withApiKey(apiKey);
        }
        return new QdrantClient(grpc.build());
    }
}
