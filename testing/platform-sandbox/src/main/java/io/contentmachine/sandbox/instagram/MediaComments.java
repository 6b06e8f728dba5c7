package io.contentmachine.sandbox.instagram;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.contentmachine.sandbox.transfer.UploadStore;

/** Comments the Instagram stand-in's accounts posted on their published media (POST /{ig-media-id}/comments). */
@ApplicationScoped
public class MediaComments {

    private final AtomicLong ids = new AtomicLong(17_900_000_000_000_000L);
    private final Map<String, List<Comment>> byMedia = new ConcurrentHashMap<>();

    public record Comment(String id, String mediaId, String text, Instant timestamp) {
    }

    public Comment add(String mediaId, String text) {
        Comment comment = new Comment(String.valueOf(ids.incrementAndGet()), mediaId, text, Instant.now());
        byMedia.computeIfAbsent(mediaId, id -> new CopyOnWriteArrayList<>()).add(comment);
        return comment;
    }

    public List<Comment> of(String mediaId) {
        return List.copyOf(byMedia.getOrDefault(mediaId, List.of()));
    }

    void reset(@Observes UploadStore.SandboxReset reset) {
        byMedia.clear();
    }
}
