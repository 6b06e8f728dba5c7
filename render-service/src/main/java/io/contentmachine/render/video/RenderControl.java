package io.contentmachine.render.video;

import java.time.Duration;

/**
 * The handle of one running render: its deadline and cancellation. The external processes it currently runs are killed
 * when the render is cancelled (project deleted, claim lost) or when the deadline passes.
 */
public class RenderControl {

    private final long deadlineNanos;
    private volatile boolean cancelled;
    private volatile String cancelReason;
    /** The external processes this render runs now (pictures are drawn a few at a time). */
    private final java.util.Set<Process> processes = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public RenderControl(Duration timeout) {
        this.deadlineNanos = System.nanoTime() + timeout.toNanos();
    }

    public static RenderControl unlimited() {
        return new RenderControl(Duration.ofDays(1));
    }

    public Duration timeLeft() {
        return Duration.ofNanos(deadlineNanos - System.nanoTime());
    }

    public boolean cancelled() {
        return cancelled;
    }

    public void cancel(String reason) {
        cancelReason = reason;
        cancelled = true;
        for (Process running : processes) {
            running.descendants().forEach(ProcessHandle::destroyForcibly);
            running.destroyForcibly();
        }
    }

    void attach(Process running) {
        processes.add(running);
        if (cancelled) {
            running.destroyForcibly();
        }
    }

    void detach(Process running) {
        processes.remove(running);
    }

    /** Throws when the render was cancelled or ran out of time; called between steps. */
    public void throwIfStopped(String stage) {
        if (cancelled) {
            throw new RenderCancelledException(cancelReason);
        }
        if (timeLeft().isNegative()) {
            throw new RenderException(stage, "render exceeded its timeout", false);
        }
    }

    /** The render was cancelled on purpose: no video.failed, no retry. */
    public static class RenderCancelledException extends RuntimeException {
        public RenderCancelledException(String reason) {
            super(reason);
        }
    }
}
