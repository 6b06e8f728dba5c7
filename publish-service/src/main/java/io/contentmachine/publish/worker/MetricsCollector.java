package io.contentmachine.publish.worker;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;

import io.contentmachine.events.VideoMetrics;
import io.contentmachine.publish.accounts.CredentialResolver;
import io.contentmachine.publish.config.PublishConfig;
import io.contentmachine.publish.domain.Platform;
import io.contentmachine.publish.domain.Publishing;
import io.contentmachine.publish.events.Outbox;
import io.contentmachine.publish.platform.PlatformHttp;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;

/**
 * Pulls views, likes and comments of published YouTube videos (videos.list part=statistics) into the publishing and
 * announces them as video.metrics. TikTok and Instagram insights are not pulled yet.
 */
@ApplicationScoped
public class MetricsCollector {

    private static final Logger LOG = Logger.getLogger(MetricsCollector.class);
    private static final int BATCH = 20;

    private final PublishConfig config;
    private final PlatformHttp http;
    private final CredentialResolver credentials;
    private final Outbox outbox;
    private final Vertx vertx;
    private final Duration every;

    MetricsCollector(PublishConfig config, PlatformHttp http, CredentialResolver credentials, Outbox outbox, Vertx vertx) {
        this.config = config;
        this.http = http;
        this.credentials = credentials;
        this.outbox = outbox;
        this.vertx = vertx;
        this.every = config.metrics().interval();
    }

    @Scheduled(every = "${publish.metrics.poll-interval:60s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> collect() {
        Instant staleBefore = Instant.now().minus(every);
        return Panache.withSession(() -> Publishing.<Publishing>find("platform = ?1 and status = 'published' and platformId is not null"
                + " and (metricsCollectedAt is null or metricsCollectedAt < ?2) order by metricsCollectedAt nulls first",
                Platform.YOUTUBE.id(), staleBefore).page(0, BATCH).list())
                .chain(due -> Multi.createFrom().iterable(due).onItem().transformToUniAndConcatenate(this::collectOne).collect().last())
                .replaceWithVoid()
                .onFailure().invoke(e -> LOG.warnf("metrics pull failed: %s", e.getMessage()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    private Uni<Void> collectOne(Publishing due) {
        UUID id = due.id;
        return Panache.withSession(() -> credentials.resolve(due.ownerId, Platform.YOUTUBE)).chain(found -> {
            if (found.isEmpty()) {
                return Uni.createFrom().voidItem();
            }
            String url = config.youtube().apiUrl() + "/youtube/v3/videos?part=status,statistics&id="
                    + URLEncoder.encode(due.platformId, StandardCharsets.UTF_8);
            return vertx.executeBlocking(Uni.createFrom().item(() -> http.send(PlatformHttp.request(url, Duration.ofSeconds(30))
                    .header("Authorization", "Bearer " + found.get().accessToken()).GET().build())), false)
                    .chain(response -> save(id, response));
        }).onFailure().invoke(e -> LOG.debugf("metrics of %s not pulled: %s", id, e.getMessage()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    private Uni<Void> save(UUID id, HttpResponse<String> response) {
        if (response.statusCode() != 200) {
            return Uni.createFrom().voidItem();
        }
        JsonNode stats = http.body(response).path("items").path(0).path("statistics");
        if (stats.isMissingNode()) {
            return Uni.createFrom().voidItem();
        }
        return Panache.withTransaction(() -> Publishing.<Publishing>findById(id).chain(p -> {
            p.views = stats.path("viewCount").asLong(0);
            p.likes = stats.path("likeCount").asLong(0);
            p.comments = stats.path("commentCount").asLong(0);
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
