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
import jakarta.persistence.LockModeType;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.contentmachine.events.VideoStored;
import io.contentmachine.events.types.InstagramPostOptions;
import io.contentmachine.events.types.PublishRequest;
import io.contentmachine.events.types.TikTokPostOptions;
import io.contentmachine.events.types.VideoMetadata;
import io.contentmachine.events.types.YouTubePostOptions;
import io.contentmachine.kit.tracing.Traces;
import io.contentmachine.publish.events.PublishedEvents;
import io.contentmachine.publish.platform.Platforms;
import io.contentmachine.publish.platform.PostOptions;
import io.contentmachine.publish.worker.PublishWorker;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import org.jboss.logging.Logger;

/** Records stored videos and creates publishings (one per video and platform, each with its job). Call inside a transaction. */
@ApplicationScoped
public class PublishingService {

    /** The error code of a publishing ended because the gateway gave up on its project. */
    public static final String GIVEN_UP = "project_given_up";
    private static final Logger LOG = Logger.getLogger(PublishingService.class);

    private final ObjectMapper mapper;
    private final Platforms platforms;
    private final PublishWorker worker;
    private final PublishedEvents events;
    private final GivenUpProjects givenUp;

    PublishingService(ObjectMapper mapper, Platforms platforms, PublishWorker worker, PublishedEvents events, GivenUpProjects givenUp) {
        this.mapper = mapper;
        this.platforms = platforms;
        this.worker = worker;
        this.events = events;
        this.givenUp = givenUp;
    }

    /**
     * Effect of video.stored: keep the video (once) and, if platforms were asked for, a pending publishing per platform;
     * nothing for a project the gateway gave up on (the event was emitted just before the sweep, or redelivered).
     */
    public Uni<Void> recordStored(VideoStored event) {
        return givenUp.lock(event.getProjectId()).chain(() -> givenUp.isGivenUp(event.getProjectId())).chain(gone -> {
            if (gone) {
                LOG.infof("project %s was given up by the gateway: video.stored %s publishes nothing", event.getProjectId(),
                        event.getEventId());
                return Uni.createFrom().voidItem();
            }
            return keepAndRequest(event);
        });
    }

    private Uni<Void> keepAndRequest(VideoStored event) {
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
        publishing.traceparent = Traces.traceparent();
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

    /**
     * Effect of video.failed with stage timeout (the gateway gave up on the project and shows it failed): its publishings that
     * have nothing on a platform yet (pending, or waiting without a platform id) fail with {@link #GIVEN_UP} and the reason,
     * announced like every final state, and their jobs go, so nothing is uploaded later; a tombstone keeps a later
     * video.stored from creating new ones. They fail rather than disappear (as a deleted project's do) because the project
     * still shows, and the contract's publishing states have no "cancelled". Publishings already uploading or on the
     * platform go on: stopping them halfway could leave a video on the platform that nobody knows of.
     */
    public Uni<Void> giveUp(UUID projectId, String reason) {
        String message = "the gateway gave up on the project before it was published" + (reason == null ? "" : " (" + reason + ")");
        return givenUp.lock(projectId).chain(() -> givenUp.record(projectId, reason))
                // every transaction of a publish run begins by locking its job: once the jobs are locked here, no run is
                // half-way through a write, and a run that holds a lease finds its job gone at its next write and stops
                .chain(() -> PublishJob.<PublishJob>find("publishingId in (select p.id from Publishing p where p.projectId = ?1)",
                        projectId).withLock(LockModeType.PESSIMISTIC_WRITE).list())
                .chain(() -> Publishing.<Publishing>list("projectId = ?1 and platformId is null and status in ?2", projectId,
                        List.of(PublishingStatus.PENDING.id(), PublishingStatus.WAITING.id())))
                .chain(open -> Multi.createFrom().iterable(open).onItem().transformToUniAndConcatenate(p -> end(p, message))
                        .collect().asList().replaceWith(open.size()))
                .invoke(ended -> LOG.infof("project %s given up by the gateway: %d publishing(s) ended", projectId, ended))
                .replaceWithVoid();
    }

    private Uni<Void> end(Publishing publishing, String message) {
        publishing.status = PublishingStatus.FAILED.id();
        publishing.errorCode = GIVEN_UP;
        publishing.errorMessage = message;
        publishing.waitingUntil = null;
        publishing.waitReason = null;
        publishing.waitMessage = null;
        publishing.resumeStatus = null;
        publishing.updatedAt = Instant.now();
        return events.announce(publishing).chain(() -> PublishJob.delete("publishingId", publishing.id)).replaceWithVoid();
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
