package io.contentmachine.index;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/** Gives the application under test fresh embedded index folders (projects and assets), removed afterwards. */
public class EmbeddedIndexResource implements QuarkusTestResourceLifecycleManager {

    private Path folder;

    @Override
    public Map<String, String> start() {
        try {
            folder = Files.createTempDirectory("index-service-test");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of("index.store", "embedded", "index.embedded.path", folder.resolve("projects").toString(),
                "index.embedded.assets-path", folder.resolve("assets").toString());
    }

    @Override
    public void stop() {
        if (folder == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(folder)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
