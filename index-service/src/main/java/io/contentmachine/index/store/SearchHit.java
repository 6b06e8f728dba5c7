package io.contentmachine.index.store;

import java.util.Map;
import java.util.UUID;

/** A search result: the project, its plain cosine similarity to the query (-1..1) and its payload. */
public record SearchHit(UUID projectId, double score, Map<String, String> payload) {
}
