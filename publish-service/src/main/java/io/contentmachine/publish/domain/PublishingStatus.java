package io.contentmachine.publish.domain;

/**
 * A publishing's state: pending → uploading → processing → published | scheduled | failed; waiting while the account's
 * rate limit or quota holds it back (then it goes on from where it was).
 */
public enum PublishingStatus {
    PENDING("pending"),
    UPLOADING("uploading"),
    PROCESSING("processing"),
    WAITING("waiting"),
    SCHEDULED("scheduled"),
    PUBLISHED("published"),
    FAILED("failed");

    private final String id;

    PublishingStatus(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public boolean isFinal() {
        return this == PUBLISHED || this == SCHEDULED || this == FAILED;
    }

    public static PublishingStatus of(String id) {
        for (PublishingStatus status : values()) {
            if (status.id.equals(id)) {
                return status;
            }
        }
        throw new IllegalArgumentException("unknown publishing status " + id);
    }
}
