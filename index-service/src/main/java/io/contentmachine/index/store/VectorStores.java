package io.contentmachine.index.store;

import java.nio.file.Path;

import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.contentmachine.index.config.IndexConfig;
import io.contentmachine.index.embedding.Embeddings;
import io.qdrant.client.QdrantClient;
import io.qdrant.client.QdrantGrpcClient;
import io.quarkus.runtime.StartupEvent;
import org.jboss.logging.Logger;

/** Opens the store chosen by {@code index.store} at start, so a wrong dimension or an unreachable store stops the service. */
public class VectorStores {

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

    void close(@Disposes VectorStore store) {
        store.close();
    }

    void start(@Observes StartupEvent event, VectorStore store) {
        LOG.infof("vector store: %s", store.describe());
    }
}
