package io.contentmachine.render.asset;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.contentmachine.kit.jobs.JobHandler;
import io.contentmachine.kit.jobs.JobRunner;
import io.contentmachine.kit.jobs.Lease;
import io.contentmachine.kit.jobs.LeaseLost;
import io.contentmachine.render.client.AssetStorageClient;
import io.contentmachine.render.client.StorageClient;
import io.contentmachine.render.client.Uploader;
import io.contentmachine.render.config.RenderConfig;
import io.contentmachine.render.job.RenderPipeline;
import io.contentmachine.render.video.RenderControl;
import io.contentmachine.render.video.RenderException;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.WorkerExecutor;
import io.vertx.mutiny.sqlclient.Pool;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

/**
 * Runs the normalise jobs the kit's {@link JobRunner} claims from asset_jobs, at most {@code render.assets.concurrency} at
 * once on a bounded worker pool: a presigned GET of the original from storage-service, ffprobe over that URL, then either
 * {@code rejected} with the reason or the normalised copy made by ffmpeg (reading the URL as a stream), uploaded with
 * storage's grant and announced {@code ready} with its size and length. A job that fails for a passing reason (storage or
 * S3 unreachable) is tried again with backoff; after its last attempt the asset is rejected with the reason, so it does
 * not stay {@code processing}. asset.deleted clears the lease, which kills ffmpeg.
 */
@ApplicationScoped
public class AssetWorker implements JobHandler {

    private static final Logger LOG = Logger.getLogger(AssetWorker.class);
    private static final Duration RETRY_BACKOFF = Duration.ofSeconds(5);

    private final RenderConfig.Assets config;
    private final Path workDir;
    private final AssetJobs jobs;
    private final AssetStorageClient storage;
    private final Uploader uploader;
    private final Normaliser normaliser;
    private final WorkerExecutor executor;
    private final JobRunner runner;
    private final Map<UUID, RenderControl> controls = new ConcurrentHashMap<>();

    /** How a run ended. */
    private record Outcome(String status, String detail) {
    }

    AssetWorker(RenderConfig config, AssetJobs jobs, @RestClient AssetStorageClient storage, Uploader uploader, Vertx vertx,
            Pool pool) {
        this.config = config.assets();
        this.workDir = Path.of(config.workDir(), "assets");
        this.jobs = jobs;
        this.storage = storage;
        this.uploader = uploader;
        this.normaliser = new Normaliser(config.ffmpeg(), config.ffprobe(), config.preset());
        int concurrency = Math.max(1, this.config.concurrency());
        this.executor = vertx.createSharedWorkerExecutor("asset-worker", concurrency, this.config.timeout().toMinutes() + 10,
                TimeUnit.MINUTES);
        this.runner = new JobRunner(AssetJobs.TABLE, new JobRunner.Settings(concurrency, config.pollInterval(), config.lease(),
                this.config.timeout().plusMinutes(10), RETRY_BACKOFF, Duration.ofMinutes(5)), this, vertx, pool);
    }

    void start(@Observes StartupEvent started) {
        runner.start(Duration.ofSeconds(1));
    }

    /** Wakes the worker once the current transaction, which queued a job, has committed (the timer is the fallback). */
    public Uni<Void> wakeAfterCommit() {
        return runner.wakeAfterCommit();
    }

    @PreDestroy
    void stop() {
        runner.stop(Duration.ofSeconds(10));
        executor.close().await().indefinitely();
    }

    @Override
    public void stop(Lease lease, String reason) {
        RenderControl control = controls.get(lease.jobId());
        if (control != null) {
            LOG.infof("asset %s: normalise stopped (%s)", lease.jobId(), reason);
            control.cancel(reason);
        }
    }

    @Override
    public Uni<Void> run(Lease lease) {
        RenderControl control = new RenderControl(config.timeout());
        controls.put(lease.jobId(), control);
        Path dir = workDir.resolve(lease.jobId() + "-" + lease.attempt());
        return Panache.withTransaction(() -> runner.hold(lease).chain(() -> jobs.find(lease.jobId())))
                .chain(job -> job == null ? Uni.createFrom().voidItem()
                        : blocking(() -> process(job, lease, dir, control))
                                .chain(outcome -> settle(lease, outcome))
                                .onFailure(e -> !(e instanceof LeaseLost)).recoverWithUni(e -> failed(lease, job, e, dir, control)))
                .onFailure(LeaseLost.class).recoverWithItem(e -> {
                    LOG.infof("%s; the normalise stops here", e.getMessage());
                    return null;
                })
                .eventually(() -> {
                    controls.remove(lease.jobId());
                    return blocking(() -> {
                        deleteTree(dir);
                        return null;
                    }).onFailure().recoverWithNull();
                });
    }

    /** The blocking part: probe, reject or normalise and upload; storage has the outcome when this returns. */
    private Outcome process(AssetJobs.Job job, Lease lease, Path dir, RenderControl control) throws IOException {
        Files.createDirectories(dir);
        if (lease.attempt() > config.maxAttempts()) {
            return reject(job, "could not be processed after " + (lease.attempt() - 1) + " attempts", control);
        }
        long started = System.nanoTime();
        String url = original(job, control);
        Normaliser.Probe probe;
        try {
            probe = normaliser.check(url, job.kind(), dir, control);
        } catch (Normaliser.Rejected e) {
            return reject(job, e.getMessage(), control);
        }
        Normaliser.Copy copy;
        try {
            copy = normaliser.normalise(url, job.kind(), probe, dir, control);
        } catch (Normaliser.Rejected e) {
            return reject(job, e.getMessage(), control);
        }
        long size = Files.size(copy.file());
        String sha256 = RenderPipeline.sha256(copy.file());
        StorageClient.UploadGrant grant = uploader.retry("normalised grant", control,
                () -> storage.normalised(job.assetId(), new AssetStorageClient.NormalisedRequest(size, sha256, copy.contentType())));
        List<StorageClient.PartEtag> parts = uploader.put(grant, copy.file(), copy.contentType(), control);
        uploader.retry("asset ready", control, () -> storage.ready(job.assetId(), new AssetStorageClient.ReadyRequest(copy.width(),
                copy.height(), copy.durationSeconds(), parts.isEmpty() ? null : parts)));
        String detail = String.format(Locale.ROOT, "%s %s, %d bytes, %s x %s, %s s, in %d ms", job.kind(), copy.contentType(),
                size, copy.width(), copy.height(), copy.durationSeconds(), (System.nanoTime() - started) / 1_000_000);
        LOG.infof("asset %s: normalised (%s)", job.assetId(), detail);
        return new Outcome(AssetJobs.DONE, null);
    }

    private String original(AssetJobs.Job job, RenderControl control) {
        AssetStorageClient.AssetUrl url = uploader.retry("original url", control,
                () -> storage.url(job.assetId(), AssetStorageClient.ORIGINAL, config.urlSeconds()));
        if (url == null || url.url() == null || url.url().isBlank()) {
            throw new RenderException("normalise", "storage-service gave no URL for the original", true);
        }
        return url.url();
    }

    private Outcome reject(AssetJobs.Job job, String reason, RenderControl control) {
        LOG.infof("asset %s: rejected: %s", job.assetId(), reason);
        uploader.retry("asset rejected", control, () -> storage.rejected(job.assetId(), new AssetStorageClient.RejectedRequest(reason)));
        return new Outcome(AssetJobs.REJECTED, reason);
    }

    private Uni<Void> settle(Lease lease, Outcome outcome) {
        return Panache.withTransaction(() -> runner.hold(lease).chain(() -> jobs.settle(lease.jobId(), outcome.status(),
                outcome.detail())));
    }

    private Uni<Void> failed(Lease lease, AssetJobs.Job job, Throwable e, Path dir, RenderControl control) {
        if (e instanceof RenderControl.RenderCancelledException) {
            LOG.infof("asset %s: normalise cancelled: %s", job.assetId(), e.getMessage());
            return Uni.createFrom().voidItem();
        }
        String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (e instanceof Uploader.Refused refused && refused.status() == 404) {
            LOG.infof("asset %s: storage-service no longer has it (%s); nothing to do", job.assetId(), reason);
            return settle(lease, new Outcome(AssetJobs.FAILED, "asset gone: " + reason));
        }
        boolean retryable = !(e instanceof RenderException re) || re.retryable();
        if (!(e instanceof RenderException)) {
            LOG.errorf(e, "asset %s: normalise failed unexpectedly", job.assetId());
        }
        if (retryable && lease.attempt() < config.maxAttempts()) {
            LOG.warnf("asset %s: attempt %d failed, will retry: %s", job.assetId(), lease.attempt(), reason);
            return Panache.withTransaction(() -> runner.hold(lease).chain(() -> jobs.settle(job.assetId(), AssetJobs.QUEUED, reason))
                    .chain(() -> runner.retryAt(lease, Instant.now().plus(runner.backoff(lease.attempt(), null)))));
        }
        // nothing more will come of this file: the owner sees it rejected with the reason instead of processing for ever
        LOG.warnf("asset %s: giving up after attempt %d: %s", job.assetId(), lease.attempt(), reason);
        return blocking(() -> reject(job, "could not be processed: " + reason, control))
                .onFailure().recoverWithItem(new Outcome(AssetJobs.FAILED, reason))
                .chain(outcome -> settle(lease, new Outcome(outcome.status(), reason)));
    }

    private <T> Uni<T> blocking(Callable<T> work) {
        return executor.executeBlocking(work, false);
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
