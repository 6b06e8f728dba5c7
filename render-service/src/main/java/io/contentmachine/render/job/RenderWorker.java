package io.contentmachine.render.job;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.contentmachine.events.VideoProgress.ProgressStage;
import io.contentmachine.events.VideoRequested;
import io.contentmachine.render.config.RenderConfig;
import io.contentmachine.render.events.RenderEvents;
import io.contentmachine.render.script.ScriptPlan;
import io.contentmachine.render.video.RenderControl;
import io.contentmachine.render.video.RenderException;
import io.contentmachine.render.video.Template;
import io.contentmachine.render.voice.Voice;
import io.contentmachine.render.voice.VoiceCatalog;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.WorkerExecutor;

/**
 * Claims render jobs (FOR UPDATE SKIP LOCKED) and runs at most {@code render.concurrency} of them at once on a bounded
 * worker pool. Each render keeps its claim alive with a heartbeat; a job whose worker died is claimed again once its
 * heartbeat is older than {@code render.lease}. Finishing is fenced by the attempt number, so a job emits at most one
 * video.rendered even when two workers once ran it.
 */
@ApplicationScoped
public class RenderWorker {

    private static final Logger LOG = Logger.getLogger(RenderWorker.class);

    private final RenderConfig config;
    private final RenderJobs jobs;
    private final RenderEvents events;
    private final RenderPipeline pipeline;
    private final VoiceCatalog voices;
    private final ObjectMapper mapper;
    private final Vertx vertx;
    private final WorkerExecutor executor;
    private final int concurrency;
    private final Map<UUID, Running> running = new ConcurrentHashMap<>();

    record Running(int attempt, RenderControl control) {
    }

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
            ObjectMapper mapper, Vertx vertx) {
        this.config = config;
        this.jobs = jobs;
        this.events = events;
        this.pipeline = pipeline;
        this.voices = voices;
        this.mapper = mapper;
        this.vertx = vertx;
        this.concurrency = config.effectiveConcurrency();
        this.executor = vertx.createSharedWorkerExecutor("render-worker", concurrency + 1, config.timeout().toMinutes() + 5,
                java.util.concurrent.TimeUnit.MINUTES);
        LOG.infof("render worker: concurrency %d, timeout %s, work dir %s", concurrency, config.timeout(), config.workDir());
    }

    /** Removes scratch folders left by renders that died with an earlier process (older than the render timeout). */
    void removeStaleScratch(@jakarta.enterprise.event.Observes io.quarkus.runtime.StartupEvent started) {
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
        running.values().forEach(r -> r.control().cancel("shutting down"));
        executor.close().await().indefinitely();
    }

    @Scheduled(every = "${render.poll-interval:1s}", delayed = "${render.start-delay:1s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> poll() {
        int free = concurrency - running.size();
        if (free <= 0) {
            return Uni.createFrom().voidItem();
        }
        return Panache.withTransaction(() -> jobs.claimable(free, config.lease()).chain(this::claim))
                .invoke(claimed -> claimed.forEach(this::start))
                .replaceWithVoid();
    }

    /** Marks locked jobs running; gives up (video.failed) those that used all their attempts. */
    private Uni<List<RenderJob>> claim(List<RenderJob> locked) {
        List<RenderJob> claimed = new ArrayList<>();
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (RenderJob job : locked) {
            if (job.attempts >= config.maxAttempts()) {
                String reason = "gave up after " + job.attempts + " attempts" + (job.error == null ? " (worker lost)" : ": " + job.error);
                job.status = RenderJob.FAILED;
                job.error = reason;
                job.updatedAt = java.time.Instant.now();
                chain = chain.chain(() -> events.failed(job.projectId, job.ownerId, "render", reason, true, "exhausted"));
            } else {
                if (RenderJob.RUNNING.equals(job.status)) {
                    LOG.warnf("project %s: claim of attempt %d expired, claiming again", job.projectId, job.attempts);
                }
                RenderJobs.markClaimed(job);
                claimed.add(job);
            }
        }
        return chain.replaceWith(claimed);
    }

    /** Keeps running claims alive; cancels renders whose claim is gone (project deleted, or taken over). */
    @Scheduled(every = "${render.heartbeat-interval:5s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> heartbeat() {
        if (running.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Map.Entry<UUID, Running>> entries = new ArrayList<>(running.entrySet());
        return Panache.withTransaction(() -> {
            Uni<Void> chain = Uni.createFrom().voidItem();
            for (Map.Entry<UUID, Running> entry : entries) {
                chain = chain.chain(() -> jobs.heartbeat(entry.getKey(), entry.getValue().attempt()).invoke(alive -> {
                    if (!alive) {
                        LOG.infof("project %s: render cancelled (deleted or claimed elsewhere)", entry.getKey());
                        entry.getValue().control().cancel("project deleted or claim lost");
                    }
                }).replaceWithVoid());
            }
            return chain;
        });
    }

    /** Runs one claimed job on its own Vert.x context (its own Hibernate Reactive sessions). */
    private void start(RenderJob job) {
        RenderControl control = new RenderControl(config.timeout());
        running.put(job.projectId, new Running(job.attempts, control));
        io.vertx.core.Context context = VertxContext.createNewDuplicatedContext(vertx.getDelegate().getOrCreateContext());
        VertxContextSafetyToggle.setContextSafe(context, true);
        context.runOnContext(ignored -> run(job, control)
                .eventually(() -> cleanUp(job, control))
                .subscribe().with(done -> { }, e -> LOG.errorf(e, "project %s: render bookkeeping failed", job.projectId)));
    }

    private Uni<Void> run(RenderJob job, RenderControl control) {
        Path dir = Path.of(config.workDir(), job.projectId + "-" + job.attempts);
        return Panache.withTransaction(() -> events.progress(job.projectId, job.ownerId, ProgressStage.SCRIPT, 0)).chain(() -> blocking(() -> {
            VideoRequested request = mapper.readValue(job.request, VideoRequested.class);
            Files.createDirectories(dir);
            Template template = Template.byId(request.getConfig().getTemplate())
                    .orElseThrow(() -> new RenderException("request", "unknown template", false));
            Voice voice = voices.byId(request.getConfig().getVoice())
                    .orElseThrow(() -> new RenderException("request", "unknown voice", false));
            String language = request.getConfig().getLanguage() != null ? request.getConfig().getLanguage() : voice.language();
            ScriptPlan plan = pipeline.script(request.getTopic(), request.getConfig().getLengthSeconds(), language);
            return new Work(job, request, dir, control, template, voice, plan, null, null, null);
        }))
                .call(w -> progress(w, ProgressStage.VOICE, 0))
                .chain(w -> blocking(() -> w.with(pipeline.voice(w.plan(), w.voice(), w.template(), length(w), dir, control))))
                .invoke(w -> {
                    if (w.narration().voiceFallbackReason() != null) {
                        LOG.warnf("project %s: voice %s spoken by espeak-ng (%s) instead of the speech server: %s", job.projectId,
                                w.voice().id(), w.voice().espeakVoice(), w.narration().voiceFallbackReason());
                    }
                })
                .call(w -> progress(w, ProgressStage.RENDER, 0))
                .chain(w -> {
                    StageProgress encoding = new StageProgress(job, ProgressStage.RENDER);
                    return blocking(() -> w.with(pipeline.render(w.plan(), w.narration(), w.template(), length(w), dir, control,
                            encoding))).eventually(encoding::drained); // also on failure: no progress write may outlive the render
                })
                .call(w -> progress(w, ProgressStage.UPLOAD, 0))
                .chain(w -> blocking(() -> w.with(pipeline.upload(job.projectId, w.rendered(), control))))
                .chain(this::finish)
                .onFailure().recoverWithUni(e -> failed(job, e));
    }

    private Uni<Void> finish(Work w) {
        RenderPipeline.Rendered r = w.rendered();
        RenderEvents.Upload upload = new RenderEvents.Upload(w.keys().get(0), w.keys().get(1), r.sha256(), r.sizeBytes(),
                r.durationSeconds(), r.resolution());
        RenderJob job = w.job();
        return Panache.withTransaction(() -> jobs.settle(job.projectId, job.attempts, RenderJob.DONE, null, Duration.ZERO)
                .chain(held -> {
                    if (!held) {
                        LOG.infof("project %s: finished, but the job was cancelled or claimed elsewhere; no event", job.projectId);
                        return Uni.createFrom().voidItem();
                    }
                    LOG.infof("project %s: rendered %.1f s, %d bytes (%s)", job.projectId, r.durationSeconds(), r.sizeBytes(),
                            upload.stagingKey());
                    return events.rendered(job.projectId, job.ownerId, upload, w.narration(), w.rendered(),
                            w.request().getPublish());
                }));
    }

    private Uni<Void> failed(RenderJob job, Throwable e) {
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
        boolean retry = retryable && job.attempts < config.maxAttempts();
        String finalStage = stage;
        boolean finalRetryable = retryable;
        LOG.warnf("project %s: attempt %d failed at %s (%s): %s", job.projectId, job.attempts, stage,
                retry ? "will retry" : "giving up", reason);
        return Panache.withTransaction(() -> retry
                ? jobs.settle(job.projectId, job.attempts, RenderJob.QUEUED, reason, Duration.ofSeconds(5L * job.attempts))
                        .replaceWithVoid()
                : jobs.settle(job.projectId, job.attempts, RenderJob.FAILED, reason, Duration.ZERO)
                        .chain(held -> held ? events.failed(job.projectId, job.ownerId, finalStage, reason, finalRetryable,
                                "attempt-" + job.attempts) : Uni.createFrom().voidItem()));
    }

    private Uni<Void> progress(Work w, ProgressStage stage, int percent) {
        return Panache.withTransaction(() -> events.progress(w.job().projectId, w.job().ownerId, stage, percent));
    }

    /**
     * Progress reported from the render thread while a stage runs: each percent becomes a video.progress in the outbox,
     * written on the render's Vert.x context one after another (so they keep their order and never share a session).
     * A progress event that cannot be written is logged and skipped; it does not fail the render.
     */
    private final class StageProgress implements IntConsumer {

        private final RenderJob job;
        private final ProgressStage stage;
        private final io.vertx.core.Context context = vertx.getDelegate().getOrCreateContext();
        private CompletableFuture<Void> written = CompletableFuture.completedFuture(null);

        StageProgress(RenderJob job, ProgressStage stage) {
            this.job = job;
            this.stage = stage;
        }

        @Override
        public synchronized void accept(int percent) {
            written = written.thenCompose(ignored -> {
                CompletableFuture<Void> done = new CompletableFuture<>();
                context.runOnContext(v -> Panache.withTransaction(() -> events.progress(job.projectId, job.ownerId, stage, percent))
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

    private Uni<Void> cleanUp(RenderJob job, RenderControl control) {
        running.remove(job.projectId);
        Path dir = Path.of(config.workDir(), job.projectId + "-" + job.attempts);
        return blocking(() -> {
            deleteTree(dir);
            return null;
        }).onFailure().invoke(e -> LOG.warnf("cannot remove %s: %s", dir, e.getMessage())).onFailure().recoverWithNull()
                .replaceWithVoid();
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
        return running.size();
    }
}
