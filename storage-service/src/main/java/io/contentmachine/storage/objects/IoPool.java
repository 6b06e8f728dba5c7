package io.contentmachine.storage.objects;

import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import io.contentmachine.storage.config.StorageConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.WorkerExecutor;

/**
 * The bounded worker pool for blocking S3 calls and streamed hashing. The continuation comes back on the caller's
 * Vert.x context, which Hibernate Reactive needs.
 */
@ApplicationScoped
public class IoPool {

    private final WorkerExecutor executor;

    IoPool(Vertx vertx, StorageConfig config) {
        // a 2 GiB verification may take minutes on a slow store: do not report it as a blocked thread
        this.executor = vertx.createSharedWorkerExecutor("storage-io", config.ioThreads(), 30, TimeUnit.MINUTES);
    }

    /** Runs {@code work} on the pool; tasks of one caller context are not serialized. */
    public <T> Uni<T> run(Callable<T> work) {
        return executor.executeBlocking(work, false);
    }

    @PreDestroy
    void close() {
        executor.closeAndForget();
    }
}
