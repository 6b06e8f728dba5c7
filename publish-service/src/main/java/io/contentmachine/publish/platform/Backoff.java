package io.contentmachine.publish.platform;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** Exponential backoff with jitter for transient platform failures; honours a platform's Retry-After. */
public final class Backoff {

    private final Duration initial;
    private final Duration max;
    private final int maxRetries;
    private int retries;

    public Backoff(Duration initial, Duration max, int maxRetries) {
        this.initial = initial;
        this.max = max;
        this.maxRetries = maxRetries;
    }

    /** Sleeps before the next try, or rethrows {@code failure} when the retries are used up. */
    public void pause(PlatformException failure) {
        if (retries >= maxRetries) {
            throw failure;
        }
        long exponential = initial.toMillis() << Math.min(retries, 20);
        long delay = Math.min(exponential, max.toMillis());
        delay = delay / 2 + ThreadLocalRandom.current().nextLong(delay / 2 + 1);
        if (failure.retryAfter() != null) {
            delay = Math.max(delay, failure.retryAfter().toMillis());
        }
        retries++;
        try {
            Thread.sleep(delay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure;
        }
    }

    public int retries() {
        return retries;
    }
}
