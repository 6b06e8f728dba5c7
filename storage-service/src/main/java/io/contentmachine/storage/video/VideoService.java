package io.contentmachine.storage.video;

import java.time.Instant;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.contentmachine.events.VideoFailed;
import io.contentmachine.events.VideoRendered;
import io.contentmachine.events.VideoStored;
import io.contentmachine.events.types.Script;
import io.contentmachine.events.types.VideoMetadata;
import io.contentmachine.kit.inbox.ProcessedEvents;
import io.contentmachine.kit.outbox.Outbox;
import io.contentmachine.storage.config.StorageConfig;
import io.contentmachine.storage.objects.IoPool;
import io.contentmachine.storage.objects.ObjectStore;
import io.contentmachine.storage.upload.Upload;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import org.jboss.logging.Logger;

/** Stores rendered videos (check, record, announce) and removes a project's videos. */
@ApplicationScoped
public class VideoService {

    private static final Logger LOG = Logger.getLogger(VideoService.class);

    public static final String RENDERED_CONSUMER = "video-rendered";
    public static final String DELETED_CONSUMER = "video-deleted";
    /** Marks video.failed events already emitted for a poison message (the eventId is derived from the message). */
    private static final String FAILED_PRODUCER = "video-failed";

    /** -1: the project was deleted; above 0: this event, or another for the same bytes, was already stored; 0: to do. */
    private static final String STATE = "select case when exists (select 1 from deleted_projects where project_id = ?4) then -1"
            + " else (select count(*) from processed_events where consumer = ?1 and event_id = ?2)"
            + " + (select count(*) from videos where id = ?3) end";

    private final ObjectFinalizer finalizer;
    private final ObjectStore store;
    private final IoPool io;
    private final Outbox outbox;
    private final ProcessedEvents processed;
    private final DeletedProjects deleted;
    private final StorageConfig config;

    VideoService(ObjectFinalizer finalizer, ObjectStore store, IoPool io, Outbox outbox, ProcessedEvents processed, DeletedProjects deleted,
            StorageConfig config) {
        this.finalizer = finalizer;
        this.store = store;
        this.io = io;
        this.outbox = outbox;
        this.processed = processed;
        this.deleted = deleted;
        this.config = config;
    }

    /**
     * Checks the uploaded objects at their final keys (on the IoPool: a HEAD), then, in one transaction, marks the event processed,
     * records the row and adds video.stored to the outbox; or, when the objects are wrong, adds video.failed instead.
     * A redelivery, or another event for the same bytes, finds the row and does neither again. An event for a deleted
     * project (late or redelivered) stores nothing: its uploaded objects are removed.
     */
    public Uni<Void> store(VideoRendered event) {
        UUID videoId = VideoIds.videoId(event.getProjectId(), event.getSha256());
        ObjectFinalizer.Request announced = new ObjectFinalizer.Request(event.getProjectId(), videoId, event.getStagingKey(),
                event.getThumbnailStagingKey(), event.getSizeBytes(), event.getSha256());
        String key = ObjectFinalizer.videoKey(event.getProjectId(), videoId);
        return Panache.withSession(() -> Panache.getSession().chain(session -> session.createNativeQuery(STATE, Long.class)
                        .setParameter(1, RENDERED_CONSUMER).setParameter(2, event.getEventId()).setParameter(3, videoId)
                        .setParameter(4, event.getProjectId()).getSingleResult())
                        .chain(state -> Upload.latestFor(config.buckets().videos(), key).map(grant -> new Found(state, grant))))
                .chain(found -> {
                    long state = found.state();
                    Upload grant = found.grant();
                    // a multipart grant's part checksums are what the object's composite checksum must prove
                    ObjectFinalizer.Request request = grant == null ? announced : new ObjectFinalizer.Request(announced.projectId(),
                            videoId, announced.stagingKey(), announced.thumbnailStagingKey(), announced.sizeBytes(), announced.sha256(),
                            grant.partChecksums());
                    if (state < 0) {
                        return discard(event, request);
                    }
                    if (state > 0) {
                        LOG.debugf("video.rendered %s: video %s already stored", event.getEventId(), videoId);
                        return markProcessed(event);
                    }
                    return io.run(() -> finalizer.finalizeObjects(request))
                            .chain(outcome -> Panache.withTransaction(() -> recordUnlessDeleted(event, videoId, grant, outcome)))
                            .chain(recorded -> recorded ? Uni.createFrom().voidItem() : discard(event, request));
                });
    }

    /** What the store's first read found: {@link #STATE}, and the grant of the video's key (null for one granted before V5). */
    private record Found(long state, Upload grant) {
    }

    /**
     * Records the outcome (row and video.stored, or video.failed) unless the project was deleted meanwhile; false then. A
     * grant the sweeper removed meanwhile (its object with it) turns a stored outcome into a rejection: both take the lock.
     */
    private Uni<Boolean> recordUnlessDeleted(VideoRendered event, UUID videoId, Upload grant, ObjectFinalizer.Outcome checked) {
        return deleted.lock(event.getProjectId()).chain(() -> deleted.isDeleted(event.getProjectId())).chain(gone -> gone
                ? Uni.createFrom().item(false)
                : swept(grant, checked).chain(outcome -> processed.once(event.getEventId(), RENDERED_CONSUMER,
                        () -> outcome.isStored() ? record(event, videoId, outcome) : reject(event, outcome.rejection())))
                        .replaceWith(true));
    }

    private static Uni<ObjectFinalizer.Outcome> swept(Upload grant, ObjectFinalizer.Outcome outcome) {
        if (grant == null || !outcome.isStored()) {
            return Uni.createFrom().item(outcome);
        }
        return Upload.count("id", grant.id).map(left -> left > 0 ? outcome
                : ObjectFinalizer.Outcome.rejected("upload " + grant.id + " was swept (never finalized within storage.staging-ttl)"));
    }

    /** The project was deleted: remove what this event uploaded, and remember the event. */
    private Uni<Void> discard(VideoRendered event, ObjectFinalizer.Request request) {
        return io.run(() -> {
            finalizer.discard(request);
            return null;
        }).invoke(() -> LOG.infof("project %s was deleted: video.rendered %s ignored, its objects removed", event.getProjectId(),
                event.getEventId()))
                .chain(() -> markProcessed(event));
    }

    private Uni<Void> markProcessed(VideoRendered event) {
        return Panache.withTransaction(() -> processed.once(event.getEventId(), RENDERED_CONSUMER, () -> Uni.createFrom().voidItem()));
    }

    private Uni<Void> record(VideoRendered event, UUID videoId, ObjectFinalizer.Outcome outcome) {
        return Video.<Video>findById(videoId).chain(existing -> {
            if (existing != null) {
                return Uni.createFrom().voidItem();
            }
            Video video = new Video();
            video.id = videoId;
            video.projectId = event.getProjectId();
            video.ownerId = event.getOwnerId();
            video.storageKey = outcome.storageKey();
            video.thumbnailKey = outcome.thumbnailKey();
            video.duration = event.getDurationSeconds();
            video.resolution = event.getResolution();
            video.fileSize = event.getSizeBytes();
            video.sha256 = event.getSha256();
            video.contentType = ObjectFinalizer.VIDEO_TYPE;
            video.createdAt = Instant.now();
            return video.persist()
                    .chain(() -> outbox.add("video.stored", VideoIds.storedEventId(videoId), video.projectId, stored(video, event)))
                    .invoke(() -> LOG.infof("project %s: stored video %s (%d bytes) at %s", video.projectId, videoId, video.fileSize,
                            video.storageKey));
        });
    }

    private static VideoStored stored(Video video, VideoRendered event) {
        VideoStored stored = new VideoStored();
        stored.setEventId(VideoIds.storedEventId(video.id));
        stored.setProjectId(video.projectId);
        stored.setOwnerId(video.ownerId);
        stored.setOccurredAt(video.createdAt);
        stored.setVideoId(video.id);
        stored.setStorageKey(video.storageKey);
        stored.setThumbnailKey(video.thumbnailKey);
        stored.setSha256(video.sha256);
        stored.setSizeBytes(video.fileSize);
        stored.setDurationSeconds(video.duration);
        stored.setResolution(video.resolution);
        stored.setMetadata(metadata(event.getScript()));
        stored.setPublish(event.getPublish());
        return stored;
    }

    private static VideoMetadata metadata(Script script) {
        if (script == null) {
            return null;
        }
        VideoMetadata metadata = new VideoMetadata();
        metadata.setTitle(script.getTitle());
        metadata.setDescription(script.getDescription());
        metadata.setTags(script.getTags());
        metadata.setHashtags(script.getHashtags());
        return metadata;
    }

    private Uni<Void> reject(VideoRendered event, String reason) {
        LOG.warnf("project %s: video.rendered %s rejected: %s", event.getProjectId(), event.getEventId(), reason);
        return failed(VideoIds.failedEventId(event.getEventId().toString()), event.getProjectId(), event.getOwnerId(), reason, false);
    }

    /** Adds a video.failed (stage storage) to the outbox once per eventId, however often the cause is redelivered. */
    public Uni<Void> failedOnce(UUID eventId, UUID projectId, String ownerId, String reason, boolean retryable) {
        return Panache.withTransaction(() -> processed.once(eventId, FAILED_PRODUCER,
                () -> failed(eventId, projectId, ownerId, reason, retryable)));
    }

    /** Adds a video.failed (stage storage) to the outbox; call inside a transaction. */
    private Uni<Void> failed(UUID eventId, UUID projectId, String ownerId, String reason, boolean retryable) {
        VideoFailed failed = new VideoFailed();
        failed.setEventId(eventId);
        failed.setProjectId(projectId);
        failed.setOwnerId(ownerId == null || ownerId.isBlank() ? "unknown" : ownerId);
        failed.setOccurredAt(Instant.now());
        failed.setStage("storage");
        failed.setReason(reason);
        failed.setRetryable(retryable);
        return outbox.add("video.failed", eventId, projectId, failed);
    }

    /**
     * Removes every object (videos, thumbnails, staged files, open multipart uploads) and row of the project, and leaves
     * a tombstone so that a later video.rendered for it stores nothing. The objects go after the rows: a video stored
     * concurrently is either recorded before the tombstone (and its objects removed here) or sees it and removes its own.
     */
    public Uni<Void> deleteProject(UUID projectId) {
        return Panache.withSession(() -> Upload.openMultipartOf(projectId))
                .chain(open -> io.run(() -> {
                    for (Upload upload : open) {
                        store.abortMultipart(upload.bucket, upload.stagingKey, upload.s3UploadId);
                    }
                    return open.size();
                }))
                .chain(() -> Panache.withTransaction(() -> deleted.lock(projectId).chain(() -> deleted.record(projectId))
                        .chain(() -> Video.deleteByProject(projectId)).chain(() -> Upload.deleteByProject(projectId))))
                .chain(() -> io.run(() -> {
                    store.deletePrefix(config.buckets().videos(), projectId + "/");
                    store.deletePrefix(config.buckets().staging(), projectId + "/");
                    return null;
                }))
                .invoke(() -> LOG.infof("project %s: objects and rows deleted", projectId))
                .replaceWithVoid();
    }

    /** The project's current video, or null. */
    public Uni<Video> videoOf(UUID projectId) {
        return Panache.withSession(() -> Video.latestOf(projectId));
    }
}
