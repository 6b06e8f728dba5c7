package io.contentmachine.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** A real S3 API server (S3Proxy on a filesystem backend), started once per test JVM on a free port. */
public final class S3ProxyServer {

    public static final String ACCESS_KEY = "test-access-key";
    public static final String SECRET_KEY = "test-secret-key";

    private static S3ProxyServer shared;

    private final String endpoint;

    private S3ProxyServer(String endpoint) {
        this.endpoint = endpoint;
    }

    public static synchronized S3ProxyServer shared() {
        if (shared == null) {
            shared = start();
        }
        return shared;
    }

    public String endpoint() {
        return endpoint;
    }

    private static S3ProxyServer start() {
        Path jar = RepositoryRoot.resolve("deploy/local/runtime/target/s3proxy/s3proxy.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build it with ./mvnw -pl deploy/local/runtime generate-resources");
        }
        try {
            Path dir = Files.createTempDirectory("cm-s3proxy-");
            Files.createDirectories(dir.resolve("data"));
            int port = ServerProcess.freePort();
            String endpoint = "http://127.0.0.1:" + port;
            Files.writeString(dir.resolve("s3proxy.conf"), String.join("\n",
                    "s3proxy.endpoint=" + endpoint,
                    "s3proxy.authorization=aws-v2-or-v4",
                    "s3proxy.identity=" + ACCESS_KEY,
                    "s3proxy.credential=" + SECRET_KEY,
                    "jclouds.provider=filesystem",
                    "jclouds.filesystem.basedir=" + dir.resolve("data"),
                    ""));
            ServerProcess server = ServerProcess.start("s3proxy", List.of(ServerProcess.java(), "-Xmx512m", "-jar", jar.toString(),
                    "--properties", "s3proxy.conf"), dir);
            server.awaitReady(() -> ServerProcess.listening(port), Duration.ofSeconds(60));
            return new S3ProxyServer(endpoint);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
