package io.contentmachine.api.domain;

import java.util.List;
import java.util.UUID;

/**
 * A decided refusal of the gateway's rules, in the domain's words: the api layer maps each kind to its HTTP status and the
 * JSON error shape, so the domain knows nothing of HTTP.
 */
public abstract sealed class DomainException extends RuntimeException {

    private final List<String> details;

    private DomainException(String error, List<String> details) {
        // a decided answer, not a bug: no stack trace to fill
        super(error, null, false, false);
        this.details = details == null ? List.of() : List.copyOf(details);
    }

    /** What exactly is wrong, one line per field; may be empty. */
    public List<String> details() {
        return details;
    }

    /** The request breaks a rule; details name each field. */
    public static final class InvalidRequest extends DomainException {

        public InvalidRequest(String error, List<String> details) {
            super(error, details);
        }
    }

    /** No such thing for this caller: another owner's project is missing too. */
    public static final class NotFound extends DomainException {

        public NotFound() {
            this("Not found");
        }

        public NotFound(String error) {
            super(error, List.of());
        }
    }

    /** The request is sound but the project's state does not allow it now. */
    public static final class Conflict extends DomainException {

        public Conflict(String error, List<String> details) {
            super(error, details);
        }
    }

    /** The owner already has a standing project on a near-identical topic. */
    public static final class DuplicateTopic extends DomainException {

        private final UUID duplicateOf;
        private final double score;

        public DuplicateTopic(UUID duplicateOf, double score) {
            super("A project on a near-identical topic exists; send allowDuplicate: true to create anyway", List.of());
            this.duplicateOf = duplicateOf;
            this.score = score;
        }

        public UUID duplicateOf() {
            return duplicateOf;
        }

        public double score() {
            return score;
        }
    }

    /** An Idempotency-Key the owner already used for a different request. */
    public static final class KeyReused extends DomainException {

        public KeyReused() {
            super("Idempotency-Key already used with a different request body", List.of());
        }
    }

    /** A limit on creating holds the caller back until {@link #retryAfterSeconds}. */
    public static final class LimitReached extends DomainException {

        private final long retryAfterSeconds;

        public LimitReached(String error, List<String> details, long retryAfterSeconds) {
            super(error, details);
            this.retryAfterSeconds = retryAfterSeconds;
        }

        public long retryAfterSeconds() {
            return retryAfterSeconds;
        }
    }

    /** A file over the size the media library takes. */
    public static final class TooLarge extends DomainException {

        public TooLarge(String error, List<String> details) {
            super(error, details);
        }
    }

    /** A kind of file the media library does not take (its content type names which ones it does). */
    public static final class UnsupportedType extends DomainException {

        public UnsupportedType(String error, List<String> details) {
            super(error, details);
        }
    }

    /** Another service the answer needs is down or slow; the caller may try again shortly. */
    public static final class Unavailable extends DomainException {

        public Unavailable(String error) {
            super(error, List.of());
        }
    }
}
