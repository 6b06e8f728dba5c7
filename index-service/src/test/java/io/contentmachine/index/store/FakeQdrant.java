package io.contentmachine.index.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

import com.google.protobuf.Message;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import io.qdrant.client.PointIdFactory;
import io.qdrant.client.QdrantClient;
import io.qdrant.client.QdrantGrpcClient;
import io.qdrant.client.grpc.Collections.CollectionConfig;
import io.qdrant.client.grpc.Collections.CollectionExists;
import io.qdrant.client.grpc.Collections.CollectionExistsRequest;
import io.qdrant.client.grpc.Collections.CollectionExistsResponse;
import io.qdrant.client.grpc.Collections.CollectionInfo;
import io.qdrant.client.grpc.Collections.CollectionOperationResponse;
import io.qdrant.client.grpc.Collections.CollectionParams;
import io.qdrant.client.grpc.Collections.CreateCollection;
import io.qdrant.client.grpc.Collections.GetCollectionInfoRequest;
import io.qdrant.client.grpc.Collections.GetCollectionInfoResponse;
import io.qdrant.client.grpc.Collections.VectorsConfig;
import io.qdrant.client.grpc.CollectionsGrpc;
import io.qdrant.client.grpc.Common.Condition;
import io.qdrant.client.grpc.Common.FieldCondition;
import io.qdrant.client.grpc.Common.Filter;
import io.qdrant.client.grpc.Common.Match;
import io.qdrant.client.grpc.Common.PointId;
import io.qdrant.client.grpc.JsonWithInt.Value;
import io.qdrant.client.grpc.Points.CreateFieldIndexCollection;
import io.qdrant.client.grpc.Points.DeletePoints;
import io.qdrant.client.grpc.Points.DenseVector;
import io.qdrant.client.grpc.Points.GetPoints;
import io.qdrant.client.grpc.Points.GetResponse;
import io.qdrant.client.grpc.Points.NamedVectorsOutput;
import io.qdrant.client.grpc.Points.PointStruct;
import io.qdrant.client.grpc.Points.PointVectors;
import io.qdrant.client.grpc.Points.PointsOperationResponse;
import io.qdrant.client.grpc.Points.RetrievedPoint;
import io.qdrant.client.grpc.Points.ScoredPoint;
import io.qdrant.client.grpc.Points.SearchPoints;
import io.qdrant.client.grpc.Points.SearchResponse;
import io.qdrant.client.grpc.Points.SetPayloadPoints;
import io.qdrant.client.grpc.Points.UpdatePointVectors;
import io.qdrant.client.grpc.Points.UpdateResult;
import io.qdrant.client.grpc.Points.UpdateStatus;
import io.qdrant.client.grpc.Points.UpsertPoints;
import io.qdrant.client.grpc.Points.Vector;
import io.qdrant.client.grpc.Points.VectorOutput;
import io.qdrant.client.grpc.Points.VectorsOutput;
import io.qdrant.client.grpc.PointsGrpc;
import io.qdrant.client.grpc.QdrantGrpc;
import io.qdrant.client.grpc.QdrantOuterClass.HealthCheckReply;
import io.qdrant.client.grpc.QdrantOuterClass.HealthCheckRequest;

/**
 * An in-process gRPC server implementing the Qdrant RPCs that {@link QdrantVectorStore} uses, with the semantics Qdrant
 * documents for them: upsert replaces a whole point (an existing point not matching {@code update_filter} is kept),
 * UpdateVectors replaces only the named vectors given and fails on a missing point, SetPayload merges keys into the
 * points selected by ids or by filter, search filters then ranks by cosine. Each request is applied atomically (one
 * lock), as Qdrant applies an operation on a point. It records every request so tests can assert on what went over
 * the wire, and can hold a request before applying it to force an interleaving of concurrent writers.
 */
final class FakeQdrant implements AutoCloseable {

    final List<Message> requests = Collections.synchronizedList(new ArrayList<>());
    /** Runs on the caller's thread after a points request arrives and before it is applied (tests use it to interleave). */
    volatile Consumer<Message> beforeApply = request -> { };
    /** What the health check reports as the server's version. */
    volatile String version = "1.18.2";
    /** The collection's vector config once created (or preset to simulate an existing collection). */
    volatile VectorsConfig collection;
    private final Map<String, Map<String, List<Float>>> vectors = new HashMap<>();
    private final Map<String, Map<String, Value>> payloads = new HashMap<>();
    private final String name = "fake-qdrant-" + UUID.randomUUID();
    private final Server server;
    private final List<ManagedChannel> channels = new ArrayList<>();

    FakeQdrant() {
        try {
            server = InProcessServerBuilder.forName(name).directExecutor()
                    .addService(new CollectionsService()).addService(new PointsService()).addService(new HealthService())
                    .build().start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    QdrantClient client() {
        ManagedChannel channel = InProcessChannelBuilder.forName(name).directExecutor().build();
        channels.add(channel);
        return new QdrantClient(QdrantGrpcClient.newBuilder(channel, true, false).build());
    }

    <T extends Message> List<T> requests(Class<T> type) {
        synchronized (requests) {
            return requests.stream().filter(type::isInstance).map(type::cast).toList();
        }
    }

    @Override
    public void close() {
        channels.forEach(ManagedChannel::shutdownNow);
        server.shutdownNow();
    }

    private static <T> void reply(StreamObserver<T> observer, T response) {
        observer.onNext(response);
        observer.onCompleted();
    }

    /** The numbers of a dense vector, whichever of the two wire forms the client used. */
    static List<Float> dense(Vector vector) {
        return vector.hasDense() ? vector.getDense().getDataList() : vector.getDataList();
    }

    private static PointsOperationResponse done() {
        return PointsOperationResponse.newBuilder()
                .setResult(UpdateResult.newBuilder().setStatus(UpdateStatus.Completed)).build();
    }

    private final class CollectionsService extends CollectionsGrpc.CollectionsImplBase {

        @Override
        public void collectionExists(CollectionExistsRequest request, StreamObserver<CollectionExistsResponse> observer) {
            requests.add(request);
            reply(observer, CollectionExistsResponse.newBuilder()
                    .setResult(CollectionExists.newBuilder().setExists(collection != null)).build());
        }

        @Override
        public void create(CreateCollection request, StreamObserver<CollectionOperationResponse> observer) {
            requests.add(request);
            collection = request.getVectorsConfig();
            reply(observer, CollectionOperationResponse.newBuilder().setResult(true).build());
        }

        @Override
        public void get(GetCollectionInfoRequest request, StreamObserver<GetCollectionInfoResponse> observer) {
            requests.add(request);
            reply(observer, GetCollectionInfoResponse.newBuilder().setResult(CollectionInfo.newBuilder()
                    .setConfig(CollectionConfig.newBuilder().setParams(CollectionParams.newBuilder().setVectorsConfig(collection))))
                    .build());
        }
    }

    private final class PointsService extends PointsGrpc.PointsImplBase {

        @Override
        public void createFieldIndex(CreateFieldIndexCollection request, StreamObserver<PointsOperationResponse> observer) {
            requests.add(request);
            reply(observer, done());
        }

        /** Replaces whole points; an existing point that does not match {@code update_filter} is kept as it is. */
        @Override
        public void upsert(UpsertPoints request, StreamObserver<PointsOperationResponse> observer) {
            arrive(request);
            synchronized (FakeQdrant.this) {
                for (PointStruct point : request.getPointsList()) {
                    String id = point.getId().getUuid();
                    boolean exists = vectors.containsKey(id);
                    if (exists && request.hasUpdateFilter() && !matches(request.getUpdateFilter(), id)) {
                        continue;
                    }
                    Map<String, List<Float>> named = new HashMap<>();
                    point.getVectors().getVectors().getVectorsMap().forEach((key, vector) -> named.put(key, dense(vector)));
                    vectors.put(id, named);
                    payloads.put(id, new LinkedHashMap<>(point.getPayloadMap()));
                }
            }
            reply(observer, done());
        }

        /** Replaces only the named vectors given; fails on a missing point; skips points not matching {@code update_filter}. */
        @Override
        public void updateVectors(UpdatePointVectors request, StreamObserver<PointsOperationResponse> observer) {
            arrive(request);
            synchronized (FakeQdrant.this) {
                for (PointVectors point : request.getPointsList()) {
                    if (!vectors.containsKey(point.getId().getUuid())) {
                        observer.onError(Status.NOT_FOUND.withDescription("No point with id " + point.getId().getUuid() + " found")
                                .asRuntimeException());
                        return;
                    }
                }
                for (PointVectors point : request.getPointsList()) {
                    String id = point.getId().getUuid();
                    if (!request.hasUpdateFilter() || matches(request.getUpdateFilter(), id)) {
                        point.getVectors().getVectors().getVectorsMap().forEach((key, vector) -> vectors.get(id).put(key, dense(vector)));
                    }
                }
            }
            reply(observer, done());
        }

        /** Merges keys into the selected points: by ids (fails on a missing one) or by filter. */
        @Override
        public void setPayload(SetPayloadPoints request, StreamObserver<PointsOperationResponse> observer) {
            arrive(request);
            synchronized (FakeQdrant.this) {
                List<String> ids;
                if (request.getPointsSelector().hasFilter()) {
                    ids = vectors.keySet().stream().filter(id -> matches(request.getPointsSelector().getFilter(), id)).toList();
                } else {
                    ids = request.getPointsSelector().getPoints().getIdsList().stream().map(PointId::getUuid).toList();
                    for (String id : ids) {
                        if (!vectors.containsKey(id)) {
                            observer.onError(Status.NOT_FOUND.withDescription("No point with id " + id + " found").asRuntimeException());
                            return;
                        }
                    }
                }
                ids.forEach(id -> payloads.get(id).putAll(request.getPayloadMap()));
            }
            reply(observer, done());
        }

        @Override
        public void delete(DeletePoints request, StreamObserver<PointsOperationResponse> observer) {
            arrive(request);
            synchronized (FakeQdrant.this) {
                request.getPoints().getPoints().getIdsList().forEach(id -> {
                    vectors.remove(id.getUuid());
                    payloads.remove(id.getUuid());
                });
            }
            reply(observer, done());
        }

        @Override
        public void get(GetPoints request, StreamObserver<GetResponse> observer) {
            arrive(request);
            GetResponse.Builder response = GetResponse.newBuilder();
            synchronized (FakeQdrant.this) {
                request.getIdsList().stream().filter(id -> vectors.containsKey(id.getUuid())).forEach(id -> {
                    RetrievedPoint.Builder point = RetrievedPoint.newBuilder().setId(id);
                    if (request.getWithPayload().getEnable()) {
                        point.putAllPayload(payloads.get(id.getUuid()));
                    }
                    if (request.getWithVectors().getEnable()) {
                        NamedVectorsOutput.Builder named = NamedVectorsOutput.newBuilder();
                        vectors.get(id.getUuid()).forEach((key, vector) -> named.putVectors(key,
                                VectorOutput.newBuilder().setDense(DenseVector.newBuilder().addAllData(vector)).build()));
                        point.setVectors(VectorsOutput.newBuilder().setVectors(named));
                    }
                    response.addResult(point);
                });
            }
            reply(observer, response.build());
        }

        @Override
        public void search(SearchPoints request, StreamObserver<SearchResponse> observer) {
            arrive(request);
            List<ScoredPoint> scored = new ArrayList<>();
            synchronized (FakeQdrant.this) {
                vectors.forEach((id, named) -> {
                    List<Float> vector = named.get(request.getVectorName());
                    if (vector == null || !matches(request.getFilter(), id)) {
                        return;
                    }
                    float score = (float) cosine(request.getVectorList(), vector);
                    if (request.hasScoreThreshold() && score < request.getScoreThreshold()) {
                        return;
                    }
                    ScoredPoint.Builder point = ScoredPoint.newBuilder().setId(PointIdFactory.id(UUID.fromString(id)))
                            .setScore(score);
                    if (request.getWithPayload().getEnable()) {
                        point.putAllPayload(payloads.get(id));
                    }
                    scored.add(point.build());
                });
            }
            scored.sort(Comparator.comparingDouble(ScoredPoint::getScore).reversed());
            reply(observer, SearchResponse.newBuilder().addAllResult(scored.stream().limit(request.getLimit()).toList()).build());
        }

        private double cosine(List<Float> a, List<Float> b) {
            double dot = 0;
            double normA = 0;
            double normB = 0;
            for (int i = 0; i < a.size(); i++) {
                dot += a.get(i) * b.get(i);
                normA += a.get(i) * a.get(i);
                normB += b.get(i) * b.get(i);
            }
            return dot / Math.sqrt(normA * normB);
        }
    }

    /** Records the request and lets the test hold it (before it is applied) to force an interleaving. */
    private void arrive(Message request) {
        requests.add(request);
        beforeApply.accept(request);
    }

    /**
     * Qdrant's filter on one point: every {@code must} condition holds and no {@code must_not} one does. Conditions
     * used here: has_id, and a keyword match on a payload key (one keyword, or any of several).
     */
    private boolean matches(Filter filter, String id) {
        return filter.getMustList().stream().allMatch(condition -> holds(condition, id))
                && filter.getMustNotList().stream().noneMatch(condition -> holds(condition, id));
    }

    private boolean holds(Condition condition, String id) {
        if (condition.hasHasId()) {
            return condition.getHasId().getHasIdList().stream().anyMatch(pointId -> pointId.getUuid().equals(id));
        }
        if (!condition.hasField()) {
            throw new IllegalArgumentException("FakeQdrant does not implement the condition " + condition);
        }
        FieldCondition field = condition.getField();
        Value value = payloads.get(id).get(field.getKey());
        if (value == null || !value.hasStringValue()) {
            return false;
        }
        Match match = field.getMatch();
        if (match.hasKeyword()) {
            return value.getStringValue().equals(match.getKeyword());
        }
        if (match.hasKeywords()) {
            return match.getKeywords().getStringsList().contains(value.getStringValue());
        }
        throw new IllegalArgumentException("FakeQdrant does not implement the match " + match);
    }

    private final class HealthService extends QdrantGrpc.QdrantImplBase {

        @Override
        public void healthCheck(HealthCheckRequest request, StreamObserver<HealthCheckReply> observer) {
            requests.add(request);
            reply(observer, HealthCheckReply.newBuilder().setTitle("fake qdrant").setVersion(version).build());
        }
    }
}
