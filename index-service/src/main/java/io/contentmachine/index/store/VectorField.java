package io.contentmachine.index.store;

/** The two named vectors of a project: its requested topic and its rendered script. */
public enum VectorField {
    TOPIC("topic"),
    SCRIPT("script");

    private final String key;

    VectorField(String key) {
        this.key = key;
    }

    /** The vector's name in the store (Qdrant named vector, Lucene field). */
    public String key() {
        return key;
    }
}
