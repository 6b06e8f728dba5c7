package io.contentmachine.render.job;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntConsumer;
import java.util.stream.Stream;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.contentmachine.events.VideoProgress.ProgressStage;
import io.contentmachine.events.VideoRequested;
import io.contentmachine.kit.jobs.JobHandler;
import io.contentmachine.kit.jobs.JobRunner;
import io.contentmachine.kit.jobs.Lease;
import io.contentmachine.kit.jobs.LeaseLost;
import io.contentmachine.render.config.RenderConfig;
import io.contentmachine.render.events.RenderEvents;
import io.contentmachine.render.script.ScriptPlan;
import io.contentmachine.render.video.RenderControl;
import io.contentmachine.render.video.RenderException;
import io.contentmachine.render.video.Template;
import io.contentmachine.render.voice.Voice;
import io.contentmachine.render.voice.VoiceCatalog;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.WorkerExecutor;
import io.vertx.mutiny.sqlclient.Pool;
import org.jboss.logging.Logger;

/**
 * Renders the jobs the kit's {@link JobRunner} claims from render_jobs, at most {@code render.concurrency} at once on a
 * bounded worker pool. The runner leases each job to one run and renews the lease while it renders; every write of a run
 * (progress, the outcome and its event) starts with {@link JobRunner#hold}, so a job emits at most one video.rendered even
 * when two workers once ran it. A job whose worker died is claimed again once its lease ends; a deleted project's job
 * loses its lease, which stops its render (ffmpeg killed).
 */
@ApplicationScoped
public class RenderWorker implements JobHandler {

    private static final Logger LOG = Logger.getLogger(RenderWorker.class);
    /** First retry after a failed attempt; doubles with each attempt. */
    private static final Duration RETRY_BACKOFF = Duration.ofSeconds(5);

    private final RenderConfig config;
    private final RenderJobs jobs;
    private final RenderEvents events;
    private final RenderPipeline pipeline;
    private final VoiceCatalog voices;
    private final ObjectMapper mapper;
    private final Vertx vertx;
    private final WorkerExecutor executor;
    private final JobRunner runner;
    private final Map<UUID, RenderControl> controls = new ConcurrentHashMap<>();

    /** What a render carries from stage to stage. */
    private record Work(RenderJob job, VideoRequested request, Path dir, RenderControl control, Template template, Voice voice,
            ScriptPlan plan, RenderPipeline.Narration narration, RenderPipeline.Rendered rendered, List<String> keys) {

        Work with(ScriptPlan p) {
            return new Work(job, request, dir, control, template, voice, p, narration, rendered, keys);
        }

        Work with(RenderPipeline.Narration n) {
            return new Work(job, request, dir, control, template, voice, plan, n, rendered, keys);
        }

        Work with(RenderPipeline.Rendered r) {
            return new Work(job, request, dir, control, template, voice, plan, narration, r, keys);
        }

        Work with(List<String> k) {
            return new Work(job, request, dir, control, template, voice, plan, narration, rendered, k);
        }
    }

    RenderWorker(RenderConfig config, RenderJobs jobs, RenderEvents events, RenderPipeline pipeline, VoiceCatalog voices,
            ObjectMapper mapper, Vertx vertx, Pool pool) {
        this.config = config;
        this.jobs = jobs;
        this.events = events;
        this.pipeline = pipeline;
        this.voices = voices;
        this.mapper = mapper;
        this.vertx = vertx;
        int concurrency = config.effectiveConcurrency();
        this.executor = vertx.createSharedWorkerExecutor("render-worker", concurrency + 1, config.timeout().toMinutes() + 5,
                java.util.concurrent.TimeUnit.MINUTES);
        // the render timeout kills ffmpeg; the run's limit leaves room for the upload after it
        Duration maxRun = config.timeout().plusMinutes(10);
        this.runner = new JobRunner(RenderJobs.TABLE, new JobRunner.Settings(concurrency, config.pollInterval(), config.lease(),
                maxRun, RETRY_BACKOFF, Duration.ofMinutes(5)), this, vertx, pool);
        LOG.infof("render worker: concurrency %d, timeout %s, work dir %s", concurrency, config.timeout(), config.workDir());
    }

    // the first look waits a second, as the timer always did, so the consumers and the outbox are wired first
    void start(@Observes StartupEvent started) {
        runner.start(Duration.ofSeconds(1));
    }

    /** Wakes the worker once the current transaction, which queued a job, has committed (the timer is the fallback). */
    public Uni<Void> wakeAfterCommit() {
        return runner.wakeAfterCommit();
    }

    /** Removes scratch folders left by renders that died with an earlier process (older than the render timeout). */
    void removeStaleScratch(@Observes StartupEvent started) {
        Path root = Path.of(config.workDir());
        if (!Files.isDirectory(root)) {
            return;
        }
        java.time.Instant cutoff = java.time.Instant.now().minus(config.timeout());
        try (Stream<Path> dirs = Files.list(root)) {
            for (Path dir : dirs.filter(d -> d.getFileName().toString().matches("[0-9a-f-]{36}-\\d+")).toList()) {
                if (Files.getLastModifiedTime(dir).toInstant().isBefore(cutoff)) {
                    deleteTree(dir);
                    LOG.infof("removed stale scratch folder %s", dir);
                }
            }
        } catch (IOException e) {
            LOG.warnf("cannot clean %s: %s", root, e.getMessage());
        }
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
            LOG.infof("project %s: render cancelled (%s)", lease.jobId(), reason);
            control.cancel(reason);
        }
    }

    @Override
    public Uni<Void> run(Lease lease) {
        RenderControl control = new RenderControl(config.timeout());
        controls.put(lease.jobId(), control);
        return Panache.withTransaction(() -> runner.hold(lease).chain(() -> jobs.find(lease.jobId())).chain(job -> begin(lease, job)))
                .chain(job -> job == null ? Uni.createFrom().voidItem() : render(lease, job, control))
                .onFailure(LeaseLost.class).recoverWithItem(e -> {
                    LOG.infof("%s; the render stops here", e.getMessage());
                    return null;
                })
                .eventually(() -> cleanUp(lease));
    }

    /** Starts an attempt (video.progress script 0), or gives up (video.failed) a job that used all its attempts; null then. */
    private Uni<RenderJob> begin(Lease lease, RenderJob job) {
        if (lease.attempt() > config.maxAttempts()) {
            int attempts = lease.attempt() - 1;
            String reason = "gave up after " + attempts + " attempts" + (job.error == null ? " (worker lost)" : ": " + job.error);
            LOG.warnf("project %s: %s", job.projectId, reason);
            return jobs.settle(job.projectId, RenderJob.FAILED, reason)
                    .chain(() -> events.failed(job.projectId, job.ownerId, "render", reason, true, "exhausted"))
                    .replaceWith((RenderJob) null);
        }
        if (lease.attempt() > 1) {
            LOG.infof("project %s: render attempt %d claimed (%s)", job.projectId, lease.attempt(),
                    job.error == null ? "the claim of the last one expired" : "after: " + job.error);
        } else {
            LOG.infof("project %s: render attempt 1 claimed", job.projectId);
        }
        return events.progress(job.projectId, job.ownerId, ProgressStage.SCRIPT, 0).replaceWith(job);
    }

    private Uni<Void> render(Lease lease, RenderJob job, RenderControl control) {
        Path dir = scratch(lease);
        return blocking(() -> {
            VideoRequested request = mapper.readValue(job.request, VideoRequested.class);
            Files.createDirectories(dir);
            Template template = Template.byId(request.getConfig().getTemplate())
                    .orElseThrow(() -> new RenderException("request", "unknown template", false));
            Voice voice = voices.byId(request.getConfig().getVoice())
                    .orElseThrow(() -> new RenderException("request", "unknown voice", false));
            String language = request.getConfig().getLanguage() != null ? request.getConfig().getLanguage() : voice.language();
            ScriptPlan plan = pipeline.script(request.getTopic(), request.getConfig().getLengthSeconds(), language);
            return new Work(job, request, dir, control, template, voice, plan, null, null, null);
        })
                .call(w -> progress(lease, w, ProgressStage.VOICE, 0))
                .chain(w -> blocking(() -> w.with(pipeline.voice(w.plan(), w.voice(), w.template(), length(w), dir, control))))
                .invoke(w -> {
                    if (w.narration().voiceFallbackReason() != null) {
                        LOG.warnf("project %s: voice %s spoken by espeak-ng (%s) instead of the speech server: %s", job.projectId,
                                w.voice().id(), w.voice().espeakVoice(), w.narration().voiceFallbackReason());
                    }
                })
                .call(w -> progress(lease, w, ProgressStage.RENDER, 0))
                .chain(w -> {
                    StageProgress encoding = new StageProgress(lease, job, ProgressStage.RENDER);
                    RenderPipeline.Media media = new RenderPipeline.Media(job.ownerId, w.request().getConfig().getMusic());
                    return blocking(() -> w.with(pipeline.render(w.plan(), w.narration(), w.template(), length(w), dir, control,
                            media, encoding))).eventually(encoding::drained); // also on failure: no progress write may outlive the render
                })
                .call(w -> progress(lease, w, ProgressStage.UPLOAD, 0))
                .chain(w -> blocking(() -> w.with(pipeline.upload(job.projectId, w.rendered(), control))))
                .chain(w -> finish(lease, w))
                .onFailure(e -> !(e instanceof LeaseLost)).recoverWithUni(e -> failed(lease, job, e));
    }

    private Uni<Void> finish(Lease lease, Work w) {
        RenderPipeline.Rendered r = w.rendered();
        RenderEvents.Upload upload = new RenderEvents.Upload(w.keys().get(0), w.keys().get(1), r.sha256(), r.sizeBytes(),
                r.durationSeconds(), r.resolution());
        RenderJob job = w.job();
        return Panache.withTransaction(() -> runner.hold(lease).chain(() -> jobs.settle(job.projectId, RenderJob.DONE, null))
                .chain(() -> {
                    LOG.infof("project %s: rendered %.1f s, %d bytes (%s)", job.projectId, r.durationSeconds(), r.sizeBytes(),
                            upload.stagingKey());
                    return events.rendered(job.projectId, job.ownerId, upload, w.narration(), w.rendered(),
                            w.request().getPublish());
                }))
                .onFailure(LeaseLost.class).recoverWithItem(e -> {
                    LOG.infof("project %s: finished, but the job was cancelled or claimed elsewhere; no event", job.projectId);
                    return null;
                });
    }

    private Uni<Void> failed(Lease lease, RenderJob job, Throwable e) {
        if (e instanceof RenderControl.RenderCancelledException) {
            LOG.infof("project %s: render stopped: %s", job.projectId, e.getMessage());
            return Uni.createFrom().voidItem();
        }
        String stage = e instanceof RenderException re ? re.stage() : "render";
        boolean retryable = !(e instanceof RenderException re) || re.retryable();
        String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (!(e instanceof RenderException)) {
            LOG.errorf(e, "project %s: render failed unexpectedly", job.projectId);
        }
        if (e instanceof com.fasterxml.jackson.core.JsonProcessingException) {
            retryable = false;
            stage = "request";
        }
        boolean retry = retryable && lease.attempt() < config.maxAttempts();
        String finalStage = stage;
        boolean finalRetryable = retryable;
        LOG.warnf("project %s: attempt %d failed at %s (%s): %s", job.projectId, lease.attempt(), stage,
                retry ? "will retry" : "giving up", reason);
        return Panache.withTransaction(() -> runner.hold(lease).chain(() -> retry
                ? jobs.settle(job.projectId, RenderJob.QUEUED, reason)
                        .chain(() -> runner.retryAt(lease, Instant.now().plus(runner.backoff(lease.attempt(), null))))
                : jobs.settle(job.projectId, RenderJob.FAILED, reason)
                        .chain(() -> events.failed(job.projectId, job.ownerId, finalStage, reason, finalRetryable,
                                "attempt-" + lease.attempt()))))
                .onFailure(LeaseLost.class).recoverWithItem(lost -> {
                    LOG.infof("project %s: the job was cancelled or claimed elsewhere; failure not recorded", job.projectId);
                    return null;
                });
    }

    private Uni<Void> progress(Lease lease, Work w, ProgressStage stage, int percent) {
        return Panache.withTransaction(() -> runner.hold(lease)
                .chain(() -> events.progress(w.job().projectId, w.job().ownerId, stage, percent)));
    }

    /**
     * Progress reported from the render thread while a stage runs: each percent becomes a video.progress in the outbox,
     * written on the render's Vert.x context one after another (so they keep their order and never share a session).
     * A progress event that cannot be written is logged and skipped; it does not fail the render.
     */
    private final class StageProgress implements IntConsumer {

        private final Lease lease;
        private final RenderJob job;
        private final ProgressStage stage;
        private final io.vertx.core.Context context = vertx.getDelegate().getOrCreateContext();
        private CompletableFuture<Void> written = CompletableFuture.completedFuture(null);

        StageProgress(Lease lease, RenderJob job, ProgressStage stage) {
            this.lease = lease;
            this.job = job;
            this.stage = stage;
        }

        @Override
        public synchronized void accept(int percent) {
            written = written.thenCompose(ignored -> {
                CompletableFuture<Void> done = new CompletableFuture<>();
                context.runOnContext(v -> Panache.withTransaction(() -> runner.hold(lease)
                        .chain(() -> events.progress(job.projectId, job.ownerId, stage, percent)))
                        .subscribe().with(done::complete, e -> {
                            LOG.debugf("project %s: progress %d%% not recorded: %s", job.projectId, percent, e.getMessage());
                            done.complete(null);
                        }));
                return done;
            });
        }

        /** Completes once every progress reported so far is in the outbox. */
        synchronized Uni<Void> drained() {
            return Uni.createFrom().completionStage(written);
        }
    }

    private Uni<Void> cleanUp(Lease lease) {
        controls.remove(lease.jobId());
        Path dir = scratch(lease);
        return blocking(() -> {
            deleteTree(dir);
            return null;
        }).onFailure().invoke(e -> LOG.warnf("cannot remove %s: %s", dir, e.getMessage())).onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    /** The attempt's scratch folder (per attempt: a run that lost its lease may still be cleaning up its own). */
    private Path scratch(Lease lease) {
        return Path.of(config.workDir(), lease.jobId() + "-" + lease.attempt());
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

    private static int length(Work w) {
        return w.request().getConfig().getLengthSeconds();
    }

    private <T> Uni<T> blocking(java.util.concurrent.Callable<T> work) {
        return executor.executeBlocking(work, false);
    }

    /** Renders now running in this instance (for tests and metrics). */
    public int runningCount() {
        return runner.runningCount();
    }
}
