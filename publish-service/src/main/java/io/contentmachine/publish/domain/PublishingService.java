package io.contentmachine.publish.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.contentmachine.events.VideoStored;
import io.contentmachine.events.types.InstagramPostOptions;
import io.contentmachine.events.types.PublishRequest;
import io.contentmachine.events.types.TikTokPostOptions;
import io.contentmachine.events.types.VideoMetadata;
import io.contentmachine.events.types.YouTubePostOptions;
import io.contentmachine.publish.platform.Platforms;
import io.contentmachine.publish.platform.PostOptions;
import io.contentmachine.publish.worker.PublishWorker;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/** Records stored videos and creates publishings (one per video and platform, each with its job). Call inside a transaction. */
@ApplicationScoped
public class PublishingService {

    private final ObjectMapper mapper;
    private final Platforms platforms;
    private final PublishWorker worker;

    PublishingService(ObjectMapper mapper, Platforms platforms, PublishWorker worker) {
        this.mapper = mapper;
        this.platforms = platforms;
        this.worker = worker;
    }

    /** Effect of video.stored: keep the video (once) and, if platforms were asked for, a pending publishing per platform. */
    public Uni<Void> recordStored(VideoStored event) {
        return Video.<Video>findById(event.getVideoId()).chain(existing -> {
            Uni<Video> saved = existing != null ? Uni.createFrom().item(existing) : newVideo(event).persist();
            return saved;
        }).chain(video -> {
            PublishRequest request = event.getPublish();
            if (request == null || request.getPlatforms() == null || request.getPlatforms().isEmpty()) {
                return Uni.createFrom().voidItem();
            }
            Set<Platform> platforms = request.getPlatforms().stream()
                    .map(p -> Platform.of(p.value()).orElseThrow())
                    .collect(Collectors.toCollection(LinkedHashSet::new));
            return request(video, platforms, request.getPublishAt(), null, PostOptions.NONE, false).replaceWithVoid();
        });
    }

    /**
     * One publishing per platform: an existing one is returned as it is, unless {@code republish} asks for a new one.
     * New publishings start pending with a job due now (a platform that schedules natively: YouTube) or at publishAt (the others).
     */
    public Uni<List<Publishing>> request(Video video, Set<Platform> platforms, Instant publishAt, VideoMetadata metadata,
            PostOptions options, boolean republish) {
        return Publishing.<Publishing>find("videoId", video.videoId).list().chain(all -> {
            Map<String, Publishing> latest = all.stream().collect(Collectors.toMap(p -> p.platform, Function.identity(),
                    (a, b) -> a.generation >= b.generation ? a : b));
            List<Uni<Publishing>> results = new ArrayList<>();
            for (Platform platform : platforms) {
                Publishing current = latest.get(platform.id());
                if (current != null && !republish) {
                    results.add(Uni.createFrom().item(current));
                } else {
                    int generation = current == null ? 0 : current.generation + 1;
                    results.add(create(video, platform, generation, publishAt, metadata, options));
                }
            }
            // one after the other: a reactive session runs one statement at a time
            return Multi.createFrom().iterable(results).onItem().transformToUniAndConcatenate(uni -> uni).collect().asList();
        }).map(list -> list.stream().sorted(Comparator.comparing((Publishing p) -> p.platform)).toList());
    }

    private Uni<Publishing> create(Video video, Platform platform, int generation, Instant publishAt, VideoMetadata metadata,
            PostOptions options) {
        Instant now = Instant.now();
        Publishing publishing = new Publishing();
        publishing.id = UUID.randomUUID();
        publishing.videoId = video.videoId;
        publishing.projectId = video.projectId;
        publishing.ownerId = video.ownerId;
        publishing.platform = platform.id();
        publishing.generation = generation;
        publishing.status = PublishingStatus.PENDING.id();
        publishing.metadata = json(metadata);
        publishing.tiktokOptions = platform == Platform.TIKTOK ? json(options.tiktok()) : null;
        publishing.youtubeOptions = platform == Platform.YOUTUBE ? json(options.youtube()) : null;
        publishing.instagramOptions = platform == Platform.INSTAGRAM ? json(options.instagram()) : null;
        publishing.publishAt = publishAt;
        publishing.createdAt = now;
        publishing.updatedAt = now;
        Instant runAt = !platforms.of(platform).schedulesNatively() && publishAt != null && publishAt.isAfter(now) ? publishAt : now;
        return publishing.<Publishing>persist()
                .chain(saved -> PublishJob.due(saved.id, runAt).persist().replaceWith(saved))
                .call(() -> runAt.isAfter(now) ? Uni.createFrom().voidItem() : worker.wakeAfterCommit());
    }

    /**
     * Effect of video.deleted: pending publishings are cancelled (with their jobs) and the videos forgotten. With
     * {@code fromPlatforms}, every publishing the platform may have (it has a platform id, or is processing, scheduled or published)
     * stops its work and is marked for
     * deletion there; nothing on the platforms is touched otherwise.
     */
    public Uni<Void> forget(UUID projectId, boolean fromPlatforms) {
        Uni<Void> marked = !fromPlatforms ? Uni.createFrom().voidItem()
                : Publishing.<Publishing>list("projectId = ?1 and platformDeletion is null and (platformId is not null"
                        + " or status in ('processing', 'scheduled', 'published'))", projectId)
                        .chain(known -> {
                            Instant now = Instant.now();
                            known.forEach(publishing -> {
                                publishing.platformDeletion = "pending";
                                publishing.deletionDueAt = now;
                                publishing.updatedAt = now;
                            });
                            List<UUID> ids = known.stream().map(publishing -> publishing.id).toList();
                            return ids.isEmpty() ? Uni.createFrom().voidItem()
                                    : PublishJob.delete("publishingId in ?1", ids).replaceWithVoid();
                        });
        return marked.chain(() -> Publishing.delete("projectId = ?1 and status = ?2", projectId, PublishingStatus.PENDING.id()))
                .chain(() -> Video.delete("projectId", projectId))
                .replaceWithVoid();
    }

    /** The metadata to publish with: the publishing's override, then the request's, then the video's own, field by field. */
    public VideoMetadata effectiveMetadata(Video video, Publishing publishing) {
        VideoMetadata result = read(video.metadata, VideoMetadata.class);
        if (result == null) {
            result = new VideoMetadata();
        }
        PublishRequest request = read(video.publishRequest, PublishRequest.class);
        if (request != null) {
            merge(result, request.getMetadata());
        }
        merge(result, read(publishing.metadata, VideoMetadata.class));
        return result;
    }

    /** The per-platform choices: the publish request's, else the ones the video's create request carried; each may be null. */
    public PostOptions effectiveOptions(Video video, Publishing publishing) {
        PublishRequest request = read(video.publishRequest, PublishRequest.class);
        TikTokPostOptions tiktok = read(publishing.tiktokOptions, TikTokPostOptions.class);
        YouTubePostOptions youtube = read(publishing.youtubeOptions, YouTubePostOptions.class);
        InstagramPostOptions instagram = read(publishing.instagramOptions, InstagramPostOptions.class);
        if (request != null) {
            tiktok = tiktok != null ? tiktok : request.getTiktok();
            youtube = youtube != null ? youtube : request.getYoutube();
            instagram = instagram != null ? instagram : request.getInstagram();
        }
        return new PostOptions(tiktok, youtube, instagram);
    }

    private static void merge(VideoMetadata into, VideoMetadata override) {
        if (override == null) {
            return;
        }
        if (override.getTitle() != null && !override.getTitle().isBlank()) {
            into.setTitle(override.getTitle());
        }
        if (override.getDescription() != null && !override.getDescription().isBlank()) {
            into.setDescription(override.getDescription());
        }
        if (override.getTags() != null && !override.getTags().isEmpty()) {
            into.setTags(override.getTags());
        }
        if (override.getHashtags() != null && !override.getHashtags().isEmpty()) {
            into.setHashtags(override.getHashtags());
        }
    }

    private Video newVideo(VideoStored event) {
        Video video = new Video();
        video.videoId = event.getVideoId();
        video.projectId = event.getProjectId();
        video.ownerId = event.getOwnerId();
        video.storageKey = event.getStorageKey();
        video.sha256 = event.getSha256();
        video.sizeBytes = event.getSizeBytes();
        video.durationSeconds = event.getDurationSeconds();
        video.resolution = event.getResolution();
        video.metadata = json(event.getMetadata());
        video.publishRequest = json(event.getPublish());
        video.storedAt = event.getOccurredAt() != null ? event.getOccurredAt() : Instant.now();
        return video;
    }

    private String json(Object value) {
        if (value == null) {
            return null;
        }
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize " + value.getClass().getSimpleName(), e);
        }
    }

    private <T> T read(String json, Class<T> type) {
        if (json == null) {
            return null;
        }
        try {
            return mapper.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored " + type.getSimpleName() + " is not readable", e);
        }
    }
}
