package io.contentmachine.index.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.qdrant.client.grpc.Collections.CollectionExistsRequest;
import io.qdrant.client.grpc.Collections.CreateCollection;
import io.qdrant.client.grpc.Collections.Distance;
import io.qdrant.client.grpc.Collections.VectorParams;
import io.qdrant.client.grpc.Collections.VectorParamsMap;
import io.qdrant.client.grpc.Collections.VectorsConfig;
import io.qdrant.client.grpc.Common.FieldCondition;
import io.qdrant.client.grpc.JsonWithInt.Value;
import io.qdrant.client.grpc.Points.CreateFieldIndexCollection;
import io.qdrant.client.grpc.Points.DeletePoints;
import io.qdrant.client.grpc.Points.FieldType;
import io.qdrant.client.grpc.Points.PointStruct;
import io.qdrant.client.grpc.Points.SearchPoints;
import io.qdrant.client.grpc.Points.SetPayloadPoints;
import io.qdrant.client.grpc.Points.UpdatePointVectors;
import io.qdrant.client.grpc.Points.UpsertPoints;

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
    void writingTheScriptUpdatesOnlyThatVectorAndMergesThePayload() {
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

            store.upsert(id, Map.of(VectorField.SCRIPT, script), Map.of("title", "Three hearts", "status", "rendered"));
            assertEquals(1, qdrant.requests(UpsertPoints.class).size(), "an existing point is never replaced");
            UpdatePointVectors update = qdrant.requests(UpdatePointVectors.class).get(0);
            assertTrue(update.getWait());
            assertEquals(id.toString(), update.getPoints(0).getId().getUuid());
            assertEquals(List.of("script"), List.copyOf(update.getPoints(0).getVectors().getVectors().getVectorsMap().keySet()));
            SetPayloadPoints setPayload = qdrant.requests(SetPayloadPoints.class).get(0);
            assertTrue(setPayload.getWait());
            assertEquals(List.of(id.toString()), setPayload.getPointsSelector().getPoints().getIdsList().stream()
                    .map(pointId -> pointId.getUuid()).toList());
            assertEquals(Map.of("title", "Three hearts", "status", "rendered"), strings(setPayload.getPayloadMap()));

            StoredProject stored = store.get(id).orElseThrow();
            assertArrayEquals(topic, stored.vectors().get(VectorField.TOPIC));
            assertArrayEquals(script, stored.vectors().get(VectorField.SCRIPT));
            assertEquals("Octopus hearts", stored.payload().get("topic"));
            assertEquals("rendered", stored.payload().get("status"));

            store.upsert(id, Map.of(), Map.of("status", "stored"));
            assertEquals(1, qdrant.requests(UpdatePointVectors.class).size(), "no vectors, no UpdateVectors");
            assertEquals("stored", store.get(id).orElseThrow().payload().get("status"));
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
    void deleteRemovesThePointWithWait() {
        try (QdrantVectorStore store = open(4)) {
            UUID id = UUID.randomUUID();
            store.upsert(id, Map.of(VectorField.TOPIC, new float[] {1, 0, 0, 0}), Map.of("ownerId", "a"));
            store.delete(id);
            DeletePoints delete = qdrant.requests(DeletePoints.class).get(0);
            assertTrue(delete.getWait());
            assertEquals(id.toString(), delete.getPoints().getPoints().getIds(0).getUuid());
            assertTrue(store.get(id).isEmpty());
        }
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

    private static Map<String, String> strings(Map<String, Value> payload) {
        return payload.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, entry -> entry.getValue().getStringValue()));
    }
}
