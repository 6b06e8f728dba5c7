package io.contentmachine.api.domain;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import io.contentmachine.api.config.ApiConfig;

/**
 * Per-key sliding-window limit on project creation (per replica: behind N replicas a key gets up to N times the rate).
 */
@ApplicationScoped
public class CreateLimiter {

    private static final long WINDOW = Duration.ofMinutes(1).toNanos();

    private final int perMinute;
    private final Map<String, Deque<Long>> windows = new ConcurrentHashMap<>();

    CreateLimiter(ApiConfig config) {
        this.perMinute = config.limits().createsPerMinute();
    }

    /** Seconds until the key may create again, or 0 when it may now. */
    public long retryAfterSeconds(String keyId) {
        if (perMinute <= 0) {
            return 0;
        }
        Deque<Long> window = windows.computeIfAbsent(keyId, k -> new ArrayDeque<>());
        synchronized (window) {
            long now = System.nanoTime();
            while (!window.isEmpty() && now - window.peekFirst() >= WINDOW) {
                window.pollFirst();
            }
            if (window.size() < perMinute) {
                return 0;
            }
            return Math.max(1, (WINDOW - (now - window.peekFirst()) + 999_999_999L) / 1_000_000_000L);
        }
    }

    /** Counts one accepted create against the key. */
    public void record(String keyId) {
        if (perMinute <= 0) {
            return;
        }
        Deque<Long> window = windows.computeIfAbsent(keyId, k -> new ArrayDeque<>());
        synchronized (window) {
            window.addLast(System.nanoTime());
        }
    }
}
