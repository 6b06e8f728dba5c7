package io.contentmachine.index.store;

import java.nio.file.Path;
import java.util.List;

import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.contentmachine.index.config.IndexConfig;
import io.contentmachine.index.embedding.Embeddings;
import io.qdrant.client.QdrantClient;
import io.qdrant.client.QdrantGrpcClient;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import org.jboss.logging.Logger;

/** Opens the store chosen by {@code index.store} at start, so a wrong dimension or an unreachable store stops the service. */
public class VectorStores {

    /** The name of the assets collection's store bean. */
    public static final String ASSETS = "assets";
    /** Payload key of an asset's kind (video, image, audio), filtered on by searches. */
    public static final String KIND = "kind";

    private static final Logger LOG = Logger.getLogger(VectorStores.class);

    @Produces
    @Singleton
    VectorStore vectorStore(IndexConfig config, Embeddings embeddings) {
        int dimension = embeddings.dimension();
        return switch (config.store()) {
            case embedded -> new LuceneVectorStore(Path.of(config.embedded().path()), dimension, config.embedded().efSearch());
            case qdrant -> {
                IndexConfig.Qdrant qdrant = config.qdrant();
                QdrantGrpcClient.Builder grpc = QdrantGrpcClient.newBuilder(qdrant.host(), qdrant.port(), qdrant.useTls(), false)
                        .withTimeout(qdrant.timeout());
                qdrant.apiKey().ifPresent(grpc::withApiKey);
                yield new QdrantVectorStore(new QdrantClient(grpc.build()), qdrant.collection(), dimension, qdrant.timeout(),
                        qdrant.host() + ":" + qdrant.port());
            }
        };
    }

    /**
     * The owners' media assets, a collection of their own ({@code assets}): point id = assetId, one named vector
     * {@link VectorField#ASSET} (description and tags), payload ownerId, assetId, kind, description, tags, status.
     */
    @Produces
    @Singleton
    @Identifier(ASSETS)
    VectorStore assetStore(IndexConfig config, Embeddings embeddings) {
        int dimension = embeddings.dimension();
        return switch (config.store()) {
            case embedded -> new LuceneVectorStore(Path.of(config.embedded().assetsPath().orElse(config.embedded().path() + "-assets")),
                    dimension, config.embedded().efSearch());
            case qdrant -> {
                IndexConfig.Qdrant qdrant = config.qdrant();
                QdrantGrpcClient.Builder grpc = QdrantGrpcClient.newBuilder(qdrant.host(), qdrant.port(), qdrant.useTls(), false)
                        .withTimeout(qdrant.timeout());
                qdrant.apiKey().ifPresent(grpc::withApiKey);
                yield new QdrantVectorStore(new QdrantClient(grpc.build()), qdrant.assetsCollection(), dimension, qdrant.timeout(),
                        qdrant.host() + ":" + qdrant.port(), List.of(VectorField.ASSET), List.of(KIND));
            }
        };
    }

    void close(@Disposes VectorStore store) {
        store.close();
    }

    void closeAssets(@Disposes @Identifier(ASSETS) VectorStore store) {
        store.close();
    }

    void start(@Observes StartupEvent event, VectorStore store, @Identifier(ASSETS) VectorStore assets) {
        LOG.infof("vector store: %s; assets: %s", store.describe(), assets.describe());
    }
}
