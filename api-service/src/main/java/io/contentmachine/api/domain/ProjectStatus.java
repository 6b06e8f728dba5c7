package io.contentmachine.api.domain;

/**
 * The project state machine kept by api-service: processing → rendered → stored → published, or failed, or deleted.
 * The rank orders the forward path, so a late or redelivered event never moves a project backwards.
 */
public enum ProjectStatus {
    PROCESSING(0), RENDERED(1), STORED(2), PUBLISHED(3), FAILED(-1), DELETED(-1);

    private final int rank;

    ProjectStatus(int rank) {
        this.rank = rank;
    }

    public String value() {
        return name().toLowerCase();
    }

    public static ProjectStatus of(String value) {
        return valueOf(value.toUpperCase());
    }

    /** failed and deleted are terminal: no event moves a project out of them. */
    public boolean terminal() {
        return rank < 0;
    }

    /** The status after an event that announces {@code reached}: forward only, terminal states stay. */
    public ProjectStatus advanceTo(ProjectStatus reached) {
        if (terminal()) {
            return this;
        }
        return reached.rank > rank ? reached : this;
    }

    /** The video is in storage: it can be downloaded and published. */
    public boolean hasStoredVideo() {
        return this == STORED || this == PUBLISHED;
    }

    /** Still in the pipeline (counts against the owner's in-flight cap). */
    public boolean inFlight() {
        return this == PROCESSING || this == RENDERED;
    }
}
