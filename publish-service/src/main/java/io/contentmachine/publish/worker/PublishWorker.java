package io.contentmachine.publish.worker;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.WebApplicationException;

import io.contentmachine.events.types.VideoMetadata;
import io.contentmachine.kit.auth.InternalConfig;
import io.contentmachine.kit.jobs.JobHandler;
import io.contentmachine.kit.jobs.JobRunner;
import io.contentmachine.kit.jobs.JobTable;
import io.contentmachine.kit.jobs.Lease;
import io.contentmachine.kit.jobs.LeaseLost;
import io.contentmachine.publish.accounts.CredentialResolver;
import io.contentmachine.publish.accounts.PlatformLimits;
import io.contentmachine.publish.client.StorageClient;
import io.contentmachine.publish.config.PublishConfig;
import io.contentmachine.publish.domain.Platform;
import io.contentmachine.publish.domain.PublishJob;
import io.contentmachine.publish.domain.Publishing;
import io.contentmachine.publish.domain.PublishingService;
import io.contentmachine.publish.domain.PublishingStatus;
import io.contentmachine.publish.domain.Video;
import io.contentmachine.publish.events.PublishedEvents;
import io.contentmachine.publish.platform.PlatformException;
import io.contentmachine.publish.platform.PlatformHttp;
import io.contentmachine.publish.platform.Platforms;
import io.contentmachine.publish.platform.PostOptions;
import io.contentmachine.publish.platform.PresignedSource;
import io.contentmachine.publish.platform.PublishTask;
import io.contentmachine.publish.platform.Publisher;
import io.contentmachine.publish.platform.Step;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.WorkerExecutor;
import io.vertx.mutiny.sqlclient.Pool;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

/**
 * Runs the publish jobs the kit's {@link JobRunner} claims (FOR UPDATE SKIP LOCKED, then leased): drives each publishing
 * through its platform's {@link Publisher} on a bounded worker pool. Every step the publisher returns is saved (with a
 * video.published event when the status changes) before the next external call; a job whose replica died comes back when
 * its lease ends, and the saved upload handle lets the publisher resume or reconcile instead of uploading again.
 * <p>
 * Nothing here sleeps: a transient failure puts the job back with a growing backoff, and a rate limit or quota (the
 * account's pause, TikTok's init pace, see {@link PlatformLimits}) moves the job's run time and shows the publishing
 * {@code waiting}, with why and until when; it goes on from where it was afterwards.
 * <p>
 * One run at a time: a claim gives the run a {@link Lease} (a fencing token saved on the job). Every transaction of the run
 * first locks the job row and checks the token ({@link JobRunner#hold}), renewing the lease; the runner renews it too while
 * a platform call blocks. A run whose job was given back or claimed by another run (its replica paused longer than the
 * lease) writes nothing more.
 */
@ApplicationScoped
public class PublishWorker implements JobHandler {

    private static final Logger LOG = Logger.getLogger(PublishWorker.class);
    private static final JobTable TABLE = new JobTable("publish_jobs", "publishing_id", "true", "",
            "select p.project_id from publishings p where p.id = publish_jobs.publishing_id");
    /** Steps of one run before the job is put back (guards against a platform that keeps expiring sessions). */
    private static final int MAX_STEPS = 12;
    /** Runs of one job (after crashes or transient failures) before its publishing fails. */
    private static final int MAX_ATTEMPTS = 20;

    private final PublishConfig config;
    private final Platforms platforms;
    private final PublishingService publishings;
    private final PublishedEvents events;
    private final CredentialResolver credentials;
    private final PlatformLimits limits;
    private final StorageClient storage;
    private final String internalToken;
    private final PlatformHttp http;
    private final WorkerExecutor executor;
    private final JobRunner runner;

    PublishWorker(PublishConfig config, Platforms platforms, PublishingService publishings, PublishedEvents events,
            CredentialResolver credentials, PlatformLimits limits, @RestClient StorageClient storage, InternalConfig internal,
            PlatformHttp http, Vertx vertx, Pool pool) {
        this.config = config;
        this.platforms = platforms;
        this.publishings = publishings;
        this.events = events;
        this.credentials = credentials;
        this.limits = limits;
        this.storage = storage;
        this.internalToken = internal.token();
        this.http = http;
        this.executor = vertx.createSharedWorkerExecutor("publish-worker", config.worker().concurrency(), 6, TimeUnit.HOURS);
        PublishConfig.Worker worker = config.worker();
        this.runner = new JobRunner(TABLE, new JobRunner.Settings(worker.concurrency(), worker.pollInterval(), worker.lease(),
                worker.maxRun(), worker.initialBackoff(), worker.maxBackoff()), this, vertx, pool);
    }

    void start(@Observes StartupEvent started) {
        runner.start(config.worker().pollInterval());
    }

    /** Wakes the worker once the current transaction, which made a job due now, has committed (the timer is the fallback). */
    public Uni<Void> wakeAfterCommit() {
        return runner.wakeAfterCommit();
    }

    @PreDestroy
    void close() {
        runner.stop(Duration.ofSeconds(5));
        executor.closeAndForget();
    }

    /** Takes up to {@code limit} due jobs and leases each to a new run (what the runner does on its own; for tests). */
    Uni<List<Lease>> claim(int limit) {
        return runner.claim(limit);
    }

    /** Locks the job and checks that this run still holds it, renewing the lease; fails with {@link LeaseLost} otherwise. */
    private Uni<PublishJob> hold(Lease lease) {
        return runner.hold(lease).chain(() -> PublishJob.<PublishJob>findById(lease.jobId()));
    }

    @Override
    public Uni<Void> run(Lease lease) {
        return process(lease);
    }

    Uni<Void> process(Lease lease) {
        Context own = io.vertx.core.Vertx.currentContext();
        return Panache.withTransaction(() -> hold(lease).chain(job -> prepare(lease, job)))
                // back on this run's own context after the REST call: Panache keeps the session in the context, and runs
                // that went on on the REST client's shared context joined each other's transactions (seen as a transaction
                // flushed and never committed in a burst of TikTok posts)
                .chain(work -> work == null ? Uni.createFrom().voidItem()
                        : source(work).emitOn(command -> own.runOnContext(ignored -> command.run())).chain(task -> start(work, task)))
                .onFailure().recoverWithUni(failure -> {
                    if (failure instanceof LeaseLost) {
                        LOG.infof("%s; it stops here", failure.getMessage());
                        return Uni.createFrom().voidItem();
                    }
                    return failure instanceof PlatformException platform && !platform.isTransient() && !platform.isWait()
                            ? failNow(lease, platform)
                            : putBack(lease, failure);
                });
    }

    /** A failure no retry can cure (e.g. the video is gone from storage): the publishing fails with the reason. */
    private Uni<Void> failNow(Lease lease, PlatformException failure) {
        return Panache.withTransaction(() -> hold(lease).chain(job -> Publishing.<Publishing>findById(lease.jobId())).chain(
                publishing -> publishing == null || publishing.status().isFinal() ? Uni.createFrom().voidItem()
                        : finish(lease, publishing, Step.Finished.failed(failure.code(), failure.getMessage()))))
                .onFailure(LeaseLost.class).recoverWithNull().replaceWithVoid();
    }

    /** What one run needs, read in one transaction; null when there is nothing to do. */
    private record Work(Lease lease, UUID publishingId, UUID projectId, String ownerId, Platform platform, VideoMetadata metadata,
            long sizeBytes,
            double durationSeconds, Instant publishAt, PublishTask.Credentials credentials, PublishingStatus status, String uploadRef,
            String uploadUrl, String platformId, PostOptions options) {
    }

    private Uni<Work> prepare(Lease lease, PublishJob job) {
        return Publishing.<Publishing>findById(job.publishingId).chain(publishing -> {
            if (publishing == null || publishing.status().isFinal() && !awaitsRelease(publishing)) {
                return job.delete().replaceWith((Work) null);
            }
            if (job.attempts > MAX_ATTEMPTS) {
                return finish(lease, publishing, Step.Finished.failed("too_many_attempts",
                        "gave up after " + MAX_ATTEMPTS + " attempts; last error: " + publishing.errorMessage)).replaceWith((Work) null);
            }
            return Video.<Video>findById(publishing.videoId).chain(video -> {
                if (video == null) {
                    return finish(lease, publishing, Step.Finished.failed("video_unknown", "the video is no longer known (deleted)"))
                            .replaceWith((Work) null);
                }
                return credentials.resolve(publishing.ownerId, publishing.platform()).chain(found -> {
                    if (found.isEmpty()) {
                        return finish(lease, publishing, Step.Finished.failed("no_account",
                                CredentialResolver.notConnected(publishing.platform()))).replaceWith((Work) null);
                    }
                    boolean initNext = publishing.uploadRef == null;
                    return limits.held(publishing.ownerId, publishing.platform(), initNext).chain(held -> {
                        if (held.isPresent()) {
                            return waiting(lease, publishing, held.get()).replaceWith((Work) null);
                        }
                        PublishingStatus status = resumed(publishing);
                        if (status == PublishingStatus.PENDING) {
                            status = PublishingStatus.UPLOADING;
                        }
                        VideoMetadata metadata = publishings.effectiveMetadata(video, publishing);
                        return change(publishing, status).replaceWith(new Work(lease, publishing.id,
                                publishing.projectId, publishing.ownerId,
                                publishing.platform(), metadata, video.sizeBytes, video.durationSeconds, publishing.publishAt,
                                found.get(), status, publishing.uploadRef, publishing.uploadUrl, publishing.platformId,
                                publishings.effectiveOptions(video, publishing)));
                    });
                });
            });
        });
    }

    /** A fresh presigned GET of the video from storage-service, valid long enough for a slow upload or a platform's pull. */
    private Uni<PublishTask> source(Work work) {
        if (work.status() == PublishingStatus.SCHEDULED) {
            // uploaded already: the run only looks whether the platform released it
            return Uni.createFrom().item(task(work, null));
        }
        long seconds = config.sourceUrlValidity().toSeconds();
        return storage.videoUrl(work.projectId(), "video", seconds, internalToken)
                .ifNoItem().after(Duration.ofSeconds(30)).fail()
                .onFailure().transform(e -> e instanceof WebApplicationException web && web.getResponse().getStatus() == 404
                        ? PlatformException.permanent("video_unavailable", "storage-service has no stored video for project "
                                + work.projectId())
                        : PlatformException.transientFailure("storage_unavailable",
                                "cannot get the video's URL from storage-service: " + e.getMessage(), null, e))
                .map(url -> task(work, new PresignedSource(http, url.url())));
    }

    private static PublishTask task(Work work, PresignedSource source) {
        return new PublishTask(work.publishingId(), work.metadata(), work.sizeBytes(), work.durationSeconds(), work.publishAt(), source,
                work.credentials(), work.status(), work.uploadRef(), work.uploadUrl(), work.platformId(), work.options(),
                work.projectId());
    }

    /** A video the platform holds for its publishAt (YouTube): its job stays, to see it released and then pull its metrics. */
    private boolean awaitsRelease(Publishing publishing) {
        return publishing.status() == PublishingStatus.SCHEDULED && platforms.of(publishing.platform()).schedulesNatively()
                && publishing.platformId != null;
    }

    /** A token about to expire is refreshed first (that counts as the run's one refresh), saving a 401 round trip. */
    private Uni<Void> start(Work work, PublishTask task) {
        if (task.credentials().expiresWithin(config.tokenRefreshMargin(), platforms.of(work.platform()).refreshesWithAccessToken())) {
            LOG.infof("publishing %s: %s access token expires at %s, refreshing it first", work.publishingId(), work.platform().id(),
                    task.credentials().expiresAt());
            return refresh(work, task, 0);
        }
        return run(work, task, 0, false);
    }

    private Uni<Void> run(Work work, PublishTask task, int steps, boolean refreshed) {
        if (steps >= MAX_STEPS) {
            return putBack(work.lease(), new IllegalStateException("too many steps in one run"));
        }
        Publisher publisher = platforms.of(work.platform()).publisher();
        return executor.executeBlocking(Uni.createFrom().item(() -> publisher.advance(task)), false)
                .onItemOrFailure().transformToUni((step, failure) -> {
                    if (failure instanceof PlatformException platform) {
                        if (platform.isUnauthorized() && !refreshed) {
                            return refresh(work, task, steps);
                        }
                        if (platform.isWait()) {
                            return platformWait(work, platform);
                        }
                        if (platform.isTransient()) {
                            return putBack(work.lease(), platform);
                        }
                        return saveAndContinue(work, task, Step.Finished.failed(platform.code(), platform.getMessage()), steps, refreshed);
                    }
                    if (failure != null) {
                        return Uni.createFrom().failure(failure);
                    }
                    return saveAndContinue(work, task, step, steps, refreshed);
                });
    }

    private Uni<Void> saveAndContinue(Work work, PublishTask task, Step step, int steps, boolean refreshed) {
        return Panache.withTransaction(() -> save(work.lease(), step)).chain(next -> {
            if (next == null) {
                return Uni.createFrom().voidItem();
            }
            PublishTask following = new PublishTask(task.publishingId(), task.metadata(), task.sizeBytes(), task.durationSeconds(),
                    task.publishAt(), task.source(), task.credentials(), next.status(), next.uploadRef, next.uploadUrl, next.platformId,
                    task.options(), task.projectId());
            return run(work, following, steps + 1, refreshed);
        });
    }

    /** The platform refused the token: refresh it once and try again; invalid_grant disconnects the account and fails. */
    private Uni<Void> refresh(Work work, PublishTask task, int steps) {
        return credentials.refresh(work.ownerId(), work.platform(), task.credentials())
                .onItemOrFailure().transformToUni((fresh, failure) -> {
                    if (failure instanceof PlatformException platform && !platform.isTransient()) {
                        return Panache.withTransaction(() -> save(work.lease(),
                                Step.Finished.failed(platform.code(), platform.getMessage()))).replaceWithVoid();
                    }
                    if (failure != null) {
                        return putBack(work.lease(), failure);
                    }
                    LOG.infof("publishing %s: %s access token refreshed", work.publishingId(), work.platform().id());
                    return run(work, task.withCredentials(fresh), steps + 1, true);
                });
    }

    /** Saves a step; returns the publishing when the publisher should be called again at once. */
    private Uni<Publishing> save(Lease lease, Step step) {
        return hold(lease).chain(job -> Publishing.<Publishing>findById(lease.jobId())).chain(publishing -> {
            if (publishing == null) {
                return Uni.createFrom().nullItem();
            }
            if (step instanceof Step.Checkpoint checkpoint) {
                publishing.uploadRef = checkpoint.uploadRef();
                publishing.uploadUrl = checkpoint.uploadUrl();
                return change(publishing, checkpoint.status()).replaceWith(publishing);
            }
            if (step instanceof Step.Later later) {
                return change(publishing, later.status())
                        .chain(() -> runner.waitUntil(lease, Instant.now().plus(later.delay())))
                        .replaceWith((Publishing) null);
            }
            return finish(lease, publishing, (Step.Finished) step).replaceWith((Publishing) null);
        });
    }

    private Uni<Void> change(Publishing publishing, PublishingStatus status) {
        boolean changed = !publishing.status.equals(status.id());
        publishing.status = status.id();
        publishing.updatedAt = Instant.now();
        return changed ? events.announce(publishing) : Uni.createFrom().voidItem();
    }

    /** The status a publishing goes on with: the one it had before it waited (the wait is over), else its own. */
    private static PublishingStatus resumed(Publishing publishing) {
        if (publishing.status() != PublishingStatus.WAITING) {
            return publishing.status();
        }
        PublishingStatus before = publishing.resumeStatus == null ? PublishingStatus.PENDING : PublishingStatus.of(publishing.resumeStatus);
        publishing.waitingUntil = null;
        publishing.waitReason = null;
        publishing.waitMessage = null;
        publishing.resumeStatus = null;
        return before;
    }

    /**
     * The account may not call the platform before {@code wait.until()}: the job runs again then (its lease given back, its
     * retries not counted) and the publishing shows waiting, with why and until when. Announced when that news changes.
     */
    private Uni<Void> waiting(Lease lease, Publishing publishing, PlatformLimits.Wait wait) {
        boolean news = publishing.status() != PublishingStatus.WAITING || !wait.until().equals(publishing.waitingUntil)
                || !Objects.equals(wait.reason(), publishing.waitReason);
        if (publishing.status() != PublishingStatus.WAITING) {
            publishing.resumeStatus = publishing.status;
        }
        publishing.status = PublishingStatus.WAITING.id();
        publishing.waitingUntil = wait.until();
        publishing.waitReason = wait.reason();
        publishing.waitMessage = wait.message();
        publishing.updatedAt = Instant.now();
        if (news) {
            LOG.infof("publishing %s on %s waits until %s (%s)", publishing.id, publishing.platform, wait.until(), wait.reason());
        }
        return runner.waitUntil(lease, wait.until()).chain(() -> news ? events.announce(publishing) : Uni.createFrom().voidItem());
    }

    /** The platform asked to come back later: the whole account waits (every replica sees it), and so does this publishing. */
    private Uni<Void> platformWait(Work work, PlatformException refusal) {
        Instant until = refusal.waitUntil() != null ? refusal.waitUntil()
                : Instant.now().plus(refusal.retryAfter() != null ? refusal.retryAfter() : config.worker().rateLimitWait());
        PlatformLimits.Wait wait = new PlatformLimits.Wait(until, refusal.code(), refusal.getMessage());
        return Panache.withTransaction(() -> hold(work.lease()).chain(job -> limits.pause(work.ownerId(), work.platform(), wait)
                .chain(() -> Publishing.<Publishing>findById(work.publishingId()))
                .chain(publishing -> publishing == null || publishing.status().isFinal() ? Uni.createFrom().voidItem()
                        : waiting(work.lease(), publishing, wait))));
    }

    private Uni<Void> finish(Lease lease, Publishing publishing, Step.Finished finished) {
        publishing.status = finished.status().id();
        publishing.platformId = finished.platformId() != null ? finished.platformId() : publishing.platformId;
        publishing.url = finished.url();
        publishing.publishedAt = finished.publishedAt();
        publishing.errorCode = finished.errorCode();
        publishing.errorMessage = finished.errorMessage();
        publishing.firstCommentId = finished.firstCommentId() != null ? finished.firstCommentId() : publishing.firstCommentId;
        publishing.updatedAt = Instant.now();
        LOG.infof("publishing %s on %s: %s%s", publishing.id, publishing.platform, publishing.status,
                finished.errorCode() == null ? "" : " (" + finished.errorCode() + ": " + finished.errorMessage() + ")");
        return events.announce(publishing)
                .chain(() -> PublishJob.<PublishJob>findById(publishing.id))
                .chain(job -> {
                    if (job == null) {
                        return Uni.createFrom().voidItem();
                    }
                    if (awaitsRelease(publishing)) {
                        return runner.waitUntil(lease, publishing.publishAt);
                    }
                    return job.delete();
                });
    }

    /**
     * A run that could not finish (a 5xx, a dropped connection, storage-service away): the job comes back after a backoff
     * that grows with its tries (at least the platform's Retry-After), the saved handle letting the next run go on from
     * where this one stopped. After publish.worker.max-retries tries in a row the publishing fails with the last error.
     */
    private Uni<Void> putBack(Lease lease, Throwable failure) {
        UUID publishingId = lease.jobId();
        return Panache.withTransaction(() -> hold(lease).chain(job -> {
            return Publishing.<Publishing>findById(publishingId).chain(publishing -> {
                if (publishing == null || publishing.status().isFinal()) {
                    return Uni.createFrom().voidItem();
                }
                if (job.attempts > config.worker().maxRetries()) {
                    String code = failure instanceof PlatformException platform ? platform.code() : "retries_exhausted";
                    return finish(lease, publishing, Step.Finished.failed(code, "gave up after " + job.attempts + " tries: "
                            + failure.getMessage()));
                }
                Duration retryAfter = failure instanceof PlatformException platform ? platform.retryAfter() : null;
                Duration delay = runner.backoff(job.attempts, retryAfter);
                LOG.warnf("publishing %s: try %d failed, next in %d ms: %s", publishingId, job.attempts, delay.toMillis(),
                        failure.getMessage());
                publishing.errorMessage = String.valueOf(failure.getMessage());
                return runner.retryAt(lease, Instant.now().plus(delay));
            });
        })).onFailure(LeaseLost.class).invoke(e -> LOG.infof("%s; not put back", e.getMessage()))
                .onFailure(LeaseLost.class).recoverWithNull()
                .onFailure().invoke(e -> LOG.errorf(e, "publishing %s: cannot put the job back", publishingId))
                .onFailure().recoverWithNull().replaceWithVoid();
    }
}
