package io.contentmachine.storage.health;

import jakarta.enterprise.context.ApplicationScoped;

import io.contentmachine.storage.config.StorageConfig;
import io.contentmachine.storage.objects.IoPool;
import io.contentmachine.storage.objects.ObjectStore;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only when S3 answers and every bucket exists (PostgreSQL and Kafka have their own built-in checks). */
@Readiness
@ApplicationScoped
public class S3ReadinessCheck implements AsyncHealthCheck {

    private final ObjectStore store;
    private final IoPool io;
    private final StorageConfig config;

    S3ReadinessCheck(ObjectStore store, IoPool io, StorageConfig config) {
        this.store = store;
        this.io = io;
        this.config = config;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        String videos = config.buckets().videos();
        String staging = config.buckets().staging();
        String assets = config.buckets().assets();
        return io.run(() -> HealthCheckResponse.named("s3")
                        .status(store.bucketReachable(videos) && store.bucketReachable(staging) && store.bucketReachable(assets))
                        .withData("endpoint", config.s3().endpoint())
                        .withData("buckets", videos + "," + staging + "," + assets)
                        .build())
                .onFailure().recoverWithItem(e -> HealthCheckResponse.named("s3").down()
                        .withData("endpoint", config.s3().endpoint())
                        .withData("error", String.valueOf(e.getMessage())).build());
    }
}
