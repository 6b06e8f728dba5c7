package io.contentmachine.index.store;

/**
 * The named vectors: a project's requested topic and its rendered script (collection of projects), and an owner's media
 * asset's description and tags (collection {@code assets}).
 */
public enum VectorField {
    TOPIC("topic"),
    SCRIPT("script"),
    ASSET("asset");

    private final String key;

    VectorField(String key) {
        this.key = key;
    }

    /** The vector's name in the store (Qdrant named vector, Lucene field). */
    public String key() {
        return key;
    }
}
