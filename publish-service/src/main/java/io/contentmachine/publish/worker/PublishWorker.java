package io.contentmachine.publish.worker;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.ws.rs.WebApplicationException;

import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

import io.contentmachine.events.types.TikTokPostOptions;
import io.contentmachine.events.types.VideoMetadata;
import io.contentmachine.kit.auth.InternalConfig;
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
import io.contentmachine.publish.platform.PresignedSource;
import io.contentmachine.publish.platform.PublishTask;
import io.contentmachine.publish.platform.Publisher;
import io.contentmachine.publish.platform.Step;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.WorkerExecutor;

/**
 * Claims due publish jobs (FOR UPDATE SKIP LOCKED, then leased) and drives each publishing through its platform's
 * {@link Publisher} on a bounded worker pool. Every step the publisher returns is saved (with a video.published event
 * when the status changes) before the next external call; a job whose replica died comes back when its lease ends,
 * and the saved upload handle lets the publisher resume or reconcile instead of uploading again.
 * <p>
 * Nothing here sleeps: a transient failure puts the job back with a growing backoff, and a rate limit or quota (the
 * account's pause, TikTok's init pace, see {@link PlatformLimits}) moves the job's run time and shows the publishing
 * {@code waiting}, with why and until when; it goes on from where it was afterwards.
 */
@ApplicationScoped
public class PublishWorker {

    private static final Logger LOG = Logger.getLogger(PublishWorker.class);
    private static final String CLAIM = "select * from publish_jobs where run_at <= now() and (locked_until is null or locked_until < now())"
            + " order by run_at limit ?1 for update skip locked";
    /** Steps of one run before the job is put back (guards against a platform that keeps expiring sessions). */
    private static final int MAX_STEPS = 12;
    /** Runs of one job (after crashes or transient failures) before its publishing fails. */
    private static final int MAX_ATTEMPTS = 20;

    private final PublishConfig config;
    private final Map<Platform, Publisher> publishers;
    private final PublishingService publishings;
    private final PublishedEvents events;
    private final CredentialResolver credentials;
    private final PlatformLimits limits;
    private final StorageClient storage;
    private final String internalToken;
    private final PlatformHttp http;
    private final Vertx vertx;
    private final WorkerExecutor executor;
    private final AtomicInteger inFlight = new AtomicInteger();

    PublishWorker(PublishConfig config, Instance<Publisher> publishers, PublishingService publishings, PublishedEvents events,
            CredentialResolver credentials, PlatformLimits limits, @RestClient StorageClient storage, InternalConfig internal,
            PlatformHttp http, Vertx vertx) {
        this.config = config;
        this.publishers = publishers.stream().collect(Collectors.toMap(Publisher::platform, Function.identity()));
        this.publishings = publishings;
        this.events = events;
        this.credentials = credentials;
        this.limits = limits;
        this.storage = storage;
        this.internalToken = internal.token();
        this.http = http;
        this.vertx = vertx;
        this.executor = vertx.createSharedWorkerExecutor("publish-worker", config.worker().concurrency(), 6, TimeUnit.HOURS);
    }

    @PreDestroy
    void close() {
        executor.closeAndForget();
    }

    @Scheduled(every = "${publish.worker.poll-interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> tick() {
        int free = config.worker().concurrency() - inFlight.get();
        if (free <= 0) {
            return Uni.createFrom().voidItem();
        }
        return claim(free).invoke(ids -> ids.forEach(this::dispatch)).replaceWithVoid();
    }

    /** Takes up to {@code limit} due jobs and leases them to this replica. */
    Uni<List<UUID>> claim(int limit) {
        Instant leaseEnd = Instant.now().plus(config.worker().lease());
        return Panache.withTransaction(() -> Panache.getSession()
                .chain(session -> session.createNativeQuery(CLAIM, PublishJob.class).setParameter(1, limit).getResultList())
                .map(jobs -> {
                    jobs.forEach(job -> {
                        job.lockedUntil = leaseEnd;
                        job.attempts++;
                    });
                    return jobs.stream().map(job -> job.publishingId).toList();
                }));
    }

    /** Each publishing runs on its own duplicated context (its own reactive session), independent of the others. */
    private void dispatch(UUID publishingId) {
        inFlight.incrementAndGet();
        Context context = VertxContext.createNewDuplicatedContext(vertx.getDelegate().getOrCreateContext());
        VertxContextSafetyToggle.setContextSafe(context, true);
        context.runOnContext(ignored -> process(publishingId)
                .onTermination().invoke(inFlight::decrementAndGet)
                .subscribe().with(done -> { }, failure -> LOG.errorf(failure, "publishing %s: worker failed", publishingId)));
    }

    Uni<Void> process(UUID publishingId) {
        return Panache.withTransaction(() -> prepare(publishingId))
                .chain(work -> work == null ? Uni.createFrom().voidItem() : source(work).chain(task -> start(work, task)))
                .onFailure().recoverWithUni(failure -> failure instanceof PlatformException platform && !platform.isTransient()
                        && !platform.isWait()
                        ? failNow(publishingId, platform)
                        : putBack(publishingId, failure));
    }

    /** A failure no retry can cure (e.g. the video is gone from storage): the publishing fails with the reason. */
    private Uni<Void> failNow(UUID publishingId, PlatformException failure) {
        return Panache.withTransaction(() -> Publishing.<Publishing>findById(publishingId).chain(publishing ->
                publishing == null || publishing.status().isFinal() ? Uni.createFrom().voidItem()
                        : finish(publishing, Step.Finished.failed(failure.code(), failure.getMessage()))));
    }

    /** What one run needs, read in one transaction; null when there is nothing to do. */
    private record Work(UUID publishingId, UUID projectId, String ownerId, Platform platform, VideoMetadata metadata, long sizeBytes,
            double durationSeconds, Instant publishAt, PublishTask.Credentials credentials, PublishingStatus status, String uploadRef,
            String uploadUrl, TikTokPostOptions tiktok) {
    }

    private Uni<Work> prepare(UUID publishingId) {
        return Publishing.<Publishing>findById(publishingId).chain(publishing -> {
            if (publishing == null) {
                return PublishJob.deleteById(publishingId).replaceWith((Work) null);
            }
            if (publishing.status().isFinal()) {
                return PublishJob.deleteById(publishingId).replaceWith((Work) null);
            }
            return PublishJob.<PublishJob>findById(publishingId).chain(job -> {
                if (job != null && job.attempts > MAX_ATTEMPTS) {
                    return finish(publishing, Step.Finished.failed("too_many_attempts",
                            "gave up after " + MAX_ATTEMPTS + " attempts; last error: " + publishing.errorMessage)).replaceWith((Work) null);
                }
                return Video.<Video>findById(publishing.videoId).chain(video -> {
                    if (video == null) {
                        return finish(publishing, Step.Finished.failed("video_unknown", "the video is no longer known (deleted)"))
                                .replaceWith((Work) null);
                    }
                    return credentials.resolve(publishing.ownerId, publishing.platform()).chain(found -> {
                        if (found.isEmpty()) {
                            return finish(publishing, Step.Finished.failed("no_account",
                                    CredentialResolver.notConnected(publishing.platform()))).replaceWith((Work) null);
                        }
                        boolean initNext = publishing.uploadRef == null;
                        return limits.held(publishing.ownerId, publishing.platform(), initNext).chain(held -> {
                            if (held.isPresent()) {
                                return waiting(publishing, job, held.get()).replaceWith((Work) null);
                            }
                            PublishingStatus status = resumed(publishing);
                            if (status == PublishingStatus.PENDING) {
                                status = PublishingStatus.UPLOADING;
                            }
                            VideoMetadata metadata = publishings.effectiveMetadata(video, publishing);
                            return change(publishing, status).replaceWith(new Work(publishing.id, publishing.projectId, publishing.ownerId,
                                    publishing.platform(), metadata, video.sizeBytes, video.durationSeconds, publishing.publishAt,
                                    found.get(), status, publishing.uploadRef, publishing.uploadUrl,
                                    publishings.effectiveTikTok(video, publishing)));
                        });
                    });
                });
            });
        });
    }

    /** A fresh presigned GET of the video from storage-service, valid long enough for a slow upload or a platform's pull. */
    private Uni<PublishTask> source(Work work) {
        long seconds = config.sourceUrlValidity().toSeconds();
        return storage.videoUrl(work.projectId(), "video", seconds, internalToken)
                .ifNoItem().after(Duration.ofSeconds(30)).fail()
                .onFailure().transform(e -> e instanceof WebApplicationException web && web.getResponse().getStatus() == 404
                        ? PlatformException.permanent("video_unavailable", "storage-service has no stored video for project "
                                + work.projectId())
                        : PlatformException.transientFailure("storage_unavailable",
                                "cannot get the video's URL from storage-service: " + e.getMessage(), null, e))
                .map(url -> new PublishTask(work.publishingId(), work.metadata(), work.sizeBytes(), work.durationSeconds(),
                        work.publishAt(), new PresignedSource(http, url.url()), work.credentials(), work.status(), work.uploadRef(),
                        work.uploadUrl(), work.tiktok()));
    }

    /** A token about to expire is refreshed first (that counts as the run's one refresh), saving a 401 round trip. */
    private Uni<Void> start(Work work, PublishTask task) {
        if (task.credentials().expiresWithin(config.tokenRefreshMargin(), work.platform() == Platform.INSTAGRAM)) {
            LOG.infof("publishing %s: %s access token expires at %s, refreshing it first", work.publishingId(), work.platform().id(),
                    task.credentials().expiresAt());
            return refresh(work, task, 0);
        }
        return run(work, task, 0, false);
    }

    private Uni<Void> run(Work work, PublishTask task, int steps, boolean refreshed) {
        if (steps >= MAX_STEPS) {
            return putBack(work.publishingId(), new IllegalStateException("too many steps in one run"));
        }
        Publisher publisher = publishers.get(work.platform());
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
                            return putBack(work.publishingId(), platform);
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
        return Panache.withTransaction(() -> save(work.publishingId(), step)).chain(next -> {
            if (next == null) {
                return Uni.createFrom().voidItem();
            }
            PublishTask following = new PublishTask(task.publishingId(), task.metadata(), task.sizeBytes(), task.durationSeconds(),
                    task.publishAt(), task.source(), task.credentials(), next.status(), next.uploadRef, next.uploadUrl, task.tiktok());
            return run(work, following, steps + 1, refreshed);
        });
    }

    /** The platform refused the token: refresh it once and try again; invalid_grant disconnects the account and fails. */
    private Uni<Void> refresh(Work work, PublishTask task, int steps) {
        return credentials.refresh(work.ownerId(), work.platform(), task.credentials())
                .onItemOrFailure().transformToUni((fresh, failure) -> {
                    if (failure instanceof PlatformException platform && !platform.isTransient()) {
                        return Panache.withTransaction(() -> save(work.publishingId(),
                                Step.Finished.failed(platform.code(), platform.getMessage()))).replaceWithVoid();
                    }
                    if (failure != null) {
                        return putBack(work.publishingId(), failure);
                    }
                    LOG.infof("publishing %s: %s access token refreshed", work.publishingId(), work.platform().id());
                    return run(work, task.withCredentials(fresh), steps + 1, true);
                });
    }

    /** Saves a step; returns the publishing when the publisher should be called again at once. */
    private Uni<Publishing> save(UUID publishingId, Step step) {
        return Publishing.<Publishing>findById(publishingId).chain(publishing -> {
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
                        .chain(() -> PublishJob.<PublishJob>findById(publishingId))
                        .invoke(job -> {
                            if (job != null) {
                                job.runAt = Instant.now().plus(later.delay());
                                job.lockedUntil = null;
                                job.attempts = 0;
                            }
                        })
                        .replaceWith((Publishing) null);
            }
            return finish(publishing, (Step.Finished) step).replaceWith((Publishing) null);
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
    private Uni<Void> waiting(Publishing publishing, PublishJob job, PlatformLimits.Wait wait) {
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
        if (job != null) {
            job.runAt = wait.until();
            job.lockedUntil = null;
            job.attempts = 0;
        }
        if (news) {
            LOG.infof("publishing %s on %s waits until %s (%s)", publishing.id, publishing.platform, wait.until(), wait.reason());
        }
        return news ? events.announce(publishing) : Uni.createFrom().voidItem();
    }

    /** The platform asked to come back later: the whole account waits (every replica sees it), and so does this publishing. */
    private Uni<Void> platformWait(Work work, PlatformException refusal) {
        Instant until = refusal.waitUntil() != null ? refusal.waitUntil()
                : Instant.now().plus(refusal.retryAfter() != null ? refusal.retryAfter() : config.worker().rateLimitWait());
        PlatformLimits.Wait wait = new PlatformLimits.Wait(until, refusal.code(), refusal.getMessage());
        return Panache.withTransaction(() -> limits.pause(work.ownerId(), work.platform(), wait)
                .chain(() -> Publishing.<Publishing>findById(work.publishingId()))
                .chain(publishing -> publishing == null || publishing.status().isFinal() ? Uni.createFrom().voidItem()
                        : PublishJob.<PublishJob>findById(work.publishingId()).chain(job -> waiting(publishing, job, wait))));
    }

    private Uni<Void> finish(Publishing publishing, Step.Finished finished) {
        publishing.status = finished.status().id();
        publishing.platformId = finished.platformId() != null ? finished.platformId() : publishing.platformId;
        publishing.url = finished.url();
        publishing.publishedAt = finished.publishedAt();
        publishing.errorCode = finished.errorCode();
        publishing.errorMessage = finished.errorMessage();
        publishing.updatedAt = Instant.now();
        LOG.infof("publishing %s on %s: %s%s", publishing.id, publishing.platform, publishing.status,
                finished.errorCode() == null ? "" : " (" + finished.errorCode() + ": " + finished.errorMessage() + ")");
        return events.announce(publishing).chain(() -> PublishJob.deleteById(publishing.id)).replaceWithVoid();
    }

    /**
     * A run that could not finish (a 5xx, a dropped connection, storage-service away): the job comes back after a backoff
     * that grows with its tries (at least the platform's Retry-After), the saved handle letting the next run go on from
     * where this one stopped. After publish.worker.max-retries tries in a row the publishing fails with the last error.
     */
    private Uni<Void> putBack(UUID publishingId, Throwable failure) {
        return Panache.withTransaction(() -> PublishJob.<PublishJob>findById(publishingId).chain(job -> {
            if (job == null) {
                return Uni.createFrom().voidItem();
            }
            return Publishing.<Publishing>findById(publishingId).chain(publishing -> {
                if (publishing == null || publishing.status().isFinal()) {
                    return Uni.createFrom().voidItem();
                }
                if (job.attempts > config.worker().maxRetries()) {
                    String code = failure instanceof PlatformException platform ? platform.code() : "retries_exhausted";
                    return finish(publishing, Step.Finished.failed(code, "gave up after " + job.attempts + " tries: "
                            + failure.getMessage()));
                }
                Duration delay = backoff(job.attempts, failure instanceof PlatformException platform ? platform.retryAfter() : null);
                LOG.warnf("publishing %s: try %d failed, next in %d ms: %s", publishingId, job.attempts, delay.toMillis(),
                        failure.getMessage());
                job.runAt = Instant.now().plus(delay);
                job.lockedUntil = null;
                publishing.errorMessage = String.valueOf(failure.getMessage());
                return Uni.createFrom().voidItem();
            });
        })).onFailure().invoke(e -> LOG.errorf(e, "publishing %s: cannot put the job back", publishingId))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /** Exponential from publish.worker.initial-backoff up to max-backoff, with jitter so retries of many jobs spread out. */
    private Duration backoff(int attempts, Duration retryAfter) {
        long initial = Math.max(1, config.worker().initialBackoff().toMillis());
        long delay = Math.min(initial << Math.min(Math.max(attempts - 1, 0), 20), config.worker().maxBackoff().toMillis());
        delay = delay / 2 + ThreadLocalRandom.current().nextLong(delay / 2 + 1);
        if (retryAfter != null) {
            delay = Math.max(delay, retryAfter.toMillis());
        }
        return Duration.ofMillis(delay);
    }
}
