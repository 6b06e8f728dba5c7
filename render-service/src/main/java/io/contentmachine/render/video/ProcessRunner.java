package io.contentmachine.render.video;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs an external tool (ffmpeg, ffprobe, espeak-ng) with a deadline; kills it on timeout or cancellation. */
public final class ProcessRunner {

    private ProcessRunner() {
    }

    /** Output of a finished process (stdout in full, stderr's tail). */
    public record Result(int exitCode, String stdout, String stderrTail) {
    }

    /**
     * Runs {@code command} in {@code dir}; throws {@link RenderException} when it exits non-zero, when the render's
     * deadline passes (the process is killed) or when the render is cancelled.
     */
    public static Result run(List<String> command, Path dir, RenderControl control, String stage) {
        return run(command, dir, control, stage, () -> { });
    }

    /** As {@link #run(List, Path, RenderControl, String)}, calling {@code whileRunning} about every 200 ms until the process ends. */
    public static Result run(List<String> command, Path dir, RenderControl control, String stage, Runnable whileRunning) {
        Path out = dir.resolve("proc-" + System.nanoTime() + ".out");
        Path err = dir.resolve("proc-" + System.nanoTime() + ".err");
        Process process;
        try {
            process = new ProcessBuilder(command).directory(dir.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(new java.io.File("/dev/null"))
                    .start();
        } catch (IOException e) {
            throw new RenderException(stage, "cannot start " + command.get(0) + ": " + e.getMessage(), true);
        }
        control.attach(process);
        try {
            boolean finished = false;
            while (!finished) {
                Duration left = control.timeLeft();
                if (left.isNegative() || left.isZero()) {
                    break;
                }
                finished = process.waitFor(Math.min(left.toMillis(), 200), TimeUnit.MILLISECONDS);
                if (control.cancelled()) {
                    break;
                }
                if (!finished) {
                    whileRunning.run();
                }
            }
            if (!finished) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
                control.throwIfStopped(stage);
                throw new RenderException(stage, command.get(0) + " was killed: the render exceeded its timeout", false);
            }
            control.throwIfStopped(stage);
            String stdout = Files.readString(out, StandardCharsets.UTF_8);
            String stderr = tail(Files.readString(err, StandardCharsets.UTF_8));
            if (process.exitValue() != 0) {
                throw new RenderException(stage, command.get(0) + " exited with " + process.exitValue() + ": " + stderr, false);
            }
            return new Result(process.exitValue(), stdout, stderr);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new RenderException(stage, "interrupted", true);
        } catch (IOException e) {
            throw new RenderException(stage, "cannot read output of " + command.get(0) + ": " + e.getMessage(), true);
        } finally {
            control.detach(process);
            try {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            } catch (IOException ignored) {
                // the render's folder is removed as a whole afterwards
            }
        }
    }

    private static String tail(String text) {
        String trimmed = text.strip();
        return trimmed.length() <= 600 ? trimmed : trimmed.substring(trimmed.length() - 600);
    }
}
