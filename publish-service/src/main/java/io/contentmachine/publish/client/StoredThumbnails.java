package io.contentmachine.publish.client;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;

import io.contentmachine.kit.auth.InternalConfig;
import io.contentmachine.publish.platform.PlatformHttp;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * The JPEG thumbnail storage-service keeps beside each video (asset {@code thumbnail}), read whole: a few hundred KB at most.
 * Blocking; called from a publisher on the worker pool.
 */
@ApplicationScoped
public class StoredThumbnails {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** YouTube refuses thumbnails over 2 MB; a bigger stored file is not read further. */
    public static final int MAX_BYTES = 2 * 1024 * 1024;

    private final StorageClient storage;
    private final PlatformHttp http;
    private final String internalToken;

    StoredThumbnails(@RestClient StorageClient storage, PlatformHttp http, InternalConfig internal) {
        this.storage = storage;
        this.http = http;
        this.internalToken = internal.token();
    }

    /**
     * The project's thumbnail bytes, empty when storage-service has none for it (a video stored before thumbnails were kept);
     * an IOException says why they cannot be read (storage down, too big).
     */
    public Optional<byte[]> jpeg(UUID projectId) throws IOException {
        String url;
        try {
            url = storage.videoUrl(projectId, "thumbnail", TIMEOUT.toSeconds() * 10, internalToken).await().atMost(TIMEOUT).url();
        } catch (WebApplicationException e) {
            if (e.getResponse().getStatus() == 404) {
                return Optional.empty();
            }
            throw new IOException("storage-service gave no thumbnail URL: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new IOException("storage-service gave no thumbnail URL: " + e.getMessage(), e);
        }
        HttpResponse<InputStream> response = http.stream(PlatformHttp.request(url, TIMEOUT).GET().build());
        try (InputStream body = response.body()) {
            if (response.statusCode() != 200) {
                throw new IOException("storage answered " + response.statusCode() + " for the thumbnail");
            }
            byte[] bytes = body.readNBytes(MAX_BYTES + 1);
            if (bytes.length > MAX_BYTES) {
                throw new IOException("the stored thumbnail is over 2 MB, YouTube's limit");
            }
            return Optional.of(bytes);
        }
    }
}
