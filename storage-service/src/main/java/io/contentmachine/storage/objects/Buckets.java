package io.contentmachine.storage.objects;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.contentmachine.storage.config.StorageConfig;
import io.quarkus.runtime.StartupEvent;
import org.jboss.logging.Logger;
import software.amazon.awssdk.core.exception.SdkException;

/** Creates the buckets at start (idempotent); waits a little for an S3 server that starts alongside, then fails fast. */
@ApplicationScoped
public class Buckets {

    private static final Logger LOG = Logger.getLogger(Buckets.class);
    private static final Duration WAIT = Duration.ofSeconds(30);

    void create(@Observes StartupEvent start, ObjectStore store, StorageConfig config) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            try {
                store.ensureBucket(config.buckets().videos());
                store.ensureBucket(config.buckets().staging());
                store.ensureBucket(config.buckets().assets());
                long days = Math.max(1, config.stagingTtl().toDays());
                store.expireAfter(config.buckets().staging(), (int) days);
                return;
            } catch (SdkException e) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("S3 at " + config.s3().endpoint() + " is unusable: " + e.getMessage(), e);
                }
                LOG.infof("S3 not ready yet (%s), retrying", e.getMessage());
                Thread.sleep(1000);
            }
        }
    }
}
