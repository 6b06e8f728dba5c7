package io.contentmachine.index.embedding;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;

/** The offline all-MiniLM-L6-v2 model (quantized ONNX shipped in the langchain4j jar, 384 dimensions); no download. */
public final class MiniLmEmbedder implements Embedder {

    public static final int DIMENSION = 384;

    private final ExecutorService threads;
    private final AllMiniLmL6V2QuantizedEmbeddingModel model;

    public MiniLmEmbedder(int threadCount) {
        AtomicInteger number = new AtomicInteger();
        this.threads = Executors.newFixedThreadPool(threadCount, task -> {
            Thread thread = new Thread(task, "minilm-" + number.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        this.model = new AllMiniLmL6V2QuantizedEmbeddingModel(threads);
    }

    @Override
    public int dimension() {
        return DIMENSION;
    }

    @Override
    public List<float[]> embedAll(List<String> texts) {
        List<TextSegment> segments = texts.stream().map(TextSegment::from).toList();
        return model.embedAll(segments).content().stream().map(Embedding::vector).toList();
    }

    @Override
    public void close() {
        threads.shutdownNow();
    }
}
