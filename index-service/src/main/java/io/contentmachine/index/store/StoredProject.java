package io.contentmachine.index.store;

import java.util.Map;
import java.util.UUID;

/** One point of the index: a project's payload and the named vectors it has so far. */
public record StoredProject(UUID projectId, Map<String, String> payload, Map<VectorField, float[]> vectors) {
}
