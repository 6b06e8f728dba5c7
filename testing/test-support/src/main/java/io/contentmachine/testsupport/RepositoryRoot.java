package io.contentmachine.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the repository root (where contract/ and deploy/ live) from any module's test run. */
public final class RepositoryRoot {

    private RepositoryRoot() {
    }

    public static Path get() {
        String configured = System.getProperty("cm.root");
        if (configured != null && Files.isDirectory(Path.of(configured, "deploy"))) {
            return Path.of(configured);
        }
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            if (Files.isRegularFile(dir.resolve("contract/asyncapi.yaml"))) {
                return dir;
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException("cannot find the repository root (no contract/asyncapi.yaml above " + Path.of("")
                .toAbsolutePath() + ")");
    }

    public static Path resolve(String relative) {
        return get().resolve(relative);
    }
}
