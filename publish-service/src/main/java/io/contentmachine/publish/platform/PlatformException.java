package io.contentmachine.publish.platform;

import java.time.Duration;
import java.time.Instant;

/**
 * A platform said no, or could not be reached. {@link #transientFailure} ones (5xx, dropped connections) are tried
 * again later with backoff; {@link #unauthorized} ones get one token refresh; {@link #isWait() waits} (a rate limit, a
 * used-up quota) hold the account back until the platform allows it again, without failing anything; the rest fail the
 * publishing with the platform's own code and message.
 */
public class PlatformException extends RuntimeException {

    private final String code;
    private final boolean transientFailure;
    private final boolean unauthorized;
    private final boolean rateLimited;
    private final Duration retryAfter;
    private final Instant waitUntil;

    private PlatformException(String code, String message, boolean transientFailure, boolean unauthorized, boolean rateLimited,
            Duration retryAfter, Instant waitUntil, Throwable cause) {
        super(message, cause);
        this.code = code;
        this.transientFailure = transientFailure;
        this.unauthorized = unauthorized;
        this.rateLimited = rateLimited;
        this.retryAfter = retryAfter;
        this.waitUntil = waitUntil;
    }

    public static PlatformException permanent(String code, String message) {
        return new PlatformException(code, message, false, false, false, null, null, null);
    }

    public static PlatformException transientFailure(String code, String message, Duration retryAfter, Throwable cause) {
        return new PlatformException(code, message, true, false, false, retryAfter, null, cause);
    }

    public static PlatformException unauthorized(String code, String message) {
        return new PlatformException(code, message, false, true, false, null, null, null);
    }

    /** Too many calls: the account waits for the platform's Retry-After, or the configured rate-limit wait when it sent none. */
    public static PlatformException rateLimited(String code, String message, Duration retryAfter) {
        return new PlatformException(code, message, false, false, true, retryAfter, null, null);
    }

    /** A limit with a known end (a daily quota, a posting cap): the account waits until then. */
    public static PlatformException waitUntil(String code, String message, Instant until) {
        return new PlatformException(code, message, false, false, false, null, until, null);
    }

    public String code() {
        return code;
    }

    public boolean isTransient() {
        return transientFailure;
    }

    public boolean isUnauthorized() {
        return unauthorized;
    }

    /** Whether the platform asked to come back later: the publishing waits, it does not fail. */
    public boolean isWait() {
        return rateLimited || waitUntil != null;
    }

    /** The platform's Retry-After, when it sent one. */
    public Duration retryAfter() {
        return retryAfter;
    }

    /** Until when the account waits, or null for a rate limit that left it to {@link #retryAfter()} or the default. */
    public Instant waitUntil() {
        return waitUntil;
    }
}
