package io.contentmachine.index.asset;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.contentmachine.events.AssetDeleted;
import io.contentmachine.events.AssetReady;
import io.contentmachine.index.config.IndexConfig;
import io.contentmachine.index.embedding.Embeddings;
import io.contentmachine.index.store.SearchHit;
import io.contentmachine.index.store.VectorField;
import io.contentmachine.index.store.VectorStore;
import io.contentmachine.index.store.VectorStores;
import io.smallrye.common.annotation.Identifier;

/**
 * The owners' media assets (docs/MEDIA-LIBRARY.md), in a collection of their own: asset.ready embeds the owner's
 * description and tags, asset.deleted leaves a tombstone that a late or redelivered asset.ready does not revive. Searches
 * are owner-scoped, filtered by kind, best first, and only return assets at least {@code index.assets.min-score} similar.
 * Idempotent by construction (point id = assetId). Blocking: worker threads only.
 */
@ApplicationScoped
public class AssetIndex {

    static final String ASSET_ID = "assetId";
    static final String DESCRIPTION = "description";
    static final String TAGS = "tags";
    static final String READY = "ready";
    /** Tags are kept in one payload string, one per line. */
    private static final String TAG_SEPARATOR = "\n";

    private final VectorStore store;
    private final Embeddings embeddings;
    private final IndexConfig config;

    public AssetIndex(@Identifier(VectorStores.ASSETS) VectorStore store, Embeddings embeddings, IndexConfig config) {
        this.store = store;
        this.embeddings = embeddings;
        this.config = config;
    }

    /** An asset that matched a search: its id, kind, plain cosine score, description and tags. */
    public record Match(UUID assetId, String kind, double score, String description, List<String> tags) {
    }

    /** asset.ready: the asset's vector (description, then its tags) and payload. */
    public void indexReady(AssetReady event) {
        UUID assetId = required(event.getAssetId(), "assetId");
        String owner = requiredText(event.getOwnerId(), "ownerId");
        String kind = required(event.getKind(), "kind").value();
        String description = event.getDescription() == null ? "" : event.getDescription().strip();
        List<String> tags = event.getTags() == null ? List.of() : event.getTags().stream().filter(t -> t != null && !t.isBlank())
                .map(String::strip).toList();
        String text = requiredText((description + "\n" + String.join(", ", tags)).strip(), "description or tags");
        Map<String, String> payload = new LinkedHashMap<>();
        payload.put(VectorStore.OWNER_ID, owner);
        payload.put(ASSET_ID, assetId.toString());
        payload.put(VectorStores.KIND, kind);
        payload.put(DESCRIPTION, description);
        payload.put(TAGS, String.join(TAG_SEPARATOR, tags));
        payload.put(VectorStore.STATUS, READY);
        store.upsert(assetId, Map.of(VectorField.ASSET, embeddings.embed(text)), payload);
    }

    /** asset.deleted: the point becomes a tombstone. */
    public void remove(AssetDeleted event) {
        store.delete(required(event.getAssetId(), "assetId"));
    }

    /** The owner's ready assets of these kinds (any kind when empty) most similar to {@code text}, best first. */
    public List<Match> search(String ownerId, String text, List<String> kinds, int limit) {
        Map<String, List<String>> filter = kinds == null || kinds.isEmpty() ? Map.of() : Map.of(VectorStores.KIND, List.copyOf(kinds));
        List<SearchHit> hits = store.search(VectorField.ASSET, embeddings.embed(text), ownerId, filter, limit, config.assets().minScore());
        return hits.stream().map(AssetIndex::match).toList();
    }

    private static Match match(SearchHit hit) {
        String tags = hit.payload().getOrDefault(TAGS, "");
        return new Match(hit.projectId(), hit.payload().get(VectorStores.KIND), hit.score(), hit.payload().getOrDefault(DESCRIPTION, ""),
                tags.isEmpty() ? List.of() : Arrays.asList(tags.split(TAG_SEPARATOR)));
    }

    private static <T> T required(T value, String name) {
        if (value == null) {
            throw new IllegalArgumentException("event has no " + name);
        }
        return value;
    }

    private static String requiredText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("event has no " + name);
        }
        return value;
    }
}
