package io.contentmachine.render.video;

/** A render gave up: where (stage of video.failed), why, and whether trying again may help. */
public class RenderException extends RuntimeException {

    private final String stage;
    private final boolean retryable;

    public RenderException(String stage, String reason, boolean retryable) {
        super(reason);
        this.stage = stage;
        this.retryable = retryable;
    }

    public String stage() {
        return stage;
    }

    public boolean retryable() {
        return retryable;
    }
}
