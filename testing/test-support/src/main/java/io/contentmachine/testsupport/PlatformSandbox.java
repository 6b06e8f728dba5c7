package io.contentmachine.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** The platform sandbox (testing/platform-sandbox, packaged), run as a child process once per test JVM on a free port. */
public final class PlatformSandbox {

    private static PlatformSandbox shared;

    private final String url;

    private PlatformSandbox(String url) {
        this.url = url;
    }

    public static synchronized PlatformSandbox shared() {
        if (shared == null) {
            shared = start();
        }
        return shared;
    }

    /** Base URL, e.g. http://127.0.0.1:41234 (YouTube, TikTok and Instagram paths and /sandbox control endpoints). */
    public String url() {
        return url;
    }

    private static PlatformSandbox start() {
        Path jar = RepositoryRoot.resolve("testing/platform-sandbox/target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build it with ./mvnw -pl testing/platform-sandbox package -DskipTests");
        }
        try {
            Path dir = Files.createTempDirectory("cm-sandbox-");
            int port = ServerProcess.freePort();
            ServerProcess server = ServerProcess.start("platform-sandbox", List.of(ServerProcess.java(), "-Xmx256m",
                    "-Dquarkus.http.port=" + port, "-Dsandbox.data-dir=" + dir.resolve("data"), "-jar", jar.toString()), dir);
            server.awaitReady(() -> ServerProcess.listening(port), Duration.ofSeconds(60));
            return new PlatformSandbox("http://127.0.0.1:" + port);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
