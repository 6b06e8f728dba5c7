package io.contentmachine.sandbox.instagram;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.contentmachine.sandbox.transfer.UploadStore;

/** Reels containers, published media and the per-account publishing log (for content_publishing_limit). */
@ApplicationScoped
public class Containers {

    private final Map<String, Container> containers = new ConcurrentHashMap<>();
    private final Map<String, Container> mediaById = new ConcurrentHashMap<>();
    private final Map<String, Deque<Instant>> published = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong(17_900_000_000_000_000L);

    /** A media container: created, downloading, then FINISHED (or ERROR / EXPIRED), finally PUBLISHED. */
    public static final class Container {
        final String id;
        final String igUserId;
        final Map<String, String> params;
        final Instant createdAt = Instant.now();
        final AtomicLong downloaded = new AtomicLong();
        final String forcedState;
        volatile Instant downloadedAt;
        volatile String downloadError;
        volatile String mediaId;
        volatile Instant publishedAt;

        Container(String id, String igUserId, Map<String, String> params, String forcedState) {
            this.id = id;
            this.igUserId = igUserId;
            this.params = params;
            this.forcedState = forcedState;
        }

        /** status_code now: IN_PROGRESS, FINISHED, ERROR, EXPIRED or PUBLISHED. */
        String statusCode(Instant now, Duration processing, Duration ttl) {
            if (mediaId != null) {
                return "PUBLISHED";
            }
            if (forcedState != null) {
                return forcedState;
            }
            if (downloadError != null) {
                return "ERROR";
            }
            if (now.isAfter(createdAt.plus(ttl))) {
                return "EXPIRED";
            }
            Instant at = downloadedAt;
            return at != null && !now.isBefore(at.plus(processing)) ? "FINISHED" : "IN_PROGRESS";
        }
    }

    public Container create(String igUserId, Map<String, String> params, String forcedState) {
        Container c = new Container(String.valueOf(ids.incrementAndGet()), igUserId, params, forcedState);
        containers.put(c.id, c);
        return c;
    }

    public Container container(String id) {
        return containers.get(id);
    }

    public Container media(String id) {
        return mediaById.get(id);
    }

    /** Every published media (of all accounts). */
    public Collection<Container> published() {
        return mediaById.values();
    }

    /** Posts published by this account within the last 24 hours. */
    public int usage(String igUserId) {
        Deque<Instant> log = published.computeIfAbsent(igUserId, k -> new ArrayDeque<>());
        synchronized (log) {
            Instant since = Instant.now().minus(Duration.ofHours(24));
            while (!log.isEmpty() && log.peekFirst().isBefore(since)) {
                log.pollFirst();
            }
            return log.size();
        }
    }

    public void publish(Container c) {
        c.mediaId = String.valueOf(ids.incrementAndGet());
        c.publishedAt = Instant.now();
        mediaById.put(c.mediaId, c);
        Deque<Instant> log = published.computeIfAbsent(c.igUserId, k -> new ArrayDeque<>());
        synchronized (log) {
            log.addLast(c.publishedAt);
        }
    }

    void reset(@Observes UploadStore.SandboxReset reset) {
        containers.clear();
        mediaById.clear();
        published.clear();
    }
}
