package io.contentmachine.sandbox.tiktok;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import io.contentmachine.sandbox.transfer.BlockingTransfers;
import io.contentmachine.sandbox.transfer.ReceivedUpload;
import io.contentmachine.sandbox.transfer.UploadStore;

/** Posts in flight and done, and the per-token rate windows of the TikTok stand-in. */
@ApplicationScoped
public class TikTokPosts {

    @Inject
    UploadStore store;

    private final Map<String, Post> posts = new ConcurrentHashMap<>();
    private final Map<String, Deque<Instant>> windows = new ConcurrentHashMap<>();
    private final AtomicLong sequence = new AtomicLong(7_300_000_000_000_000_000L);

    /** One publish_id: what init declared and how far its upload got. */
    public static final class Post {
        final String publishId;
        final boolean inbox;
        final String source;
        final JsonNode request;
        final String privacyLevel;
        final ChunkPlan plan;
        final String uploadToken;
        final String failReason;
        final Instant createdAt = Instant.now();
        final List<Path> parts = new ArrayList<>();
        final AtomicLong downloaded = new AtomicLong();
        volatile long uploadedBytes;
        volatile boolean chunkInFlight;
        volatile Instant completedAt;
        volatile String postId;
        volatile String error;
        volatile String contentType;

        Post(String publishId, boolean inbox, String source, JsonNode request, String privacyLevel, ChunkPlan plan,
             String uploadToken, String failReason) {
            this.publishId = publishId;
            this.inbox = inbox;
            this.source = source;
            this.request = request;
            this.privacyLevel = privacyLevel;
            this.plan = plan;
            this.uploadToken = uploadToken;
            this.failReason = failReason;
        }

        int chunksReceived() {
            return parts.size();
        }
    }

    public Post create(boolean inbox, String source, JsonNode request, String privacyLevel, ChunkPlan plan, String uploadToken,
                       String failReason) {
        String id = (inbox ? "v_inbox_" : "v_pub_") + (plan != null ? "file~v2-1." : "url~v2-1.") + sequence.incrementAndGet();
        Post post = new Post(id, inbox, source, request, privacyLevel, plan, uploadToken, failReason);
        posts.put(id, post);
        return post;
    }

    public Post get(String publishId) {
        return publishId == null ? null : posts.get(publishId);
    }

    /** The completed post with this public post id (the id video/query takes), or null. */
    public Post byPostId(String postId) {
        return postId == null ? null : posts.values().stream().filter(p -> postId.equals(p.postId)).findFirst().orElse(null);
    }

    public String newPostId() {
        return String.valueOf(sequence.incrementAndGet());
    }

    /**
     * Counts a call against a per-minute limit for this token and endpoint: 0 when allowed, else the seconds until the
     * oldest call of the window leaves it (the Retry-After to answer).
     */
    public long allow(String token, String endpoint, int perMinute) {
        Deque<Instant> window = windows.computeIfAbsent(endpoint + " " + token, k -> new ArrayDeque<>());
        synchronized (window) {
            Instant now = Instant.now();
            while (!window.isEmpty() && !window.peekFirst().isAfter(now.minusSeconds(60))) {
                window.pollFirst();
            }
            if (window.size() >= perMinute) {
                return Math.max(1, Duration.between(now, window.peekFirst().plusSeconds(60)).toMillis() / 1000 + 1);
            }
            window.addLast(now);
            return 0;
        }
    }

    /** All bytes are in: the post is recorded and, after processing time, complete (or FAILED when a fault said so). */
    public void finish(Post post, BlockingTransfers.Stored stored, Path file) {
        post.postId = newPostId();
        post.uploadedBytes = stored.sizeBytes();
        post.completedAt = Instant.now();
        store.record(new ReceivedUpload("tiktok", post.publishId, post.request, stored.sizeBytes(), stored.sha256(), post.completedAt,
                post.contentType != null ? post.contentType : stored.contentType(), post.privacyLevel, null,
                post.failReason != null ? "FAILED" : post.inbox ? "SEND_TO_USER_INBOX" : "PUBLISH_COMPLETE",
                post.failReason != null ? null : post.postId, file));
    }

    void reset(@Observes UploadStore.SandboxReset reset) {
        posts.clear();
        windows.clear();
    }
}
