package io.contentmachine.index.store;

import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.jboss.logging.Logger;

import com.google.common.util.concurrent.ListenableFuture;

import io.qdrant.client.ConditionFactory;
import io.qdrant.client.PointIdFactory;
import io.qdrant.client.QdrantClient;
import io.qdrant.client.ValueFactory;
import io.qdrant.client.VectorFactory;
import io.qdrant.client.VectorOutputHelper;
import io.qdrant.client.VectorsFactory;
import io.qdrant.client.WithPayloadSelectorFactory;
import io.qdrant.client.WithVectorsSelectorFactory;
import io.qdrant.client.grpc.Collections.CollectionInfo;
import io.qdrant.client.grpc.Collections.CreateCollection;
import io.qdrant.client.grpc.Collections.Distance;
import io.qdrant.client.grpc.Collections.PayloadSchemaType;
import io.qdrant.client.grpc.Collections.VectorParams;
import io.qdrant.client.grpc.Collections.VectorParamsMap;
import io.qdrant.client.grpc.Collections.VectorsConfig;
import io.qdrant.client.grpc.Common.Filter;
import io.qdrant.client.grpc.Common.PointId;
import io.qdrant.client.grpc.JsonWithInt.Value;
import io.qdrant.client.grpc.Points.DeletePoints;
import io.qdrant.client.grpc.Points.PointStruct;
import io.qdrant.client.grpc.Points.PointVectors;
import io.qdrant.client.grpc.Points.PointsIdsList;
import io.qdrant.client.grpc.Points.PointsSelector;
import io.qdrant.client.grpc.Points.RetrievedPoint;
import io.qdrant.client.grpc.Points.ScoredPoint;
import io.qdrant.client.grpc.Points.SearchPoints;
import io.qdrant.client.grpc.Points.SetPayloadPoints;
import io.qdrant.client.grpc.Points.UpdatePointVectors;
import io.qdrant.client.grpc.Points.UpsertPoints;
import io.qdrant.client.grpc.Points.Vector;
import io.qdrant.client.grpc.Points.VectorOutput;

/**
 * The production store: a Qdrant collection (default {@code video-scripts}) with named cosine vectors {@code topic} and
 * {@code script}, payload indexes on projectId, ownerId, status and createdAt, point id = projectId, every write with
 * wait=true. An existing point is changed in place (UpdateVectors for the named vector, SetPayload for the keys), so
 * writing the script never erases the topic vector or the payload.
 */
public final class QdrantVectorStore implements VectorStore {

    private static final Logger LOG = Logger.getLogger(QdrantVectorStore.class);

    private final QdrantClient client;
    private final String collection;
    private final int dimension;
    private final Duration timeout;
    private final String where;

    /** Connects and makes sure the collection exists with {@code dimension}-d named vectors; throws when it does not match. */
    public QdrantVectorStore(QdrantClient client, String collection, int dimension, Duration timeout, String where) {
        this.client = client;
        this.collection = collection;
        this.dimension = dimension;
        this.timeout = timeout;
        this.where = where;
        ensureCollection();
    }

    private void ensureCollection() {
        boolean exists;
        try {
            exists = await(client.collectionExistsAsync(collection, timeout));
        } catch (VectorStoreException e) {
            throw new IllegalStateException("cannot reach Qdrant at " + where + ": " + e.getMessage(), e);
        }
        if (exists) {
            verifyCollection(await(client.getCollectionInfoAsync(collection, timeout)));
            return;
        }
        VectorParams params = VectorParams.newBuilder().setSize(dimension).setDistance(Distance.Cosine).build();
        VectorParamsMap.Builder named = VectorParamsMap.newBuilder();
        for (VectorField field : VectorField.values()) {
            named.putMap(field.key(), params);
        }
        await(client.createCollectionAsync(CreateCollection.newBuilder()
                .setCollectionName(collection)
                .setVectorsConfig(VectorsConfig.newBuilder().setParamsMap(named))
                .build(), timeout));
        index(PROJECT_ID, PayloadSchemaType.Keyword);
        index(OWNER_ID, PayloadSchemaType.Keyword);
        index(STATUS, PayloadSchemaType.Keyword);
        index(CREATED_AT, PayloadSchemaType.Datetime);
        LOG.infof("created Qdrant collection %s (%d-d named vectors topic and script, cosine)", collection, dimension);
    }

    private void index(String field, PayloadSchemaType type) {
        await(client.createPayloadIndexAsync(collection, field, type, null, true, null, timeout));
    }

    private void verifyCollection(CollectionInfo info) {
        VectorsConfig config = info.getConfig().getParams().getVectorsConfig();
        if (!config.hasParamsMap()) {
            throw new IllegalStateException("Qdrant collection " + collection + " has a single unnamed vector; index-service needs "
                    + "named vectors topic and script: drop it or set INDEX_QDRANT_COLLECTION to another name");
        }
        for (VectorField field : VectorField.values()) {
            VectorParams params = config.getParamsMap().getMapMap().get(field.key());
            if (params == null) {
                throw new IllegalStateException("Qdrant collection " + collection + " has no named vector '" + field.key()
                        + "'; drop it or set INDEX_QDRANT_COLLECTION to another name");
            }
            if (params.getSize() != dimension) {
                throw new IllegalStateException("Qdrant collection " + collection + " holds " + params.getSize() + "-d '" + field.key()
                        + "' vectors but the embedding model gives " + dimension + "-d vectors; use the model the collection was "
                        + "built with, or set INDEX_QDRANT_COLLECTION to a new collection (and re-index)");
            }
        }
    }

    @Override
    public Optional<StoredProject> get(UUID projectId) {
        List<RetrievedPoint> points = await(client.retrieveAsync(collection, List.of(PointIdFactory.id(projectId)),
                WithPayloadSelectorFactory.enable(true), WithVectorsSelectorFactory.enable(true), null, timeout));
        if (points.isEmpty()) {
            return Optional.empty();
        }
        RetrievedPoint point = points.get(0);
        Map<VectorField, float[]> vectors = new EnumMap<>(VectorField.class);
        if (point.hasVectors() && point.getVectors().hasVectors()) {
            Map<String, VectorOutput> named = point.getVectors().getVectors().getVectorsMap();
            for (VectorField field : VectorField.values()) {
                VectorOutput output = named.get(field.key());
                if (output != null) {
                    vectors.put(field, toArray(VectorOutputHelper.getDenseVector(output).getDataList()));
                }
            }
        }
        return Optional.of(new StoredProject(projectId, fromPayload(point.getPayloadMap()), vectors));
    }

    @Override
    public void upsert(UUID projectId, Map<VectorField, float[]> vectors, Map<String, String> payload) {
        PointId id = PointIdFactory.id(projectId);
        boolean exists = !await(client.retrieveAsync(collection, List.of(id), WithPayloadSelectorFactory.enable(false),
                WithVectorsSelectorFactory.enable(false), null, timeout)).isEmpty();
        if (!exists) {
            await(client.upsertAsync(UpsertPoints.newBuilder()
                    .setCollectionName(collection)
                    .setWait(true)
                    .addPoints(PointStruct.newBuilder().setId(id).setVectors(VectorsFactory.namedVectors(toVectors(vectors)))
                            .putAllPayload(toPayload(payload)))
                    .build(), timeout));
            return;
        }
        if (!vectors.isEmpty()) {
            await(client.updateVectorsAsync(UpdatePointVectors.newBuilder()
                    .setCollectionName(collection)
                    .setWait(true)
                    .addPoints(PointVectors.newBuilder().setId(id).setVectors(VectorsFactory.namedVectors(toVectors(vectors))))
                    .build(), timeout));
        }
        if (!payload.isEmpty()) {
            await(client.setPayloadAsync(SetPayloadPoints.newBuilder()
                    .setCollectionName(collection)
                    .setWait(true)
                    .putAllPayload(toPayload(payload))
                    .setPointsSelector(select(id))
                    .build(), timeout));
        }
    }

    @Override
    public void delete(UUID projectId) {
        await(client.deleteAsync(DeletePoints.newBuilder()
                .setCollectionName(collection)
                .setWait(true)
                .setPoints(select(PointIdFactory.id(projectId)))
                .build(), timeout));
    }

    @Override
    public List<SearchHit> search(VectorField field, float[] vector, String ownerId, int limit, double minScore) {
        SearchPoints.Builder request = SearchPoints.newBuilder()
                .setCollectionName(collection)
                .setVectorName(field.key())
                .setLimit(limit)
                .setFilter(Filter.newBuilder().addMust(ConditionFactory.matchKeyword(OWNER_ID, ownerId)))
                .setWithPayload(WithPayloadSelectorFactory.enable(true));
        for (float value : vector) {
            request.addVector(value);
        }
        if (minScore > -1) {
            request.setScoreThreshold((float) minScore);
        }
        List<ScoredPoint> points = await(client.searchAsync(request.build(), timeout));
        return points.stream()
                .map(point -> new SearchHit(UUID.fromString(point.getId().getUuid()), point.getScore(), fromPayload(point.getPayloadMap())))
                .toList();
    }

    @Override
    public void check() {
        await(client.healthCheckAsync(timeout));
    }

    @Override
    public String describe() {
        return "Qdrant at " + where + ", collection " + collection + " (" + dimension + "-d)";
    }

    @Override
    public void close() {
        client.close();
    }

    private static PointsSelector select(PointId id) {
        return PointsSelector.newBuilder().setPoints(PointsIdsList.newBuilder().addIds(id)).build();
    }

    private Map<String, Vector> toVectors(Map<VectorField, float[]> vectors) {
        Map<String, Vector> named = new LinkedHashMap<>();
        vectors.forEach((field, vector) -> {
            if (vector.length != dimension) {
                throw new VectorStoreException("vector has " + vector.length + " dimensions, the collection " + dimension);
            }
            named.put(field.key(), VectorFactory.vector(vector));
        });
        return named;
    }

    private static Map<String, Value> toPayload(Map<String, String> payload) {
        Map<String, Value> values = new LinkedHashMap<>();
        payload.forEach((key, value) -> values.put(key, ValueFactory.value(value)));
        return values;
    }

    private static Map<String, String> fromPayload(Map<String, Value> payload) {
        Map<String, String> values = new LinkedHashMap<>();
        payload.forEach((key, value) -> {
            if (value.hasStringValue()) {
                values.put(key, value.getStringValue());
            }
        });
        return values;
    }

    private static float[] toArray(List<Float> values) {
        float[] vector = new float[values.size()];
        for (int i = 0; i < vector.length; i++) {
            vector[i] = values.get(i);
        }
        return vector;
    }

    private <T> T await(ListenableFuture<T> future) {
        try {
            return future.get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VectorStoreException("interrupted while calling Qdrant", e);
        } catch (ExecutionException e) {
            throw new VectorStoreException("Qdrant at " + where + " failed: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new VectorStoreException("Qdrant at " + where + " did not answer within " + timeout, e);
        }
    }
}
