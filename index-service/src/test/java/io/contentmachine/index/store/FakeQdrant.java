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
 * documents for them (upsert replaces a point, UpdateVectors replaces only the named vectors given, SetPayload merges
 * keys, search filters then ranks by cosine). It records every request so tests can assert on what went over the wire.
 */
final class FakeQdrant implements AutoCloseable {

    final List<Message> requests = Collections.synchronizedList(new ArrayList<>());
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

        @Override
        public synchronized void upsert(UpsertPoints request, StreamObserver<PointsOperationResponse> observer) {
            requests.add(request);
            for (PointStruct point : request.getPointsList()) {
                String id = point.getId().getUuid();
                Map<String, List<Float>> named = new HashMap<>();
                point.getVectors().getVectors().getVectorsMap().forEach((key, vector) -> named.put(key, dense(vector)));
                vectors.put(id, named);
                payloads.put(id, new LinkedHashMap<>(point.getPayloadMap()));
            }
            reply(observer, done());
        }

        @Override
        public synchronized void updateVectors(UpdatePointVectors request, StreamObserver<PointsOperationResponse> observer) {
            requests.add(request);
            for (PointVectors point : request.getPointsList()) {
                Map<String, List<Float>> named = vectors.get(point.getId().getUuid());
                if (named == null) {
                    observer.onError(Status.NOT_FOUND.withDescription("No point with id " + point.getId().getUuid()).asRuntimeException());
                    return;
                }
                point.getVectors().getVectors().getVectorsMap().forEach((key, vector) -> named.put(key, dense(vector)));
            }
            reply(observer, done());
        }

        @Override
        public synchronized void setPayload(SetPayloadPoints request, StreamObserver<PointsOperationResponse> observer) {
            requests.add(request);
            request.getPointsSelector().getPoints().getIdsList()
                    .forEach(id -> payloads.get(id.getUuid()).putAll(request.getPayloadMap()));
            reply(observer, done());
        }

        @Override
        public synchronized void delete(DeletePoints request, StreamObserver<PointsOperationResponse> observer) {
            requests.add(request);
            request.getPoints().getPoints().getIdsList().forEach(id -> {
                vectors.remove(id.getUuid());
                payloads.remove(id.getUuid());
            });
            reply(observer, done());
        }

        @Override
        public synchronized void get(GetPoints request, StreamObserver<GetResponse> observer) {
            requests.add(request);
            GetResponse.Builder response = GetResponse.newBuilder();
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
            reply(observer, response.build());
        }

        @Override
        public synchronized void search(SearchPoints request, StreamObserver<SearchResponse> observer) {
            requests.add(request);
            List<ScoredPoint> scored = new ArrayList<>();
            vectors.forEach((id, named) -> {
                List<Float> vector = named.get(request.getVectorName());
                if (vector == null || !matches(request.getFilter().getMustList(), payloads.get(id))) {
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
            scored.sort(Comparator.comparingDouble(ScoredPoint::getScore).reversed());
            reply(observer, SearchResponse.newBuilder().addAllResult(scored.stream().limit(request.getLimit()).toList()).build());
        }

        private boolean matches(List<Condition> must, Map<String, Value> payload) {
            return must.stream().allMatch(condition -> {
                Value value = payload.get(condition.getField().getKey());
                return value != null && value.getStringValue().equals(condition.getField().getMatch().getKeyword());
            });
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

    private final class HealthService extends QdrantGrpc.QdrantImplBase {

        @Override
        public void healthCheck(HealthCheckRequest request, StreamObserver<HealthCheckReply> observer) {
            requests.add(request);
            reply(observer, HealthCheckReply.newBuilder().setTitle("fake qdrant").setVersion("1.15.0").build());
        }
    }
}
