package io.contentmachine.storage.video;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import io.contentmachine.storage.config.StorageConfig;
import io.contentmachine.storage.objects.ObjectStore;
import io.contentmachine.storage.objects.ObjectStore.Digest;
import io.micrometer.core.annotation.Timed;
import org.jboss.logging.Logger;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * The object half of storing a rendered video (blocking; run it on the IoPool): verify the staged MP4 (size, then
 * SHA-256 streamed), copy it server-side to {@code videos/{projectId}/{videoId}.mp4} (thumbnail beside it), delete the
 * staged copies. Every step may be repeated after a crash: when the staged object is already gone, a final object
 * with the announced size and SHA-256 means an earlier attempt got that far, and the work continues from there.
 */
@ApplicationScoped
public class ObjectFinalizer {

    private static final Logger LOG = Logger.getLogger(ObjectFinalizer.class);

    public static final String VIDEO_TYPE = "video/mp4";
    public static final String THUMBNAIL_TYPE = "image/jpeg";

    private final ObjectStore store;
    private final String staging;
    private final String videos;

    /** Runs the server-side copies that overlap verification (bounded like the IoPool). */
    private final ExecutorService copier;

    ObjectFinalizer(ObjectStore store, StorageConfig config) {
        this.copier = Executors.newFixedThreadPool(config.ioThreads(), runnable -> {
            Thread thread = new Thread(runnable, "storage-copy");
            thread.setDaemon(true);
            return thread;
        });
        this.store = store;
        this.staging = config.buckets().staging();
        this.videos = config.buckets().videos();
    }

    /** What was asked: the announced facts of a rendered video. */
    public record Request(UUID projectId, UUID videoId, String stagingKey, String thumbnailStagingKey, long sizeBytes, String sha256) {
    }

    /** The result: stored (with the final keys) or rejected for a reason that retrying cannot fix. */
    public record Outcome(String storageKey, String thumbnailKey, String rejection) {

        static Outcome stored(String storageKey, String thumbnailKey) {
            return new Outcome(storageKey, thumbnailKey, null);
        }

        static Outcome rejected(String reason) {
            return new Outcome(null, null, reason);
        }

        public boolean isStored() {
            return rejection == null;
        }
    }

    @PreDestroy
    void close() {
        copier.shutdown();
    }

    public static String videoKey(UUID projectId, UUID videoId) {
        return projectId + "/" + videoId + ".mp4";
    }

    public static String thumbnailKey(UUID projectId, UUID videoId) {
        return projectId + "/" + videoId + ".jpg";
    }

    @Timed(value = "contentmachine.stage", extraTags = {"stage", "finalize"}, histogram = true)
    public Outcome finalizeObjects(Request request) {
        String stagedVideo = stagingKey(request.stagingKey());
        String prefix = request.projectId() + "/";
        if (!stagedVideo.startsWith(prefix)) {
            return Outcome.rejected("stagingKey " + request.stagingKey() + " is outside the project's staging folder " + prefix);
        }
        String finalVideo = videoKey(request.projectId(), request.videoId());
        Map<String, String> metadata = Map.of("sha256", request.sha256(), "project-id", request.projectId().toString());

        Optional<HeadObjectResponse> staged = store.head(staging, stagedVideo);
        long started = System.nanoTime();
        if (staged.isPresent()) {
            String problem = staged.get().contentLength() != request.sizeBytes()
                    ? "size mismatch: announced " + request.sizeBytes() + " bytes, object has " + staged.get().contentLength()
                    : verifyWhileCopying(stagedVideo, staged.get(), finalVideo, request, metadata);
            if (problem != null) {
                return Outcome.rejected(problem + " (staged object " + staging + "/" + stagedVideo + " kept for inspection)");
            }
        } else {
            Optional<HeadObjectResponse> stored = store.head(videos, finalVideo);
            if (stored.isEmpty()) {
                return Outcome.rejected("staged object " + staging + "/" + stagedVideo + " is missing");
            }
            // an earlier attempt copied and deleted the staged object, then stopped before recording the row
            String problem = verify(videos, finalVideo, stored.get(), request);
            if (problem != null) {
                return Outcome.rejected("staged object " + staging + "/" + stagedVideo + " is missing and " + videos + "/" + finalVideo
                        + " does not match: " + problem);
            }
            LOG.infof("project %s: staged video already moved to %s/%s, continuing", request.projectId(), videos, finalVideo);
        }
        LOG.infof("project %s: %d bytes verified and copied in %d ms", request.projectId(), request.sizeBytes(),
                (System.nanoTime() - started) / 1_000_000);

        List<String> stagedKeys = new ArrayList<>(List.of(stagedVideo));
        String thumbnail = null;
        if (request.thumbnailStagingKey() != null && !request.thumbnailStagingKey().isBlank()) {
            String stagedThumbnail = stagingKey(request.thumbnailStagingKey());
            String finalThumbnail = thumbnailKey(request.projectId(), request.videoId());
            Optional<HeadObjectResponse> thumbnailHead = stagedThumbnail.startsWith(prefix) ? store.head(staging, stagedThumbnail)
                    : Optional.empty();
            if (!stagedThumbnail.startsWith(prefix)) {
                LOG.warnf("project %s: thumbnailStagingKey %s outside the project's folder, ignored", request.projectId(), stagedThumbnail);
            } else if (thumbnailHead.isPresent()) {
                store.copy(staging, stagedThumbnail, thumbnailHead.get().contentLength(), videos, finalThumbnail, THUMBNAIL_TYPE,
                        Map.of("project-id", request.projectId().toString()));
                stagedKeys.add(stagedThumbnail);
                thumbnail = finalThumbnail;
            } else if (store.head(videos, finalThumbnail).isPresent()) {
                thumbnail = finalThumbnail;
            } else {
                // a thumbnail is secondary: the video is stored without one rather than failed
                LOG.warnf("project %s: staged thumbnail %s/%s is missing; storing the video without it", request.projectId(), staging,
                        stagedThumbnail);
            }
        }
        store.delete(staging, stagedKeys);
        return Outcome.stored(finalVideo, thumbnail);
    }

    /** Removes the request's staged objects and any final copies of them (its project was deleted). */
    public void discard(Request request) {
        String prefix = request.projectId() + "/";
        List<String> staged = new ArrayList<>();
        for (String key : new String[] {request.stagingKey(), request.thumbnailStagingKey()}) {
            if (key != null && stagingKey(key).startsWith(prefix)) {
                staged.add(stagingKey(key));
            }
        }
        store.delete(staging, staged);
        store.delete(videos, List.of(videoKey(request.projectId(), request.videoId()),
                thumbnailKey(request.projectId(), request.videoId())));
    }

    /**
     * Streams the staged object through SHA-256 while the server copies it to its final key: the two take about as
     * long each, so together they cost one of them. A copy of bytes that then fail verification is removed again;
     * should the service die first, the kept staged object makes the redelivery verify, fail and remove it.
     */
    private String verifyWhileCopying(String stagedVideo, HeadObjectResponse stagedHead, String finalVideo, Request request,
            Map<String, String> metadata) {
        boolean existedBefore = store.head(videos, finalVideo).isPresent();
        long started = System.nanoTime();
        CompletableFuture<Void> copy = CompletableFuture.runAsync(() -> {
            store.copy(staging, stagedVideo, stagedHead.contentLength(), videos, finalVideo, VIDEO_TYPE, metadata);
            LOG.debugf("project %s: server-side copy took %d ms", request.projectId(), (System.nanoTime() - started) / 1_000_000);
        }, copier);
        String problem;
        try {
            problem = serverVerified(stagedHead, request) ? null : verify(staging, stagedVideo, stagedHead, request);
            LOG.debugf("project %s: SHA-256 verification took %d ms", request.projectId(), (System.nanoTime() - started) / 1_000_000);
        } catch (RuntimeException e) {
            copy.exceptionally(ignored -> null).join();
            throw e;
        }
        try {
            copy.join();
        } catch (CompletionException e) {
            if (problem == null) {
                throw e.getCause() instanceof RuntimeException cause ? cause : e;
            }
        }
        if (problem != null && !existedBefore) {
            store.delete(videos, List.of(finalVideo));
        }
        return problem;
    }

    /**
     * True when the server reports the announced SHA-256 for the object: it checked the bytes against it when they were
     * written (an upload with a signed x-amz-checksum-sha256; AWS, MinIO and S3Proxy refuse bytes that do not match),
     * so reading them again would prove nothing new. A multipart upload carries no whole-object SHA-256 and is read.
     */
    private static boolean serverVerified(HeadObjectResponse head, Request request) {
        boolean verified = head.contentLength() == request.sizeBytes()
                && ObjectStore.base64Sha256(request.sha256()).equals(head.checksumSHA256());
        if (verified) {
            LOG.infof("project %s: SHA-256 verified by the S3 server at upload; not read again", request.projectId());
        }
        return verified;
    }

    /** Null when the object has the announced size and SHA-256, else what is wrong. */
    private String verify(String bucket, String key, HeadObjectResponse head, Request request) {
        if (head.contentLength() != request.sizeBytes()) {
            return "size mismatch: announced " + request.sizeBytes() + " bytes, object has " + head.contentLength();
        }
        Optional<Digest> digest = store.sha256(bucket, key);
        if (digest.isEmpty()) {
            // another attempt moved it meanwhile: retrying finds the final object
            throw new IllegalStateException(bucket + "/" + key + " vanished while being verified");
        }
        if (digest.get().sizeBytes() != request.sizeBytes()) {
            return "size mismatch: announced " + request.sizeBytes() + " bytes, read " + digest.get().sizeBytes();
        }
        if (!digest.get().sha256().equals(request.sha256())) {
            return "sha256 mismatch: expected " + request.sha256() + ", got " + digest.get().sha256();
        }
        return null;
    }

    /** Keys are relative to the staging bucket; a key written with the bucket's name in front is accepted too. */
    private String stagingKey(String key) {
        return key.startsWith(staging + "/") ? key.substring(staging.length() + 1) : key;
    }
}
