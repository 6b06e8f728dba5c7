package io.contentmachine.index.embedding;

import java.util.List;

/** A text embedding model: one vector per text, in order. Blocking: call it from worker threads only. */
public interface Embedder extends AutoCloseable {

    int dimension();

    List<float[]> embedAll(List<String> texts);

    @Override
    default void close() {
    }
}
