package io.contentmachine.e2e;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.contentmachine.testsupport.OtlpReceiver;

/**
 * The whole local stack, started by deploy/local/up exactly as a developer starts it, but on its own ports
 * (offset 20000) and state folder, so it never collides with a running stack. Its ports (28080-29093) stay below Linux's
 * ephemeral range (32768-60999): at offset 30000 the sandbox once found its port taken by some process's outgoing connection.
 */
final class Stack {

    static final int OFFSET = 20000;
    static final String DB_NAME = "cm_e2e";

    final Path root = Path.of(System.getProperty("cm.root", "../.."));
    final Path home = root.resolve("testing/e2e/target/stack");
    /** Receives the services' traces over OTLP/HTTP (their OTEL_EXPORTER_OTLP_ENDPOINT), from up() on. */
    private OtlpReceiver traces;

    OtlpReceiver traces() {
        return traces;
    }

    String gateway() {
        return "http://127.0.0.1:" + (8080 + OFFSET);
    }

    String sandbox() {
        return "http://127.0.0.1:" + (8090 + OFFSET);
    }

    String adminKey() throws IOException {
        return Files.readString(home.resolve("admin-key")).trim();
    }

    void up() throws IOException, InterruptedException {
        if (traces == null) {
            traces = OtlpReceiver.start(4318 + OFFSET);
        }
        run(List.of("deploy/local/down", "--purge"), 120);
        run(List.of("psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-c",
                "drop database if exists " + DB_NAME + " with (force)"), 60);
        run(List.of("deploy/local/up"), 600);
    }

    void down() throws IOException, InterruptedException {
        run(List.of("deploy/local/down"), 120);
        if (traces != null) {
            traces.close();
            traces = null;
        }
    }

    /** SIGKILL of a component (no shutdown hooks run, as when a node dies), then its restart with up's own command. */
    void killAndRestart(String component) throws IOException, InterruptedException {
        Path pidFile = home.resolve("pids/" + component);
        long pid = Long.parseLong(Files.readString(pidFile).trim());
        ProcessHandle.of(pid).ifPresent(process -> {
            process.destroyForcibly();
            process.onExit().join();
        });
        Process restarted = new ProcessBuilder("bash", home.resolve("run/" + component).toString()).directory(root.toFile())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(home.resolve("logs/" + component
                + ".log").toFile()))
                .start();
        Files.writeString(pidFile, String.valueOf(restarted.pid()));
    }

    /** The last lines of a stack component's log, to explain a failure. */
    String logTail(String component) {
        try {
            List<String> lines = Files.readAllLines(home.resolve("logs/" + component + ".log"));
            return "--- " + component + " ---\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "--- " + component + ": no log ---";
        }
    }

    private void run(List<String> command, long timeoutSeconds) throws IOException, InterruptedException {
        Files.createDirectories(home);
        File log = home.resolveSibling("stack-commands.log").toFile();
        ProcessBuilder builder = new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log));
        // short leases, so a job whose worker the chaos test kills is taken over in seconds, not in the production minutes
        builder.environment().putAll(Map.of("CM_HOME", home.toString(), "CM_PORT_OFFSET", String.valueOf(OFFSET),
                "CM_DB_NAME", DB_NAME, "CM_SKIP_BUILD", "1", "CM_PROMETHEUS", "1", "RENDER_LEASE", "15s", "PUBLISH_WORKER_LEASE", "PT30S"));
        // tracing on, as an operator turns it on: every service exports to this test's OTLP receiver
        if (traces != null) {
            builder.environment().put("OTEL_EXPORTER_OTLP_ENDPOINT", traces.endpoint());
        }
        Process process = builder.start();
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(command + " did not finish in " + timeoutSeconds + " s; see " + log);
        }
        if (process.exitValue() != 0) {
            List<String> lines = Files.readAllLines(log.toPath());
            throw new IllegalStateException(command + " failed with " + process.exitValue() + ":\n"
                    + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size())));
        }
    }
}
