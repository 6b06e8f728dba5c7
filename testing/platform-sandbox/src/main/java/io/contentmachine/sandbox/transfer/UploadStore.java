package io.contentmachine.sandbox.transfer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;

import io.contentmachine.sandbox.config.SandboxConfig;
import org.jboss.logging.Logger;

/** The files under sandbox.data-dir and the record of every completely received upload. */
@ApplicationScoped
public class UploadStore {

    private static final Logger LOG = Logger.getLogger(UploadStore.class);

    private final Path dir;
    private final Map<String, ReceivedUpload> uploads = new ConcurrentHashMap<>();
    private final Event<SandboxReset> reset;

    @Inject
    public UploadStore(SandboxConfig config, Event<SandboxReset> reset) {
        this.reset = reset;
        try {
            this.dir = config.dataDir().isPresent() && !config.dataDir().get().isBlank()
                    ? Files.createDirectories(Path.of(config.dataDir().get()))
                    : Files.createTempDirectory("platform-sandbox-");
        } catch (IOException e) {
            throw new UncheckedIOException("sandbox.data-dir cannot be created: " + e.getMessage(), e);
        }
        LOG.infof("platform sandbox stores received bytes under %s", dir);
    }

    /** The sandbox's data folder (also holds the Pexels stand-in's generated media). */
    public Path dataDir() {
        return dir;
    }

    /** A new, not yet existing file for the bytes of one upload. */
    public Path fileFor(String platform, String id) {
        return dir.resolve(platform + "-" + id.replaceAll("[^A-Za-z0-9._-]", "_") + ".bin");
    }

    public void record(ReceivedUpload upload) {
        uploads.put(upload.id(), upload);
        LOG.infof("%s received %s: %d bytes, sha256 %s", upload.platform(), upload.id(), upload.sizeBytes(), upload.sha256());
    }

    public void update(String id, UnaryOperator<ReceivedUpload> change) {
        uploads.computeIfPresent(id, (k, v) -> change.apply(v));
    }

    public Optional<ReceivedUpload> get(String id) {
        return Optional.ofNullable(uploads.get(id));
    }

    public List<ReceivedUpload> list(String platform) {
        return uploads.values().stream()
                .filter(u -> platform == null || u.platform().equals(platform))
                .sorted(Comparator.comparing(ReceivedUpload::receivedAt).thenComparing(ReceivedUpload::id))
                .toList();
    }

    /** Forgets every upload and deletes the received bytes; the platforms drop their sessions too. */
    public void reset() {
        reset.fire(new SandboxReset());
        uploads.clear();
        // received uploads are files; folders (the Pexels stand-in's generated media) are a cache and stay
        try (var files = Files.list(dir)) {
            files.filter(Files::isRegularFile).forEach(f -> {
                try {
                    Files.deleteIfExists(f);
                } catch (IOException e) {
                    LOG.warnf("cannot delete %s: %s", f, e.getMessage());
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Fired on reset so each platform forgets its sessions, containers and counters. */
    public record SandboxReset() {
    }
}
