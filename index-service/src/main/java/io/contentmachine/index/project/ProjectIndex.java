package io.contentmachine.index.project;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import io.contentmachine.events.VideoDeleted;
import io.contentmachine.events.VideoRendered;
import io.contentmachine.events.VideoRequested;
import io.contentmachine.events.VideoStored;
import io.contentmachine.events.types.Scene;
import io.contentmachine.events.types.Script;
import io.contentmachine.index.config.IndexConfig;
import io.contentmachine.index.embedding.Embeddings;
import io.contentmachine.index.store.SearchHit;
import io.contentmachine.index.store.VectorField;
import io.contentmachine.index.store.VectorStore;

/**
 * The project index: what each event does to a project's point, and the owner-scoped queries. Idempotent by
 * construction (point id = projectId, the same event writes the same values); the store moves the payload's status
 * only forward (processing, rendered, stored), so a redelivered or late event never sets it back, and a deleted
 * project stays a tombstone that late events do not revive (see {@link VectorStore}). Blocking: worker threads only.
 */
@ApplicationScoped
public class ProjectIndex {

    /** How many matches a duplicate check reports at most. */
    static final int DUPLICATE_MATCHES = 10;

    private final VectorStore store;
    private final Embeddings embeddings;
    private final IndexConfig config;

    public ProjectIndex(VectorStore store, Embeddings embeddings, IndexConfig config) {
        this.store = store;
        this.embeddings = embeddings;
        this.config = config;
    }

    /** video.requested: the topic vector, and the payload projectId, ownerId, topic, status processing, createdAt. */
    public void indexRequested(VideoRequested event) {
        UUID projectId = required(event.getProjectId(), "projectId");
        String topic = requiredText(event.getTopic(), "topic");
        Map<String, String> payload = identity(projectId, event.getOwnerId());
        payload.put(VectorStore.TOPIC, topic);
        payload.put(VectorStore.CREATED_AT, required(event.getOccurredAt(), "occurredAt").toString());
        float[] vector = embeddings.embed(topic);
        write(projectId, Map.of(VectorField.TOPIC, vector), payload, "processing");
    }

    /** video.rendered: the script vector (title and scenes), and the title; the topic vector and payload stay. */
    public void indexRendered(VideoRendered event) {
        UUID projectId = required(event.getProjectId(), "projectId");
        Script script = required(event.getScript(), "script");
        String text = requiredText(scriptText(script), "script text");
        Map<String, String> payload = identity(projectId, event.getOwnerId());
        if (script.getTitle() != null && !script.getTitle().isBlank()) {
            payload.put(VectorStore.TITLE, script.getTitle());
        }
        float[] vector = embeddings.embed(text);
        write(projectId, Map.of(VectorField.SCRIPT, vector), payload, "rendered");
    }

    /** video.stored: status stored. */
    public void indexStored(VideoStored event) {
        UUID projectId = required(event.getProjectId(), "projectId");
        Map<String, String> payload = identity(projectId, event.getOwnerId());
        if (event.getMetadata() != null && event.getMetadata().getTitle() != null && !event.getMetadata().getTitle().isBlank()) {
            payload.put(VectorStore.TITLE, event.getMetadata().getTitle());
        }
        write(projectId, Map.of(), payload, "stored");
    }

    /** video.deleted: the point becomes a tombstone (vectors and payload gone, for good). */
    public void remove(VideoDeleted event) {
        store.delete(required(event.getProjectId(), "projectId"));
    }

    /** The owner's projects whose topic is at least {@code threshold} similar (default: the configured threshold). */
    public DuplicateCheck duplicates(String ownerId, String text, Double threshold) {
        double minimum = threshold != null ? threshold : config.duplicateThreshold();
        List<SearchHit> matches = store.search(VectorField.TOPIC, embeddings.embed(text), ownerId, DUPLICATE_MATCHES, minimum);
        return new DuplicateCheck(!matches.isEmpty(), matches);
    }

    /** The owner's projects nearest to the text by the chosen vector, best first. */
    public List<SearchHit> search(String ownerId, String text, VectorField field, int limit) {
        return store.search(field, embeddings.embed(text), ownerId, limit, -1);
    }

    /** Cosine similarity of two texts, and whether that is a duplicate at the default threshold. */
    public Comparison compare(String a, String b) {
        List<float[]> vectors = embeddings.embedAll(List.of(a, b));
        double score = Embeddings.cosine(vectors.get(0), vectors.get(1));
        return new Comparison(score, score >= config.duplicateThreshold());
    }

    /** The text a script is embedded from: its title, then its scenes in order. */
    public static String scriptText(Script script) {
        String scenes = script.getScenes() == null ? "" : script.getScenes().stream()
                .filter(Objects::nonNull)
                .sorted(Comparator.comparing(Scene::getSequence, Comparator.nullsLast(Comparator.naturalOrder())))
                .map(Scene::getText)
                .filter(text -> text != null && !text.isBlank())
                .collect(Collectors.joining("\n"));
        String title = script.getTitle() == null ? "" : script.getTitle();
        return (title + "\n" + scenes).strip();
    }

    private void write(UUID projectId, Map<VectorField, float[]> vectors, Map<String, String> payload, String status) {
        payload.put(VectorStore.STATUS, status);
        store.upsert(projectId, vectors, payload);
    }

    private static Map<String, String> identity(UUID projectId, String ownerId) {
        Map<String, String> payload = new LinkedHashMap<>();
        payload.put(VectorStore.PROJECT_ID, projectId.toString());
        payload.put(VectorStore.OWNER_ID, requiredText(ownerId, "ownerId"));
        return payload;
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

    /** Result of a duplicate check. */
    public record DuplicateCheck(boolean duplicate, List<SearchHit> matches) {
    }

    /** Result of comparing two texts. */
    public record Comparison(double score, boolean duplicate) {
    }
}
