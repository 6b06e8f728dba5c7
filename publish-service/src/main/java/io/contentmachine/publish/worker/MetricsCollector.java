package io.contentmachine.publish.worker;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;

import io.contentmachine.events.VideoMetrics;
import io.contentmachine.kit.outbox.Outbox;
import io.contentmachine.publish.accounts.CredentialResolver;
import io.contentmachine.publish.config.PublishConfig;
import io.contentmachine.publish.domain.Platform;
import io.contentmachine.publish.domain.Publishing;
import io.contentmachine.publish.platform.PlatformException;
import io.contentmachine.publish.platform.InstagramPublisher;
import io.contentmachine.publish.platform.PlatformHttp;
import io.contentmachine.publish.platform.PublishTask.Credentials;
import io.contentmachine.publish.platform.TikTokPublisher;
import io.contentmachine.publish.platform.YouTubePublisher;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;

/**
 * Pulls views, likes and comments of published videos into the publishing and announces them as video.metrics:
 * YouTube videos.list statistics, TikTok video/query (view_count, like_count, comment_count), Instagram media insights.
 */
@ApplicationScoped
public class MetricsCollector {

    private static final Logger LOG = Logger.getLogger(MetricsCollector.class);
    private static final int BATCH = 20;
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

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
        return Panache.withSession(() -> Publishing.<Publishing>find("status = 'published' and platformId is not null"
                + " and (metricsCollectedAt is null or metricsCollectedAt < ?1) order by metricsCollectedAt nulls first",
                staleBefore).page(0, BATCH).list())
                .chain(due -> Multi.createFrom().iterable(due).onItem().transformToUniAndConcatenate(this::collectOne).collect().last())
                .replaceWithVoid()
                .onFailure().invoke(e -> LOG.warnf("metrics pull failed: %s", e.getMessage()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /** Views, likes and comments as the platform counts them. */
    record Figures(long views, long likes, long comments) {
    }

    private Uni<Void> collectOne(Publishing due) {
        UUID id = due.id;
        Platform platform = due.platform();
        String platformId = due.platformId;
        return Panache.withSession(() -> credentials.resolve(due.ownerId, platform)).chain(found -> {
            if (found.isEmpty()) {
                return save(id, null);
            }
            Credentials stored = found.get();
            // an expired token is refreshed before the call (never sent); a refused one once, then the pull is tried again
            boolean refreshFirst = stored.expiresWithin(config.tokenRefreshMargin(), platform == Platform.INSTAGRAM);
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

    /** An error answer, read as the platform's publisher reads it: a refused token fails the pull, anything else gives no figures. */
    private static Figures refusedToken(PlatformException error) {
        if (error.isUnauthorized()) {
            throw error;
        }
        return null;
    }

    private static boolean unauthorized(Throwable failure) {
        return failure instanceof PlatformException platform && platform.isUnauthorized();
    }

    /**
     * Blocking: the platform's figures for one published video, or null when it has none for it (yet); a refused token
     * fails with an unauthorized {@link PlatformException}.
     */
    Figures pull(Platform platform, String platformId, String token) {
        return switch (platform) {
            case YOUTUBE -> youtube(platformId, token);
            case TIKTOK -> tiktok(platformId, token);
            case INSTAGRAM -> instagram(platformId, token);
        };
    }

    /** videos.list part=statistics (counts are strings). */
    private Figures youtube(String videoId, String token) {
        String url = config.youtube().apiUrl() + "/youtube/v3/videos?part=status,statistics&id=" + encode(videoId);
        HttpResponse<String> response = http.send(PlatformHttp.request(url, TIMEOUT)
                .header("Authorization", "Bearer " + token).GET().build());
        JsonNode body = http.body(response);
        if (response.statusCode() != 200) {
            return refusedToken(YouTubePublisher.error(response, body));
        }
        JsonNode stats = body.path("items").path(0).path("statistics");
        if (stats.isMissingNode()) {
            return null;
        }
        return new Figures(stats.path("viewCount").asLong(0), stats.path("likeCount").asLong(0), stats.path("commentCount").asLong(0));
    }

    /** Display API video/query (scope video.list) by the public post id; a post kept private has none. */
    private Figures tiktok(String postId, String token) {
        if (!postId.chars().allMatch(Character::isDigit)) {
            return null;
        }
        String url = config.tiktok().apiUrl() + "/v2/video/query/?fields=id,view_count,like_count,comment_count";
        HttpResponse<String> response = http.send(PlatformHttp.request(url, TIMEOUT).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json; charset=UTF-8")
                .POST(http.json(Map.of("filters", Map.of("video_ids", List.of(postId))))).build());
        JsonNode body = http.body(response);
        if (response.statusCode() != 200 || !"ok".equals(body.path("error").path("code").asText("ok"))) {
            return refusedToken(TikTokPublisher.error(response, body));
        }
        for (JsonNode video : body.path("data").path("videos")) {
            if (postId.equals(video.path("id").asText())) {
                return new Figures(video.path("view_count").asLong(0), video.path("like_count").asLong(0),
                        video.path("comment_count").asLong(0));
            }
        }
        return null;
    }

    /** Media insights of the Reel: metric=views,likes,comments, each {name, values:[{value}]}. */
    private Figures instagram(String mediaId, String token) {
        String url = config.instagram().apiUrl() + "/" + config.instagram().apiVersion() + "/" + encode(mediaId)
                + "/insights?metric=views,likes,comments";
        HttpResponse<String> response = http.send(PlatformHttp.request(url, TIMEOUT)
                .header("Authorization", "Bearer " + token).GET().build());
        JsonNode body = http.body(response);
        if (response.statusCode() != 200) {
            return refusedToken(InstagramPublisher.error(response, body));
        }
        Map<String, Long> values = new HashMap<>();
        body.path("data").forEach(metric -> values.put(metric.path("name").asText(),
                metric.path("values").path(0).path("value").asLong(0)));
        return new Figures(values.getOrDefault("views", 0L), values.getOrDefault("likes", 0L), values.getOrDefault("comments", 0L));
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

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
