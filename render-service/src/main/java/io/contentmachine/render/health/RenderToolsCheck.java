package io.contentmachine.render.health;

import java.util.List;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;

import io.contentmachine.render.config.RenderConfig;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready only when the render tools run: ffmpeg, ffprobe, espeak-ng, festival, rsvg-convert and pango-view (checked at
 * most every 30 s; runs on a worker thread).
 */
@Readiness
@ApplicationScoped
public class RenderToolsCheck implements HealthCheck {

    static final String NAME = "render tools (ffmpeg, ffprobe, espeak-ng, festival, rsvg-convert, pango-view)";

    private final List<List<String>> commands;
    private volatile long checkedAt;
    private volatile String failure;

    RenderToolsCheck(RenderConfig config) {
        this.commands = List.of(List.of(config.ffmpeg(), "-version"), List.of(config.ffprobe(), "-version"),
                List.of(config.espeak(), "--version"), List.of(config.festival(), "--version"), List.of(config.rsvgConvert(), "--version"),
                List.of(config.pangoView(), "--version"));
    }

    @Override
    public HealthCheckResponse call() {
        if (System.nanoTime() - checkedAt > TimeUnit.SECONDS.toNanos(30) || failure != null) {
            failure = probe();
            checkedAt = System.nanoTime();
        }
        HealthCheckResponseBuilder response = HealthCheckResponse.named(NAME);
        return failure == null ? response.up().build() : response.down().withData("error", failure).build();
    }

    private String probe() {
        for (List<String> command : commands) {
            try {
                Process process = new ProcessBuilder(command).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    return command.get(0) + " did not answer";
                }
                if (process.exitValue() != 0) {
                    return command.get(0) + " exited with " + process.exitValue();
                }
            } catch (Exception e) {
                return command.get(0) + " cannot run: " + e.getMessage();
            }
        }
        return null;
    }
}
