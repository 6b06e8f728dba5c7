package io.contentmachine.index.health;

import jakarta.enterprise.context.ApplicationScoped;

import io.contentmachine.index.store.VectorStore;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only while the vector store (Qdrant or the embedded index) answers; Kafka's readiness comes from the messaging extension. */
@Readiness
@ApplicationScoped
public class VectorStoreHealthCheck implements HealthCheck {

    private final VectorStore store;

    public VectorStoreHealthCheck(VectorStore store) {
        this.store = store;
    }

    @Override
    public HealthCheckResponse call() {
        try {
            store.check();
            return HealthCheckResponse.named("vector-store").up().withData("store", store.describe()).build();
        } catch (RuntimeException e) {
            return HealthCheckResponse.named("vector-store").down().withData("store", store.describe())
                    .withData("error", String.valueOf(e.getMessage())).build();
        }
    }
}
