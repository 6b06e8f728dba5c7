package io.contentmachine.publish.worker;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.contentmachine.events.VideoMetrics;
import io.contentmachine.kit.outbox.Outbox;
import io.contentmachine.kit.tracing.Traces;
import io.contentmachine.publish.accounts.CredentialResolver;
import io.contentmachine.publish.config.PublishConfig;
import io.contentmachine.publish.domain.Platform;
import io.contentmachine.publish.domain.Publishing;
import io.contentmachine.publish.platform.PlatformApi;
import io.contentmachine.publish.platform.PlatformApi.Figures;
import io.contentmachine.publish.platform.PlatformException;
import io.contentmachine.publish.platform.Platforms;
import io.contentmachine.publish.platform.PublishTask.Credentials;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import org.jboss.logging.Logger;

/**
 * Pulls views, likes and comments of published videos ({@link PlatformApi#metrics}) into the publishing and announces
 * them as video.metrics.
 */
@ApplicationScoped
public class MetricsCollector {

    private static final Logger LOG = Logger.getLogger(MetricsCollector.class);
    private static final int BATCH = 20;

    private final PublishConfig config;
    private final Platforms platforms;
    private final CredentialResolver credentials;
    private final Outbox outbox;
    private final Vertx vertx;
    private final Duration every;
    private final Tracer tracer;

    MetricsCollector(PublishConfig config, Platforms platforms, CredentialResolver credentials, Outbox outbox, Vertx vertx,
            Tracer tracer) {
        this.config = config;
        this.tracer = tracer;
        this.platforms = platforms;
        this.credentials = credentials;
        this.outbox = outbox;
        this.vertx = vertx;
        this.every = config.metrics().interval();
    }

    @Scheduled(every = "${publish.metrics.poll-interval:60s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> collect() {
        Instant staleBefore = Instant.now().minus(every);
        return Panache.withSession(() -> Publishing.<Publishing>find("status = 'published' and platformId is not null"
                + " and (metricsCollectedAt is null or metricsCollectedAt < ?1) order by metricsCollectedAt nulls first",
                staleBefore).page(0, BATCH).list())
                .chain(due -> Multi.createFrom().iterable(due).onItem().transformToUniAndConcatenate(this::collectOne).collect().last())
                .replaceWithVoid()
                .onFailure().invoke(e -> LOG.warnf("metrics pull failed: %s", e.getMessage()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /**
     * One publishing's pull, in a trace of its own (it happens long after the video's pipeline) with a link to the span that
     * created the publishing.
     */
    private Uni<Void> collectOne(Publishing due) {
        SpanContext created = Traces.spanContext(due.traceparent);
        SpanBuilder builder = tracer.spanBuilder("metrics pull").setNoParent()
                .setAttribute("contentmachine.platform", due.platform)
                .setAttribute(Traces.PROJECT, due.projectId.toString());
        if (created.isValid()) {
            builder.addLink(created);
        }
        Span span = builder.startSpan();
        return Uni.createFrom().deferred(() -> {
            Scope scope = Traces.withProject(Context.root().with(span), due.projectId.toString()).makeCurrent();
            return pullInto(due).eventually(() -> {
                scope.close();
                span.end();
            });
        });
    }

    private Uni<Void> pullInto(Publishing due) {
        UUID id = due.id;
        Platform platform = due.platform();
        String platformId = due.platformId;
        return Panache.withSession(() -> credentials.resolve(due.ownerId, platform)).chain(found -> {
            if (found.isEmpty()) {
                return save(id, null);
            }
            Credentials stored = found.get();
            // an expired token is refreshed before the call (never sent); a refused one once, then the pull is tried again
            boolean refreshFirst = stored.expiresWithin(config.tokenRefreshMargin(), platforms.of(platform).refreshesWithAccessToken());
            Uni<Credentials> usable = refreshFirst ? refresh(id, due.ownerId, platform, stored) : Uni.createFrom().item(stored);
            return usable.chain(current -> pull(platform, platformId, current).onFailure(MetricsCollector::unauthorized)
                    .recoverWithUni(failure -> refreshFirst ? Uni.createFrom().failure(failure)
                            : refresh(id, due.ownerId, platform, current).chain(fresh -> pull(platform, platformId, fresh))))
                    .chain(figures -> save(id, figures));
        }).onFailure().invoke(e -> LOG.debugf("metrics of %s not pulled: %s", id, e.getMessage()))
                // no account or a failed pull: also looked at again only after the interval, never ahead of the others
                .onFailure().recoverWithUni(() -> save(id, null).onFailure().recoverWithNull());
    }

    /** The rotated tokens are saved as for publishing; invalid_grant disconnects the account (the failure skips this one). */
    private Uni<Credentials> refresh(UUID id, String ownerId, Platform platform, Credentials used) {
        LOG.infof("metrics of %s: refreshing the %s access token (expires at %s)", id, platform.id(), used.expiresAt());
        return credentials.refresh(ownerId, platform, used);
    }

    private Uni<Figures> pull(Platform platform, String platformId, Credentials used) {
        return vertx.executeBlocking(Uni.createFrom().item(() -> pull(platform, platformId, used.accessToken())), false);
    }

    private static boolean unauthorized(Throwable failure) {
        return failure instanceof PlatformException platform && platform.isUnauthorized();
    }

    /**
     * Blocking: the platform's figures for one published video, or null when it has none for it (yet); a refused token
     * fails with an unauthorized {@link PlatformException}, any other error answer gives no figures.
     */
    Figures pull(Platform platform, String platformId, String token) {
        try {
            return platforms.of(platform).metrics(platformId, token);
        } catch (PlatformException error) {
            if (error.isUnauthorized()) {
                throw error;
            }
            return null;
        }
    }

    private Uni<Void> save(UUID id, Figures figures) {
        if (figures == null) {
            // none for it (yet): look again after the interval, so such publishings do not crowd out the others
            return Panache.withTransaction(() -> Publishing.<Publishing>findById(id).invoke(p -> p.metricsCollectedAt = Instant.now()))
                    .replaceWithVoid();
        }
        return Panache.withTransaction(() -> Publishing.<Publishing>findById(id).chain(p -> {
            p.views = figures.views();
            p.likes = figures.likes();
            p.comments = figures.comments();
            p.metricsCollectedAt = Instant.now();
            VideoMetrics event = new VideoMetrics();
            event.setEventId(UUID.randomUUID());
            event.setProjectId(p.projectId);
            event.setOwnerId(p.ownerId);
            event.setOccurredAt(p.metricsCollectedAt);
            event.setPublishingId(p.id);
            event.setPlatform(VideoMetrics.Platform.fromValue(p.platform));
            event.setViews(p.views);
            event.setLikes(p.likes);
            event.setComments(p.comments);
            event.setCollectedAt(p.metricsCollectedAt);
            return outbox.add("video.metrics", event.getEventId(), p.projectId, event);
        }));
    }
}
