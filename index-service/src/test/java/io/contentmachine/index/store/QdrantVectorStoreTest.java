package io.contentmachine.index.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.qdrant.client.PointIdFactory;
import io.qdrant.client.QdrantClient;
import io.qdrant.client.VectorFactory;
import io.qdrant.client.VectorsFactory;
import io.qdrant.client.grpc.Collections.CollectionExistsRequest;
import io.qdrant.client.grpc.Collections.CreateCollection;
import io.qdrant.client.grpc.Collections.Distance;
import io.qdrant.client.grpc.Collections.VectorParams;
import io.qdrant.client.grpc.Collections.VectorParamsMap;
import io.qdrant.client.grpc.Collections.VectorsConfig;
import io.qdrant.client.grpc.Common.FieldCondition;
import io.qdrant.client.grpc.Common.Filter;
import io.qdrant.client.grpc.JsonWithInt.Value;
import io.qdrant.client.grpc.Points.CreateFieldIndexCollection;
import io.qdrant.client.grpc.Points.DeletePoints;
import io.qdrant.client.grpc.Points.FieldType;
import io.qdrant.client.grpc.Points.PointStruct;
import io.qdrant.client.grpc.Points.PointVectors;
import io.qdrant.client.grpc.Points.SearchPoints;
import io.qdrant.client.grpc.Points.SetPayloadPoints;
import io.qdrant.client.grpc.Points.UpdatePointVectors;
import io.qdrant.client.grpc.Points.UpsertPoints;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The Qdrant adapter at the wire level: what it asks an (in-process) Qdrant gRPC server for, and how it reads the answers. */
class QdrantVectorStoreTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final FakeQdrant qdrant = new FakeQdrant();

    @AfterEach
    void stop() {
        qdrant.close();
    }

    @Test
    void createsTheCollectionWithNamedCosineVectorsAndPayloadIndexes() {
        try (QdrantVectorStore store = open(384)) {
            assertEquals("video-scripts", qdrant.requests(CollectionExistsRequest.class).get(0).getCollectionName());
            CreateCollection create = qdrant.requests(CreateCollection.class).get(0);
            assertEquals("video-scripts", create.getCollectionName());
            Map<String, VectorParams> named = create.getVectorsConfig().getParamsMap().getMapMap();
            assertEquals(2, named.size());
            for (String field : List.of("topic", "script")) {
                assertEquals(384, named.get(field).getSize());
                assertEquals(Distance.Cosine, named.get(field).getDistance());
            }
            Map<String, FieldType> indexes = qdrant.requests(CreateFieldIndexCollection.class).stream()
                    .peek(index -> assertTrue(index.getWait()))
                    .peek(index -> assertEquals("video-scripts", index.getCollectionName()))
                    .collect(Collectors.toMap(CreateFieldIndexCollection::getFieldName, CreateFieldIndexCollection::getFieldType));
            assertEquals(Map.of("projectId", FieldType.FieldTypeKeyword, "ownerId", FieldType.FieldTypeKeyword,
                    "status", FieldType.FieldTypeKeyword, "createdAt", FieldType.FieldTypeDatetime), indexes);
            store.check();
        }
    }

    @Test
    void anExistingCollectionIsKeptWhenItMatches() {
        qdrant.collection = namedConfig(4);
        try (QdrantVectorStore store = open(4)) {
            assertTrue(qdrant.requests(CreateCollection.class).isEmpty());
            assertTrue(qdrant.requests(CreateFieldIndexCollection.class).isEmpty());
        }
    }

    @Test
    void anExistingCollectionOfAnotherDimensionStopsTheService() {
        qdrant.collection = namedConfig(1536);
        IllegalStateException error = assertThrows(IllegalStateException.class, () -> open(384));
        assertTrue(error.getMessage().contains("holds 1536-d 'topic' vectors but the embedding model gives 384-d vectors"),
                error.getMessage());
        assertTrue(qdrant.requests(CreateCollection.class).isEmpty());

        qdrant.collection = VectorsConfig.newBuilder()
                .setParams(VectorParams.newBuilder().setSize(384).setDistance(Distance.Cosine)).build();
        IllegalStateException unnamed = assertThrows(IllegalStateException.class, () -> open(384));
        assertTrue(unnamed.getMessage().contains("single unnamed vector"), unnamed.getMessage());
    }

    @Test
    void aWriteCreatesIfAbsentThenMergesVectorsAndPayloadUnlessDeleted() {
        try (QdrantVectorStore store = open(4)) {
            UUID id = UUID.randomUUID();
            float[] topic = {1, 0, 0, 0};
            float[] script = {0, 1, 0, 0};
            store.upsert(id, Map.of(VectorField.TOPIC, topic), Map.of("projectId", id.toString(), "ownerId", "owner-1",
                    "topic", "Octopus hearts", "status", "processing", "createdAt", "2026-11-24T12:00:00Z"));

            UpsertPoints upsert = qdrant.requests(UpsertPoints.class).get(0);
            assertTrue(upsert.getWait());
            assertEquals("video-scripts", upsert.getCollectionName());
            PointStruct point = upsert.getPoints(0);
            assertEquals(id.toString(), point.getId().getUuid());
            assertEquals(List.of("topic"), List.copyOf(point.getVectors().getVectors().getVectorsMap().keySet()));
            assertEquals(List.of(1f, 0f, 0f, 0f), FakeQdrant.dense(point.getVectors().getVectors().getVectorsMap().get("topic")));
            assertEquals("owner-1", point.getPayloadMap().get("ownerId").getStringValue());
            assertEquals("processing", point.getPayloadMap().get("status").getStringValue());
            assertEquals("2026-11-24T12:00:00Z", point.getPayloadMap().get("createdAt").getStringValue());
            // insert only: an existing point never matches "not this id", so the upsert leaves it as it is
            assertEquals(0, upsert.getUpdateFilter().getMustCount());
            assertEquals(id.toString(), upsert.getUpdateFilter().getMustNot(0).getHasId().getHasId(0).getUuid());

            store.upsert(id, Map.of(VectorField.SCRIPT, script), Map.of("title", "Three hearts", "status", "rendered"));
            UpsertPoints second = qdrant.requests(UpsertPoints.class).get(1);
            assertEquals(List.of("script"), List.copyOf(second.getPoints(0).getVectors().getVectors().getVectorsMap().keySet()));
            assertTrue(second.hasUpdateFilter(), "every write's upsert is insert-only");

            UpdatePointVectors update = qdrant.requests(UpdatePointVectors.class).get(1);
            assertTrue(update.getWait());
            assertEquals(id.toString(), update.getPoints(0).getId().getUuid());
            assertEquals(List.of("script"), List.copyOf(update.getPoints(0).getVectors().getVectors().getVectorsMap().keySet()));
            assertNotDeleted(update.getUpdateFilter().getMustNot(0).getField());

            List<SetPayloadPoints> setPayloads = qdrant.requests(SetPayloadPoints.class);
            SetPayloadPoints keys = setPayloads.get(2);
            assertTrue(keys.getWait());
            assertEquals(Map.of("title", "Three hearts"), strings(keys.getPayloadMap()));
            Filter keysWhere = keys.getPointsSelector().getFilter();
            assertEquals(id.toString(), keysWhere.getMust(0).getHasId().getHasId(0).getUuid());
            assertNotDeleted(keysWhere.getMustNot(0).getField());
            SetPayloadPoints status = setPayloads.get(3);
            assertEquals(Map.of("status", "rendered"), strings(status.getPayloadMap()));
            Filter statusWhere = status.getPointsSelector().getFilter();
            assertEquals(id.toString(), statusWhere.getMust(0).getHasId().getHasId(0).getUuid());
            assertEquals("status", statusWhere.getMustNot(0).getField().getKey());
            assertEquals(List.of("deleted", "stored"), statusWhere.getMustNot(0).getField().getMatch().getKeywords().getStringsList(),
                    "rendered is written unless the status is already later, or deleted");

            StoredProject stored = store.get(id).orElseThrow();
            assertArrayEquals(topic, stored.vectors().get(VectorField.TOPIC));
            assertArrayEquals(script, stored.vectors().get(VectorField.SCRIPT));
            assertEquals("Octopus hearts", stored.payload().get("topic"));
            assertEquals("Three hearts", stored.payload().get("title"));
            assertEquals("rendered", stored.payload().get("status"));

            store.upsert(id, Map.of(), Map.of("status", "stored"));
            assertEquals(2, qdrant.requests(UpdatePointVectors.class).size(), "no vectors, no UpdateVectors");
            assertEquals("stored", store.get(id).orElseThrow().payload().get("status"));
            store.upsert(id, Map.of(VectorField.TOPIC, topic), Map.of("topic", "Octopus hearts", "status", "processing"));
            assertEquals("stored", store.get(id).orElseThrow().payload().get("status"), "a late video.requested never sets it back");
            assertArrayEquals(script, store.get(id).orElseThrow().vectors().get(VectorField.SCRIPT));
        }
    }

    @Test
    void twoReplicasCreatingTheSamePointAtOnceKeepBothVectorsAndBothPayloads() throws Exception {
        try (QdrantVectorStore first = open(4); QdrantVectorStore second = open(4)) {
            float[] topic = {1, 0, 0, 0};
            float[] script = {0, 1, 0, 0};
            ExecutorService replicas = Executors.newFixedThreadPool(2);
            try {
                for (int round = 0; round < 20; round++) {
                    UUID id = UUID.randomUUID();
                    // both replicas' create-if-absent upserts are in flight at the same time, then applied one after the other
                    CyclicBarrier together = new CyclicBarrier(2);
                    qdrant.beforeApply = request -> {
                        if (request instanceof UpsertPoints) {
                            await(together);
                        }
                    };
                    Future<?> requested = replicas.submit(() -> first.upsert(id, Map.of(VectorField.TOPIC, topic), Map.of(
                            "projectId", id.toString(), "ownerId", "a", "topic", "Octopus hearts", "status", "processing")));
                    Future<?> rendered = replicas.submit(() -> second.upsert(id, Map.of(VectorField.SCRIPT, script), Map.of(
                            "projectId", id.toString(), "ownerId", "a", "title", "Three hearts", "status", "rendered")));
                    requested.get(10, TimeUnit.SECONDS);
                    rendered.get(10, TimeUnit.SECONDS);
                    qdrant.beforeApply = request -> { };

                    StoredProject project = first.get(id).orElseThrow();
                    assertArrayEquals(topic, project.vectors().get(VectorField.TOPIC), "round " + round);
                    assertArrayEquals(script, project.vectors().get(VectorField.SCRIPT), "round " + round);
                    assertEquals("Octopus hearts", project.payload().get("topic"));
                    assertEquals("Three hearts", project.payload().get("title"));
                    assertEquals("rendered", project.payload().get("status"));
                }
            } finally {
                replicas.shutdownNow();
            }
        }
    }

    @Test
    void aRaceBetweenTheStepsOfTwoWritesStillMergesBoth() throws Exception {
        try (QdrantVectorStore first = open(4); QdrantVectorStore second = open(4)) {
            UUID id = UUID.randomUUID();
            float[] topic = {1, 0, 0, 0};
            float[] script = {0, 1, 0, 0};
            // the first replica creates the point and is held before merging; the second writes all its steps meanwhile
            CountDownLatch created = new CountDownLatch(1);
            CountDownLatch secondDone = new CountDownLatch(1);
            qdrant.beforeApply = request -> {
                if (request instanceof UpdatePointVectors update && update.getPoints(0).getVectors().getVectors()
                        .containsVectors("topic")) {
                    created.countDown();
                    await(secondDone);
                }
            };
            ExecutorService replica = Executors.newSingleThreadExecutor();
            try {
                Future<?> requested = replica.submit(() -> first.upsert(id, Map.of(VectorField.TOPIC, topic), Map.of(
                        "projectId", id.toString(), "ownerId", "a", "topic", "Octopus hearts", "status", "processing")));
                assertTrue(created.await(10, TimeUnit.SECONDS));
                second.upsert(id, Map.of(VectorField.SCRIPT, script), Map.of("ownerId", "a", "title", "Three hearts", "status",
                        "rendered"));
                secondDone.countDown();
                requested.get(10, TimeUnit.SECONDS);
            } finally {
                replica.shutdownNow();
            }
            StoredProject project = first.get(id).orElseThrow();
            assertArrayEquals(topic, project.vectors().get(VectorField.TOPIC));
            assertArrayEquals(script, project.vectors().get(VectorField.SCRIPT));
            assertEquals("Octopus hearts", project.payload().get("topic"));
            assertEquals("Three hearts", project.payload().get("title"));
            assertEquals("rendered", project.payload().get("status"), "the late processing did not set it back");
        }
    }

    @Test
    void theFakeReplacesOnPlainUpsertAndRefusesVectorsForAMissingPoint() throws Exception {
        // what makes the steps above necessary: a plain upsert loses the other vector, UpdateVectors needs the point
        try (QdrantVectorStore store = open(4)) {
            UUID id = UUID.randomUUID();
            store.upsert(id, Map.of(VectorField.TOPIC, new float[] {1, 0, 0, 0}), Map.of("ownerId", "a", "topic", "t"));
            QdrantClient raw = qdrant.client();
            raw.upsertAsync(UpsertPoints.newBuilder().setCollectionName("video-scripts").setWait(true)
                    .addPoints(PointStruct.newBuilder().setId(PointIdFactory.id(id))
                            .setVectors(VectorsFactory.namedVectors(Map.of("script", VectorFactory.vector(List.of(0f, 1f, 0f, 0f))))))
                    .build()).get();
            StoredProject replaced = store.get(id).orElseThrow();
            assertEquals(Set.of(VectorField.SCRIPT), replaced.vectors().keySet());
            assertTrue(replaced.payload().isEmpty());
            ExecutionException missing = assertThrows(ExecutionException.class, () -> raw.updateVectorsAsync(UpdatePointVectors.newBuilder()
                    .setCollectionName("video-scripts").setWait(true)
                    .addPoints(PointVectors.newBuilder().setId(PointIdFactory.id(UUID.randomUUID()))
                            .setVectors(VectorsFactory.namedVectors(Map.of("topic", VectorFactory.vector(List.of(1f, 0f, 0f, 0f))))))
                    .build()).get());
            assertTrue(missing.getCause().getMessage().contains("NOT_FOUND"), missing.getCause().getMessage());
        }
    }

    @Test
    void searchFiltersByOwnerAndReturnsPlainScoresWithPayload() {
        try (QdrantVectorStore store = open(4)) {
            UUID near = UUID.randomUUID();
            UUID far = UUID.randomUUID();
            UUID foreign = UUID.randomUUID();
            store.upsert(near, Map.of(VectorField.TOPIC, new float[] {1, 1, 0, 0}), Map.of("ownerId", "a", "topic", "near"));
            store.upsert(far, Map.of(VectorField.TOPIC, new float[] {0, 0, 1, 0}), Map.of("ownerId", "a", "topic", "far"));
            store.upsert(foreign, Map.of(VectorField.TOPIC, new float[] {1, 1, 0, 0}), Map.of("ownerId", "b", "topic", "foreign"));

            List<SearchHit> hits = store.search(VectorField.TOPIC, new float[] {1, 0, 0, 0}, "a", 5, 0.5);
            SearchPoints search = qdrant.requests(SearchPoints.class).get(0);
            assertEquals("video-scripts", search.getCollectionName());
            assertEquals("topic", search.getVectorName());
            assertEquals(List.of(1f, 0f, 0f, 0f), search.getVectorList());
            assertEquals(5, search.getLimit());
            assertEquals(0.5f, search.getScoreThreshold());
            assertTrue(search.getWithPayload().getEnable());
            FieldCondition owner = search.getFilter().getMust(0).getField();
            assertEquals("ownerId", owner.getKey());
            assertEquals("a", owner.getMatch().getKeyword());
            assertEquals(1, search.getFilter().getMustCount());
            assertNotDeleted(search.getFilter().getMustNot(0).getField());

            assertEquals(List.of(near), hits.stream().map(SearchHit::projectId).toList());
            assertEquals(Math.sqrt(0.5), hits.get(0).score(), 1e-6);
            assertEquals("near", hits.get(0).payload().get("topic"));

            store.search(VectorField.SCRIPT, new float[] {1, 0, 0, 0}, "a", 3, -1);
            SearchPoints unbounded = qdrant.requests(SearchPoints.class).get(1);
            assertEquals("script", unbounded.getVectorName());
            assertFalse(unbounded.hasScoreThreshold());
        }
    }

    @Test
    void theAssetsCollectionHasItsOwnVectorAKindIndexAndSearchesFilterByKind() {
        try (QdrantVectorStore store = new QdrantVectorStore(qdrant.client(), "assets", 4, TIMEOUT, "fake:6334",
                List.of(VectorField.ASSET), List.of("kind"))) {
            CreateCollection create = qdrant.requests(CreateCollection.class).get(0);
            assertEquals("assets", create.getCollectionName());
            assertEquals(Set.of("asset"), create.getVectorsConfig().getParamsMap().getMapMap().keySet());
            Map<String, FieldType> indexes = qdrant.requests(CreateFieldIndexCollection.class).stream()
                    .collect(Collectors.toMap(CreateFieldIndexCollection::getFieldName, CreateFieldIndexCollection::getFieldType));
            assertEquals(FieldType.FieldTypeKeyword, indexes.get("kind"));
            assertEquals(FieldType.FieldTypeKeyword, indexes.get("ownerId"));

            store.search(VectorField.ASSET, new float[] {1, 0, 0, 0}, "a", Map.of("kind", List.of("video", "image")), 8, 0.3);
            SearchPoints search = qdrant.requests(SearchPoints.class).get(0);
            assertEquals("assets", search.getCollectionName());
            assertEquals("asset", search.getVectorName());
            assertEquals(0.3f, search.getScoreThreshold());
            assertEquals(2, search.getFilter().getMustCount());
            assertEquals("ownerId", search.getFilter().getMust(0).getField().getKey());
            FieldCondition kind = search.getFilter().getMust(1).getField();
            assertEquals("kind", kind.getKey());
            assertEquals(List.of("video", "image"), kind.getMatch().getKeywords().getStringsList());
            assertNotDeleted(search.getFilter().getMustNot(0).getField());
        }
    }

    @Test
    void deleteLeavesATombstoneThatLateWritesDoNotRevive() {
        try (QdrantVectorStore store = open(4)) {
            UUID id = UUID.randomUUID();
            float[] topic = {1, 0, 0, 0};
            store.upsert(id, Map.of(VectorField.TOPIC, topic), Map.of("projectId", id.toString(), "ownerId", "a", "topic", "t",
                    "status", "processing"));
            store.delete(id);
            UpsertPoints tombstone = qdrant.requests(UpsertPoints.class).get(1);
            assertTrue(tombstone.getWait());
            assertFalse(tombstone.hasUpdateFilter(), "the tombstone replaces whatever is there");
            assertTrue(tombstone.getPoints(0).getVectors().getVectors().getVectorsMap().isEmpty());
            assertEquals(Map.of("projectId", id.toString(), "status", "deleted"), strings(tombstone.getPoints(0).getPayloadMap()));
            assertTrue(qdrant.requests(DeletePoints.class).isEmpty());

            // a late video.rendered, then a redelivered video.requested
            store.upsert(id, Map.of(VectorField.SCRIPT, new float[] {0, 1, 0, 0}), Map.of("projectId", id.toString(), "ownerId", "a",
                    "title", "T", "status", "rendered"));
            store.upsert(id, Map.of(VectorField.TOPIC, topic), Map.of("projectId", id.toString(), "ownerId", "a", "topic", "t",
                    "status", "processing"));
            assertTombstone(store.get(id).orElseThrow());
            assertTrue(store.search(VectorField.TOPIC, topic, "a", 5, -1).isEmpty());
            assertTrue(store.search(VectorField.SCRIPT, new float[] {0, 1, 0, 0}, "a", 5, -1).isEmpty());
            SearchPoints search = qdrant.requests(SearchPoints.class).get(0);
            assertNotDeleted(search.getFilter().getMustNot(0).getField());

            // deleted before anything was indexed: the tombstone is there first, and stays
            UUID early = UUID.randomUUID();
            store.delete(early);
            store.upsert(early, Map.of(VectorField.TOPIC, topic), Map.of("projectId", early.toString(), "ownerId", "a",
                    "status", "processing"));
            assertTombstone(store.get(early).orElseThrow());
            assertTrue(store.search(VectorField.TOPIC, topic, "a", 5, -1).isEmpty());
        }
    }

    @Test
    void aDeleteBetweenTheStepsOfAWriteWins() throws Exception {
        try (QdrantVectorStore writer = open(4); QdrantVectorStore deleter = open(4)) {
            UUID id = UUID.randomUUID();
            // the writer has created the point; before it merges vectors and payload, another replica deletes the project
            CountDownLatch created = new CountDownLatch(1);
            CountDownLatch deleted = new CountDownLatch(1);
            qdrant.beforeApply = request -> {
                if (request instanceof UpdatePointVectors) {
                    created.countDown();
                    await(deleted);
                }
            };
            ExecutorService replica = Executors.newSingleThreadExecutor();
            try {
                Future<?> rendered = replica.submit(() -> writer.upsert(id, Map.of(VectorField.SCRIPT, new float[] {0, 1, 0, 0}),
                        Map.of("projectId", id.toString(), "ownerId", "a", "title", "T", "status", "rendered")));
                assertTrue(created.await(10, TimeUnit.SECONDS));
                deleter.delete(id);
                deleted.countDown();
                rendered.get(10, TimeUnit.SECONDS);
            } finally {
                replica.shutdownNow();
            }
            assertTombstone(writer.get(id).orElseThrow());
            assertTrue(writer.search(VectorField.SCRIPT, new float[] {0, 1, 0, 0}, "a", 5, -1).isEmpty());
        }
    }

    @Test
    void aQdrantOlderThan116StopsTheService() {
        qdrant.version = "1.15.5";
        IllegalStateException error = assertThrows(IllegalStateException.class, () -> open(384));
        assertTrue(error.getMessage().contains("is version 1.15.5; index-service needs 1.16 or later"), error.getMessage());
        assertTrue(qdrant.requests(CreateCollection.class).isEmpty());
    }

    @Test
    void anUnreachableQdrantStopsTheServiceWithAClearMessage() {
        qdrant.close();
        IllegalStateException error = assertThrows(IllegalStateException.class, () -> open(384));
        assertTrue(error.getMessage().startsWith("cannot reach Qdrant at fake:6334"), error.getMessage());
    }

    private QdrantVectorStore open(int dimension) {
        return new QdrantVectorStore(qdrant.client(), "video-scripts", dimension, TIMEOUT, "fake:6334");
    }

    private static VectorsConfig namedConfig(int dimension) {
        VectorParams params = VectorParams.newBuilder().setSize(dimension).setDistance(Distance.Cosine).build();
        return VectorsConfig.newBuilder().setParamsMap(VectorParamsMap.newBuilder().putMap("topic", params).putMap("script", params))
                .build();
    }

    private static void assertTombstone(StoredProject project) {
        assertTrue(project.vectors().isEmpty(), "no vectors: " + project.vectors().keySet());
        assertEquals(Map.of("projectId", project.projectId().toString(), "status", "deleted"), project.payload());
    }

    private static void assertNotDeleted(FieldCondition condition) {
        assertEquals("status", condition.getKey());
        assertEquals("deleted", condition.getMatch().getKeyword());
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            assertTrue(latch.await(10, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> strings(Map<String, Value> payload) {
        return payload.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, entry -> entry.getValue().getStringValue()));
    }
}
