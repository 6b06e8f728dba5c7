package io.contentmachine.index.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.contentmachine.index.embedding.Embeddings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded store on its own: merge semantics, plain cosine scores, owner filter, and what survives a restart. */
class LuceneVectorStoreTest {

    private static final int DIMENSION = 8;

    @TempDir
    Path folder;

    private final Random random = new Random(42);

    @Test
    void writingOneNamedVectorKeepsTheOtherAndThePayload() {
        try (LuceneVectorStore store = new LuceneVectorStore(folder, DIMENSION, 10)) {
            UUID id = UUID.randomUUID();
            float[] topic = vector();
            float[] script = vector();
            store.upsert(id, Map.of(VectorField.TOPIC, topic), Map.of("ownerId", "o", "topic", "t", "status", "processing"));
            store.upsert(id, Map.of(VectorField.SCRIPT, script), Map.of("ownerId", "o", "title", "T"));
            store.upsert(id, Map.of(), Map.of("status", "stored"));
            StoredProject project = store.get(id).orElseThrow();
            assertArrayEquals(topic, project.vectors().get(VectorField.TOPIC));
            assertArrayEquals(script, project.vectors().get(VectorField.SCRIPT));
            assertEquals(Map.of("ownerId", "o", "topic", "t", "status", "stored", "title", "T"), project.payload());
        }
    }

    @Test
    void searchReportsPlainCosineBestFirstAndOnlyForTheOwner() {
        try (LuceneVectorStore store = new LuceneVectorStore(folder, DIMENSION, 10)) {
            float[] query = vector();
            float[] opposite = negated(query);
            UUID same = put(store, "a", query);
            UUID other = put(store, "a", vector());
            UUID far = put(store, "a", opposite);
            put(store, "b", query);

            List<SearchHit> hits = store.search(VectorField.TOPIC, query, "a", 5, -1);
            assertEquals(List.of(same, other, far).size(), hits.size());
            assertEquals(same, hits.get(0).projectId());
            assertEquals(1.0, hits.get(0).score(), 1e-6);
            assertEquals(far, hits.get(2).projectId());
            assertEquals(-1.0, hits.get(2).score(), 1e-6, "plain cosine, not Lucene's (1 + cos) / 2");
            assertEquals(Embeddings.cosine(query, store.get(other).orElseThrow().vectors().get(VectorField.TOPIC)),
                    hits.get(1).score(), 1e-9);
            assertTrue(hits.stream().allMatch(hit -> "a".equals(hit.payload().get("ownerId"))));

            assertEquals(List.of(same), store.search(VectorField.TOPIC, query, "a", 5, 0.99).stream().map(SearchHit::projectId).toList());
            assertEquals(1, store.search(VectorField.TOPIC, query, "a", 1, -1).size());
            assertTrue(store.search(VectorField.SCRIPT, query, "a", 5, -1).isEmpty(), "no script vectors yet");
            assertTrue(store.search(VectorField.TOPIC, query, "nobody", 5, -1).isEmpty());
        }
    }

    @Test
    void theIndexSurvivesARestart() {
        UUID kept;
        UUID deleted;
        float[] topic = vector();
        try (LuceneVectorStore store = new LuceneVectorStore(folder, DIMENSION, 10)) {
            kept = put(store, "owner", topic);
            deleted = put(store, "owner", vector());
            store.delete(deleted);
        }
        try (LuceneVectorStore reopened = new LuceneVectorStore(folder, DIMENSION, 10)) {
            StoredProject project = reopened.get(kept).orElseThrow();
            assertArrayEquals(topic, project.vectors().get(VectorField.TOPIC));
            assertEquals("owner", project.payload().get("ownerId"));
            assertEquals(Map.of("projectId", deleted.toString(), "status", "deleted"), reopened.get(deleted).orElseThrow().payload());
            reopened.upsert(deleted, Map.of(VectorField.TOPIC, topic), Map.of("ownerId", "owner", "status", "processing"));
            assertTrue(reopened.get(deleted).orElseThrow().vectors().isEmpty(), "the tombstone survived the restart");
            List<SearchHit> hits = reopened.search(VectorField.TOPIC, topic, "owner", 5, -1);
            assertEquals(List.of(kept), hits.stream().map(SearchHit::projectId).toList());
            assertEquals(1.0, hits.get(0).score(), 1e-6);
        }
    }

    @Test
    void theStatusOnlyMovesForward() {
        try (LuceneVectorStore store = new LuceneVectorStore(folder, DIMENSION, 10)) {
            UUID id = UUID.randomUUID();
            store.upsert(id, Map.of(VectorField.SCRIPT, vector()), Map.of("ownerId", "o", "status", "rendered"));
            store.upsert(id, Map.of(VectorField.TOPIC, vector()), Map.of("ownerId", "o", "topic", "t", "status", "processing"));
            assertEquals("rendered", store.get(id).orElseThrow().payload().get("status"));
            assertEquals("t", store.get(id).orElseThrow().payload().get("topic"));
            store.upsert(id, Map.of(), Map.of("status", "stored"));
            assertEquals("stored", store.get(id).orElseThrow().payload().get("status"));
        }
    }

    @Test
    void deleteLeavesATombstoneThatLateWritesDoNotRevive() {
        try (LuceneVectorStore store = new LuceneVectorStore(folder, DIMENSION, 10)) {
            UUID id = UUID.randomUUID();
            float[] topic = vector();
            float[] script = vector();
            store.upsert(id, Map.of(VectorField.TOPIC, topic), Map.of("projectId", id.toString(), "ownerId", "o", "topic", "t",
                    "status", "processing"));
            store.delete(id);
            // a late video.rendered, then a redelivered video.requested
            store.upsert(id, Map.of(VectorField.SCRIPT, script), Map.of("projectId", id.toString(), "ownerId", "o", "title", "T",
                    "status", "rendered"));
            store.upsert(id, Map.of(VectorField.TOPIC, topic), Map.of("projectId", id.toString(), "ownerId", "o", "topic", "t",
                    "status", "processing"));
            assertTombstone(store.get(id).orElseThrow());
            assertTrue(store.search(VectorField.TOPIC, topic, "o", 5, -1).isEmpty());
            assertTrue(store.search(VectorField.SCRIPT, script, "o", 5, -1).isEmpty());

            UUID early = UUID.randomUUID();
            store.delete(early);
            store.upsert(early, Map.of(VectorField.TOPIC, topic), Map.of("projectId", early.toString(), "ownerId", "o"));
            assertTombstone(store.get(early).orElseThrow());
            assertTrue(store.search(VectorField.TOPIC, topic, "o", 5, -1).isEmpty());
        }
    }

    @Test
    void concurrentWritersKeepBothVectorsAndADeleteAlwaysWins() throws Exception {
        try (LuceneVectorStore store = new LuceneVectorStore(folder, DIMENSION, 10)) {
            int projects = 100;
            List<UUID> ids = new ArrayList<>();
            List<float[]> topics = new ArrayList<>();
            List<float[]> scripts = new ArrayList<>();
            for (int i = 0; i < projects; i++) {
                ids.add(UUID.randomUUID());
                topics.add(vector());
                scripts.add(vector());
            }
            ExecutorService writers = Executors.newFixedThreadPool(3);
            CountDownLatch start = new CountDownLatch(1);
            try {
                // one thread writes the topics (video.requested), one the scripts (video.rendered), one deletes every third project
                Future<?> requested = writers.submit(() -> {
                    await(start);
                    for (int i = 0; i < projects; i++) {
                        store.upsert(ids.get(i), Map.of(VectorField.TOPIC, topics.get(i)), Map.of("projectId", ids.get(i).toString(),
                                "ownerId", "o", "topic", "topic " + i, "status", "processing"));
                    }
                });
                Future<?> rendered = writers.submit(() -> {
                    await(start);
                    for (int i = 0; i < projects; i++) {
                        store.upsert(ids.get(i), Map.of(VectorField.SCRIPT, scripts.get(i)), Map.of("projectId", ids.get(i).toString(),
                                "ownerId", "o", "title", "title " + i, "status", "rendered"));
                    }
                });
                Future<?> deleted = writers.submit(() -> {
                    await(start);
                    for (int i = 0; i < projects; i += 3) {
                        store.delete(ids.get(i));
                    }
                });
                start.countDown();
                requested.get(60, TimeUnit.SECONDS);
                rendered.get(60, TimeUnit.SECONDS);
                deleted.get(60, TimeUnit.SECONDS);
            } finally {
                writers.shutdownNow();
            }
            for (int i = 0; i < projects; i++) {
                StoredProject project = store.get(ids.get(i)).orElseThrow();
                if (i % 3 == 0) {
                    assertTombstone(project);
                    continue;
                }
                assertArrayEquals(topics.get(i), project.vectors().get(VectorField.TOPIC), "project " + i);
                assertArrayEquals(scripts.get(i), project.vectors().get(VectorField.SCRIPT), "project " + i);
                assertEquals("topic " + i, project.payload().get("topic"));
                assertEquals("title " + i, project.payload().get("title"));
                assertEquals("rendered", project.payload().get("status"));
            }
            assertEquals(projects - (projects + 2) / 3, store.search(VectorField.TOPIC, vector(), "o", 100, -1).size());
        }
    }

    @Test
    void aDifferentDimensionStopsTheStoreWithAClearMessage() {
        try (LuceneVectorStore store = new LuceneVectorStore(folder, DIMENSION, 10)) {
            put(store, "owner", vector());
        }
        IllegalStateException error = assertThrows(IllegalStateException.class, () -> new LuceneVectorStore(folder, 16, 10));
        assertTrue(error.getMessage().contains("holds 8-d vectors but the embedding model gives 16-d vectors"), error.getMessage());
        IllegalStateException tooLarge = assertThrows(IllegalStateException.class,
                () -> new LuceneVectorStore(folder.resolve("large"), 1536, 10));
        assertTrue(tooLarge.getMessage().contains("INDEX_STORE=qdrant"), tooLarge.getMessage());
    }

    private UUID put(LuceneVectorStore store, String owner, float[] topic) {
        UUID id = UUID.randomUUID();
        store.upsert(id, Map.of(VectorField.TOPIC, topic), Map.of("ownerId", owner, "projectId", id.toString()));
        return id;
    }

    private static void assertTombstone(StoredProject project) {
        assertTrue(project.vectors().isEmpty(), "no vectors: " + project.vectors().keySet());
        assertEquals(Map.of("projectId", project.projectId().toString(), "status", "deleted"), project.payload());
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private float[] vector() {
        float[] vector = new float[DIMENSION];
        for (int i = 0; i < DIMENSION; i++) {
            vector[i] = (float) random.nextGaussian();
        }
        return vector;
    }

    private static float[] negated(float[] vector) {
        float[] negated = new float[vector.length];
        for (int i = 0; i < vector.length; i++) {
            negated[i] = -vector[i];
        }
        return negated;
    }
}
