package io.contentmachine.index.config;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of index-service (prefix {@code index}); every one can be set by env var, e.g. INDEX_STORE, INDEX_EMBEDDED_PATH. */
@ConfigMapping(prefix = "index")
public interface IndexConfig {

    /** Which vector store holds the index: {@code embedded} (Lucene on local disk) or {@code qdrant}. */
    @WithDefault("embedded")
    StoreKind store();

    /** Cosine similarity from which two topics count as duplicates (chosen from the labelled pairs in the tests). */
    double duplicateThreshold();

    Embedded embedded();

    Qdrant qdrant();

    Embeddings embeddings();

    Assets assets();

    /** The owners' media assets (collection {@code assets}: descriptions and tags of ready assets, docs/MEDIA-LIBRARY.md). */
    interface Assets {
        /**
         * Cosine similarity from which an asset's description and tags match a search text (a scene's visual prompt, a music
         * tag); below it the asset is not returned. Env INDEX_ASSETS_MIN_SCORE.
         */
        @WithDefault("0.3")
        double minScore();
    }

    enum StoreKind {
        embedded, qdrant
    }

    interface Embedded {
        /** Folder of the Lucene index; it survives restarts. */
        String path();

        /** Folder of the embedded {@code assets} collection (default: the index folder's path with {@code -assets}). */
        Optional<String> assetsPath();

        /** HNSW candidates collected per search before the best {@code limit} are kept (recall vs. speed). */
        @WithDefault("100")
        int efSearch();
    }

    interface Qdrant {
        @WithDefault("localhost")
        String host();

        @WithDefault("6334")
        int port();

        Optional<String> apiKey();

        @WithDefault("false")
        boolean useTls();

        @WithDefault("video-scripts")
        String collection();

        /** The collection of the owners' media assets (env INDEX_QDRANT_ASSETS_COLLECTION). */
        @WithDefault("assets")
        String assetsCollection();

        @WithDefault("10s")
        Duration timeout();
    }

    interface Embeddings {
        /** An OpenAI-compatible server (its /v1/embeddings is called); absent: the offline all-MiniLM-L6-v2 model. */
        Optional<String> baseUrl();

        Optional<String> apiKey();

        /** Model name sent to the OpenAI-compatible server. */
        @WithDefault("text-embedding-3-small")
        String model();

        /** Vector size; must match the model (384 for the offline model) and any existing collection or index. */
        @WithDefault("384")
        int dimension();

        /** Most texts embedded in one batch. */
        @WithDefault("32")
        int batchSize();

        /**
         * How many recent texts keep their vector (about 2 KiB each at 384 dimensions): a create's duplicate check and its
         * video.requested embed the same topic, so the second is free. 0 turns the cache off.
         */
        @WithDefault("10000")
        int cacheSize();

        @WithDefault("30s")
        Duration timeout();
    }
}
