package io.contentmachine.storage.video;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.contentmachine.storage.config.StorageConfig;
import io.contentmachine.storage.objects.ObjectStore;
import io.contentmachine.storage.objects.ObjectStore.Digest;
import io.micrometer.core.annotation.Timed;
import org.jboss.logging.Logger;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * The object half of storing a rendered video (blocking; run it on the IoPool). The uploader wrote the video straight to
 * its final key {@code videos/{projectId}/{videoId}.mp4} (the grant's key, derived from the SHA-256) under a grant that
 * signed the SHA-256 (multipart: every part's) and {@code If-None-Match: *}; finalize is one HEAD: the size, and the
 * checksum the server verified as the bytes arrived (the SHA-256, or for multipart the composite of the grant's part
 * checksums). Nothing is copied and, where the server verified, nothing is read. Only where the server reports no SHA-256
 * (or storage.trust-server-checksums is off) the object is streamed through SHA-256: the read-back. Every step may be
 * repeated after a crash: there is nothing to move, so a redelivery just checks again.
 */
@ApplicationScoped
public class ObjectFinalizer {

    private static final Logger LOG = Logger.getLogger(ObjectFinalizer.class);

    public static final String VIDEO_TYPE = "video/mp4";
    public static final String THUMBNAIL_TYPE = "image/jpeg";

    private final ObjectStore store;
    private final String staging;
    private final String videos;
    private final boolean trustServerChecksums;

    ObjectFinalizer(ObjectStore store, StorageConfig config) {
        this.store = store;
        this.staging = config.buckets().staging();
        this.videos = config.buckets().videos();
        this.trustServerChecksums = config.trustServerChecksums();
    }

    /**
     * What was asked: the announced facts of a rendered video, and the part checksums its grant signed (empty for a
     * single PUT), which the object's composite checksum must match.
     */
    public record Request(UUID projectId, UUID videoId, String stagingKey, String thumbnailStagingKey, long sizeBytes, String sha256,
            List<String> partSha256) {

        public Request(UUID projectId, UUID videoId, String stagingKey, String thumbnailStagingKey, long sizeBytes, String sha256) {
            this(projectId, videoId, stagingKey, thumbnailStagingKey, sizeBytes, sha256, List.of());
        }
    }

    /** The result: stored (with the final keys) or rejected for a reason that retrying cannot fix. */
    public record Outcome(String storageKey, String thumbnailKey, String rejection) {

        static Outcome stored(String storageKey, String thumbnailKey) {
            return new Outcome(storageKey, thumbnailKey, null);
        }

        public static Outcome rejected(String reason) {
            return new Outcome(null, null, reason);
        }

        public boolean isStored() {
            return rejection == null;
        }
    }

    public static String videoKey(UUID projectId, UUID videoId) {
        return projectId + "/" + videoId + ".mp4";
    }

    public static String thumbnailKey(UUID projectId, UUID videoId) {
        return projectId + "/" + videoId + ".jpg";
    }

    @Timed(value = "contentmachine.stage", extraTags = {"stage", "finalize"}, histogram = true)
    public Outcome finalizeObjects(Request request) {
        String key = objectKey(request.stagingKey());
        String finalVideo = videoKey(request.projectId(), request.videoId());
        if (!key.equals(finalVideo)) {
            return Outcome.rejected("stagingKey " + request.stagingKey() + " is not the key granted for this video's SHA-256 ("
                    + videos + "/" + finalVideo + ")");
        }
        long started = System.nanoTime();
        Optional<HeadObjectResponse> head = store.head(videos, finalVideo);
        if (head.isEmpty()) {
            return Outcome.rejected("uploaded object " + videos + "/" + finalVideo + " is missing");
        }
        String problem = verify(finalVideo, head.get(), request);
        if (problem != null) {
            // the key belongs to these bytes alone (it is derived from their SHA-256): free it for a correct upload
            store.delete(videos, List.of(finalVideo));
            return Outcome.rejected(problem + " (object " + videos + "/" + finalVideo + " removed)");
        }
        LOG.infof("project %s: %d bytes at %s/%s verified in %d ms", request.projectId(), request.sizeBytes(), videos, finalVideo,
                (System.nanoTime() - started) / 1_000_000);

        String thumbnail = null;
        String prefix = request.projectId() + "/";
        if (request.thumbnailStagingKey() != null && !request.thumbnailStagingKey().isBlank()) {
            String thumbnailKey = objectKey(request.thumbnailStagingKey());
            if (!thumbnailKey.startsWith(prefix)) {
                LOG.warnf("project %s: thumbnailStagingKey %s outside the project's folder, ignored", request.projectId(), thumbnailKey);
            } else if (store.head(videos, thumbnailKey).isPresent()) {
                thumbnail = thumbnailKey;
            } else {
                // a thumbnail is secondary: the video is stored without one rather than failed
                LOG.warnf("project %s: uploaded thumbnail %s/%s is missing; storing the video without it", request.projectId(), videos,
                        thumbnailKey);
            }
        }
        return Outcome.stored(finalVideo, thumbnail);
    }

    /** Removes the request's staged objects and any final copies of them (its project was deleted). */
    public void discard(Request request) {
        String prefix = request.projectId() + "/";
        List<String> keys = new ArrayList<>(List.of(videoKey(request.projectId(), request.videoId()),
                thumbnailKey(request.projectId(), request.videoId())));
        for (String key : new String[] {request.stagingKey(), request.thumbnailStagingKey()}) {
            if (key != null && objectKey(key).startsWith(prefix)) {
                keys.add(objectKey(key));
            }
        }
        store.delete(videos, keys);
        // uploads granted before V5 staged in the staging bucket
        store.delete(staging, keys);
    }

    /**
     * Null when the object has the announced size and checksum, else what is wrong. The checksum the server reports
     * is trusted where it is the expected one: the server refused other bytes when they were written. Otherwise (no
     * SHA-256 reported, another one, or trust switched off) the object is read back and its SHA-256 decides.
     */
    private String verify(String key, HeadObjectResponse head, Request request) {
        if (head.contentLength() != request.sizeBytes()) {
            return "size mismatch: announced " + request.sizeBytes() + " bytes, object has " + head.contentLength();
        }
        String expected = request.partSha256().isEmpty() ? ObjectStore.base64Sha256(request.sha256())
                : ObjectStore.compositeSha256(request.partSha256());
        if (trustServerChecksums && expected.equals(head.checksumSHA256())) {
            LOG.debugf("project %s: SHA-256 verified by the S3 server at upload (%s); not read", request.projectId(), expected);
            return null;
        }
        LOG.infof("project %s: the server reports SHA-256 %s for %s (expected %s); reading it back", request.projectId(),
                head.checksumSHA256(), key, expected);
        Optional<Digest> digest = store.sha256(videos, key);
        if (digest.isEmpty()) {
            throw new IllegalStateException(videos + "/" + key + " vanished while being verified");
        }
        if (digest.get().sizeBytes() != request.sizeBytes()) {
            return "size mismatch: announced " + request.sizeBytes() + " bytes, read " + digest.get().sizeBytes();
        }
        if (!digest.get().sha256().equals(request.sha256())) {
            return "sha256 mismatch: expected " + request.sha256() + ", got " + digest.get().sha256();
        }
        return null;
    }

    /** Keys are relative to the bucket; a key written with the bucket's name in front is accepted too. */
    private String objectKey(String key) {
        for (String bucket : new String[] {videos, staging}) {
            if (key.startsWith(bucket + "/")) {
                return key.substring(bucket.length() + 1);
            }
        }
        return key;
    }
}
