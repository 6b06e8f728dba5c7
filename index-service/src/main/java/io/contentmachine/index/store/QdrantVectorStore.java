package io.contentmachine.index.store;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

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
import io.qdrant.client.grpc.Common.Condition;
import io.qdrant.client.grpc.Common.Filter;
import io.qdrant.client.grpc.Common.PointId;
import io.qdrant.client.grpc.JsonWithInt.Value;
import io.qdrant.client.grpc.Points.PointStruct;
import io.qdrant.client.grpc.Points.PointVectors;
import io.qdrant.client.grpc.Points.PointsSelector;
import io.qdrant.client.grpc.Points.RetrievedPoint;
import io.qdrant.client.grpc.Points.ScoredPoint;
import io.qdrant.client.grpc.Points.SearchPoints;
import io.qdrant.client.grpc.Points.SetPayloadPoints;
import io.qdrant.client.grpc.Points.UpdatePointVectors;
import io.qdrant.client.grpc.Points.UpsertPoints;
import io.qdrant.client.grpc.Points.Vector;
import io.qdrant.client.grpc.Points.VectorOutput;
import org.jboss.logging.Logger;

/**
 * The production store: a Qdrant collection (default {@code video-scripts}) with named cosine vectors {@code topic} and
 * {@code script}, payload indexes on projectId, ownerId, status and createdAt, point id = projectId, every write with
 * wait=true.
 * <p>
 * Several replicas may write the same point at once (the topic from video.requested on one, the script from
 * video.rendered on another), and Qdrant has no transactions; but it applies each operation on a point atomically, and
 * since 1.16 every update takes a filter condition checked in that same step. So a write is four idempotent steps, none
 * of which can erase what another writer put there:
 * <ol>
 * <li>create if absent: Upsert of the point with this write's vectors and payload and {@code update_filter} = "not
 * this id", which inserts a missing point and leaves an existing one (or a tombstone) untouched. A plain upsert would
 * replace the whole point and lose the other writer's vector;</li>
 * <li>UpdateVectors of this write's named vectors (merges: the other named vector stays) with {@code update_filter}
 * "status is not deleted";</li>
 * <li>SetPayload of this write's keys except status (merges) on the filter "this id and status is not deleted";</li>
 * <li>SetPayload of status on the filter "this id and status is none of the later statuses, nor deleted", so the
 * status only moves forward even when replicas apply the events out of order.</li>
 * </ol>
 * Whichever way two writers interleave, each one's step 2 and 3 run after some writer's step 1 created the point, and
 * merge into it. A delete replaces the point with a tombstone (an unconditional Upsert with no vectors and the payload
 * projectId + status deleted): writes after it match none of the filters, writes before it are replaced by it, and a
 * search (filtered on the owner, which a tombstone has not, and on "status is not deleted") never returns it.
 * Tombstones stay, one small vectorless point per deleted project. The collection must be on Qdrant 1.16 or later,
 * which is checked at start: an older server would ignore the filters and the first step would replace the point.
 */
public final class QdrantVectorStore implements VectorStore {

    private static final Logger LOG = Logger.getLogger(QdrantVectorStore.class);

    private final QdrantClient client;
    private final String collection;
    private final int dimension;
    private final Duration timeout;
    private final String where;
    private final List<VectorField> fields;
    private final List<String> keywords;

    /** Connects and makes sure the collection exists with {@code dimension}-d named vectors; throws when it does not match. */
    public QdrantVectorStore(QdrantClient client, String collection, int dimension, Duration timeout, String where) {
        this(client, collection, dimension, timeout, where, List.of(VectorField.TOPIC, VectorField.SCRIPT), List.of());
    }

    /**
     * A collection of other points (e.g. {@code assets}): its named vectors {@code fields}, and payload keys searches filter
     * on ({@code keywords}, indexed as keywords beside ownerId and status).
     */
    public QdrantVectorStore(QdrantClient client, String collection, int dimension, Duration timeout, String where,
            List<VectorField> fields, List<String> keywords) {
        this.client = client;
        this.collection = collection;
        this.dimension = dimension;
        this.timeout = timeout;
        this.where = where;
        this.fields = List.copyOf(fields);
        this.keywords = List.copyOf(keywords);
        checkVersion();
        ensureCollection();
    }

    /** Qdrant before 1.16 silently ignores {@code update_filter}, which the writes need (see the class comment). */
    private void checkVersion() {
        String version;
        try {
            version = await(client.healthCheckAsync(timeout)).getVersion();
        } catch (VectorStoreException e) {
            throw new IllegalStateException("cannot reach Qdrant at " + where + ": " + e.getMessage(), e);
        }
        String[] parts = version.split("[.-]");
        try {
            int major = Integer.parseInt(parts[0]);
            int minor = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
            if (major < 1 || (major == 1 && minor < 16)) {
                throw new IllegalStateException("Qdrant at " + where + " is version " + version + "; index-service needs 1.16 or "
                        + "later (conditional updates keep concurrent writes and deletes safe)");
            }
        } catch (NumberFormatException e) {
            LOG.warnf("Qdrant at %s reports version '%s', which is not a release number; assuming it supports conditional updates",
                    where, version);
        }
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
        for (VectorField field : fields) {
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
        keywords.forEach(key -> index(key, PayloadSchemaType.Keyword));
        LOG.infof("created Qdrant collection %s (%d-d named vectors %s, cosine)", collection, dimension,
                fields.stream().map(VectorField::key).toList());
    }

    private void index(String field, PayloadSchemaType type) {
        await(client.createPayloadIndexAsync(collection, field, type, null, true, null, timeout));
    }

    private void verifyCollection(CollectionInfo info) {
        VectorsConfig config = info.getConfig().getParams().getVectorsConfig();
        if (!config.hasParamsMap()) {
            throw new IllegalStateException("Qdrant collection " + collection + " has a single unnamed vector; index-service needs "
                    + "named vectors " + fields.stream().map(VectorField::key).toList() + ": drop it or choose another collection name");
        }
        for (VectorField field : fields) {
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
            for (VectorField field : fields) {
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
        Map<String, Vector> named = toVectors(vectors);
        await(client.upsertAsync(UpsertPoints.newBuilder()
                .setCollectionName(collection)
                .setWait(true)
                .addPoints(PointStruct.newBuilder().setId(id).setVectors(VectorsFactory.namedVectors(named))
                        .putAllPayload(toPayload(payload)))
                .setUpdateFilter(Filter.newBuilder().addMustNot(ConditionFactory.hasId(id)))
                .build(), timeout));
        Condition deleted = ConditionFactory.matchKeyword(STATUS, DELETED);
        if (!named.isEmpty()) {
            await(client.updateVectorsAsync(UpdatePointVectors.newBuilder()
                    .setCollectionName(collection)
                    .setWait(true)
                    .addPoints(PointVectors.newBuilder().setId(id).setVectors(VectorsFactory.namedVectors(named)))
                    .setUpdateFilter(Filter.newBuilder().addMustNot(deleted))
                    .build(), timeout));
        }
        Map<String, String> keys = new LinkedHashMap<>(payload);
        String status = keys.remove(STATUS);
        if (!keys.isEmpty()) {
            setPayload(keys, Filter.newBuilder().addMust(ConditionFactory.hasId(id)).addMustNot(deleted).build());
        }
        if (status != null) {
            List<String> notOver = new ArrayList<>(List.of(DELETED));
            if (STATUSES.contains(status)) {
                notOver.addAll(STATUSES.subList(STATUSES.indexOf(status) + 1, STATUSES.size()));
            }
            setPayload(Map.of(STATUS, status), Filter.newBuilder().addMust(ConditionFactory.hasId(id))
                    .addMustNot(ConditionFactory.matchKeywords(STATUS, notOver)).build());
        }
    }

    private void setPayload(Map<String, String> payload, Filter where) {
        await(client.setPayloadAsync(SetPayloadPoints.newBuilder()
                .setCollectionName(collection)
                .setWait(true)
                .putAllPayload(toPayload(payload))
                .setPointsSelector(PointsSelector.newBuilder().setFilter(where))
                .build(), timeout));
    }

    @Override
    public void delete(UUID projectId) {
        await(client.upsertAsync(UpsertPoints.newBuilder()
                .setCollectionName(collection)
                .setWait(true)
                .addPoints(PointStruct.newBuilder().setId(PointIdFactory.id(projectId)).setVectors(VectorsFactory.namedVectors(Map.of()))
                        .putAllPayload(toPayload(VectorStore.tombstone(projectId))))
                .build(), timeout));
    }

    @Override
    public List<SearchHit> search(VectorField field, float[] vector, String ownerId, Map<String, List<String>> anyOf, int limit,
            double minScore) {
        Filter.Builder filter = Filter.newBuilder().addMust(ConditionFactory.matchKeyword(OWNER_ID, ownerId))
                .addMustNot(ConditionFactory.matchKeyword(STATUS, DELETED));
        anyOf.forEach((key, values) -> filter.addMust(ConditionFactory.matchKeywords(key, values)));
        SearchPoints.Builder request = SearchPoints.newBuilder()
                .setCollectionName(collection)
                .setVectorName(field.key())
                .setLimit(limit)
                .setFilter(filter)
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
