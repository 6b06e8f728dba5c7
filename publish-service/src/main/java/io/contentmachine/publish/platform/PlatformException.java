package io.contentmachine.publish.platform;

import java.time.Duration;

/**
 * A platform said no, or could not be reached. {@link #transientFailure} ones (5xx, 429, dropped connections) are
 * retried with backoff; {@link #unauthorized} ones get one token refresh; the rest fail the publishing with
 * the platform's own code and message.
 */
public class PlatformException extends RuntimeException {

    private final String code;
    private final boolean transientFailure;
    private final boolean unauthorized;
    private final Duration retryAfter;

    public PlatformException(String code, String message, boolean transientFailure, boolean unauthorized, Duration retryAfter,
            Throwable cause) {
        super(message, cause);
        this.code = code;
        this.transientFailure = transientFailure;
        this.unauthorized = unauthorized;
        this.retryAfter = retryAfter;
    }

    public static PlatformException permanent(String code, String message) {
        return new PlatformException(code, message, false, false, null, null);
    }

    public static PlatformException transientFailure(String code, String message, Duration retryAfter, Throwable cause) {
        return new PlatformException(code, message, true, false, retryAfter, cause);
    }

    public static PlatformException unauthorized(String code, String message) {
        return new PlatformException(code, message, false, true, null, null);
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

    /** The platform's Retry-After, when it sent one. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
