package io.contentmachine.index.embedding;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;

import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.contentmachine.index.config.IndexConfig;
import io.vertx.core.Context;
import org.jboss.logging.Logger;

/**
 * Turns texts into unit-length vectors. Concurrent callers (REST requests, Kafka consumers) are gathered into batches
 * of up to {@code index.embeddings.batch-size} texts by one batching thread, so the model always sees batches; callers
 * wait on worker threads, never on an event loop. Recent texts keep their vector in a bounded cache: the gateway's
 * duplicate check embeds a topic moments before video.requested asks for the same one.
 */
@Singleton
public class Embeddings {

    private static final Logger LOG = Logger.getLogger(Embeddings.class);

    private final Embedder embedder;
    private final int batchSize;
    private final Cache<String, float[]> recent;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Thread batcher;

    @Inject
    public Embeddings(IndexConfig config, ObjectMapper json) {
        this(create(config, json), config.embeddings().batchSize(), config.embeddings().cacheSize());
    }

    public Embeddings(Embedder embedder, int batchSize, int cacheSize) {
        this.embedder = embedder;
        this.batchSize = batchSize;
        this.recent = Caffeine.newBuilder().maximumSize(cacheSize).build();
        this.batcher = new Thread(this::run, "embedding-batcher");
        this.batcher.setDaemon(true);
        this.batcher.start();
    }

    private static Embedder create(IndexConfig config, ObjectMapper json) {
        IndexConfig.Embeddings settings = config.embeddings();
        if (settings.baseUrl().isPresent()) {
            LOG.infof("embeddings: OpenAI-compatible server %s, model %s, %d dimensions", settings.baseUrl().get(),
                    settings.model(), settings.dimension());
            return new OpenAiEmbedder(settings.baseUrl().get(), settings.apiKey(), settings.model(), settings.dimension(),
                    settings.timeout(), json);
        }
        if (settings.dimension() != MiniLmEmbedder.DIMENSION) {
            throw new IllegalStateException("index.embeddings.dimension is " + settings.dimension()
                    + " but the offline all-MiniLM-L6-v2 model gives " + MiniLmEmbedder.DIMENSION
                    + "-d vectors; set INDEX_EMBEDDINGS_DIMENSION=384 or configure INDEX_EMBEDDINGS_BASE_URL");
        }
        LOG.info("embeddings: offline all-MiniLM-L6-v2 (384 dimensions)");
        return new MiniLmEmbedder(Math.max(1, Runtime.getRuntime().availableProcessors()));
    }

    public int dimension() {
        return embedder.dimension();
    }

    public float[] embed(String text) {
        return embedAll(List.of(text)).get(0);
    }

    /** Vectors of the texts, in order; blocks the calling worker thread until they are ready. */
    public List<float[]> embedAll(List<String> texts) {
        if (Context.isOnEventLoopThread()) {
            throw new IllegalStateException("embedding is blocking work and must not run on an event loop");
        }
        List<CompletableFuture<float[]>> futures = new ArrayList<>(texts.size());
        for (String text : texts) {
            float[] known = recent.getIfPresent(text);
            CompletableFuture<float[]> future = known != null ? CompletableFuture.completedFuture(known) : new CompletableFuture<>();
            if (known == null) {
                queue.add(new Pending(text, future));
            }
            futures.add(future);
        }
        List<float[]> vectors = new ArrayList<>(texts.size());
        try {
            for (CompletableFuture<float[]> future : futures) {
                vectors.add(future.get());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EmbeddingException("interrupted while embedding", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : new EmbeddingException("embedding failed", e.getCause());
        }
        return vectors;
    }

    private void run() {
        while (!Thread.currentThread().isInterrupted()) {
            List<Pending> batch = new ArrayList<>(batchSize);
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                return;
            }
            queue.drainTo(batch, batchSize - 1);
            try {
                List<float[]> vectors = embedder.embedAll(batch.stream().map(Pending::text).toList());
                for (int i = 0; i < batch.size(); i++) {
                    float[] vector = normalized(vectors.get(i));
                    recent.put(batch.get(i).text(), vector);
                    batch.get(i).result().complete(vector);
                }
            } catch (RuntimeException e) {
                batch.forEach(pending -> pending.result().completeExceptionally(e));
            }
        }
    }

    @PreDestroy
    public void close() {
        batcher.interrupt();
        embedder.close();
    }

    /** Cosine similarity of two vectors. */
    public static double cosine(float[] a, float[] b) {
        double dot = 0;
        double normA = 0;
        double normB = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            normA += a[i] * a[i];
            normB += b[i] * b[i];
        }
        return normA == 0 || normB == 0 ? 0 : dot / Math.sqrt(normA * normB);
    }

    static float[] normalized(float[] vector) {
        double norm = 0;
        for (float value : vector) {
            norm += value * value;
        }
        norm = Math.sqrt(norm);
        if (norm == 0) {
            return vector;
        }
        float[] unit = new float[vector.length];
        for (int i = 0; i < vector.length; i++) {
            unit[i] = (float) (vector[i] / norm);
        }
        return unit;
    }

    private record Pending(String text, CompletableFuture<float[]> result) {
    }
}
