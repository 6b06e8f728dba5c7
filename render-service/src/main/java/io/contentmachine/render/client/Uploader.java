package io.contentmachine.render.client;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.contentmachine.render.config.RenderConfig;
import io.contentmachine.render.video.RenderControl;
import io.contentmachine.render.video.RenderException;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

/**
 * Uploads a rendered file with a grant from storage-service straight to its final key: one presigned PUT, or presigned
 * part PUTs then complete. A file over 5 MiB (S3's smallest part) is cut into parts of render.upload-part-size-bytes
 * (64 MiB, like storage-service's default) whose SHA-256s the grant request carries: storage signs them into the part
 * URLs, and the S3 server refuses other bytes. Every PUT sends the grant's headers, {@code If-None-Match: *} among them:
 * a 412 means the key already holds an object, which (the key being derived from the SHA-256) is an earlier upload of
 * these bytes; storage-service checks it at finalize. Bytes are streamed from disk (never held in memory); each HTTP step
 * is retried with backoff.
 */
@ApplicationScoped
public class Uploader {

    private static final Logger LOG = Logger.getLogger(Uploader.class);
    private static final long MIN_PART = 5L << 20;
    private static final int HASH_BUFFER = 1 << 20;
    /**
     * How long a step that failed for a reason that passes (storage-service restarting, the S3 server down, a 5xx or 429)
     * is tried again before the render gives up. A rendered video is worth waiting for: giving up after seconds meant
     * rendering it again, or failing it, for every restart of storage-service (seen in testing/bench/chaos). The job's lease
     * is renewed while this waits.
     */
    private static final Duration PATIENCE = Duration.ofMinutes(5);
    private static final Duration LONGEST_PAUSE = Duration.ofSeconds(10);

    private final StorageClient storage;
    private final long partSize;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    Uploader(@RestClient StorageClient storage, RenderConfig config) {
        this.storage = storage;
        this.partSize = Math.max(MIN_PART, config.uploadPartSizeBytes());
    }

    /** Uploads {@code file} and returns its key (the object's final key, announced as video.rendered's stagingKey). */
    public String upload(UUID projectId, Path file, String sha256, String contentType, RenderControl control) {
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new RenderException("upload", "cannot read " + file.getFileName() + ": " + e.getMessage(), false);
        }
        // any file that could get a multipart grant (storage's threshold is its own setting) carries its part checksums
        List<String> partSha256 = size > MIN_PART ? partChecksums(file, partSize) : null;
        StorageClient.UploadRequest request = new StorageClient.UploadRequest(projectId, size, sha256, contentType,
                partSha256 == null ? null : partSize, partSha256);
        StorageClient.UploadGrant grant = retry("upload grant", control, () -> storage.grant(request));
        List<StorageClient.PartEtag> etags = put(grant, file, contentType, control);
        if (!etags.isEmpty()) {
            retry("upload complete", control, () -> {
                storage.complete(grant.uploadId(), new StorageClient.CompleteRequest(etags));
                return null;
            });
        }
        return grant.stagingKey();
    }

    /**
     * Streams {@code file} to S3 with {@code grant}: one presigned PUT (returns no ETags) or the presigned part PUTs (returns
     * their ETags, for whoever completes the upload: storage-service's complete or, for an asset's copy, its ready).
     */
    public List<StorageClient.PartEtag> put(StorageClient.UploadGrant grant, Path file, String contentType, RenderControl control) {
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new RenderException("upload", "cannot read " + file.getFileName() + ": " + e.getMessage(), false);
        }
        List<StorageClient.PartEtag> etags = new ArrayList<>();
        if ("multipart".equals(grant.method()) && grant.parts() != null && !grant.parts().isEmpty()) {
            List<StorageClient.PartUrl> parts = grant.parts().stream()
                    .sorted(Comparator.comparingInt(StorageClient.PartUrl::partNumber)).toList();
            long partSize = grant.partSizeBytes() != null ? grant.partSizeBytes()
                    : Math.max(MIN_PART, (size + parts.size() - 1) / parts.size());
            long offset = 0;
            for (StorageClient.PartUrl part : parts) {
                long length = part.sizeBytes() != null ? part.sizeBytes() : Math.min(partSize, size - offset);
                long from = offset;
                Map<String, String> headers = part.headers() != null ? part.headers() : Map.of();
                String etag = retry("part " + part.partNumber(), control, () -> put(part.url(), file, from, length, headers));
                etags.add(new StorageClient.PartEtag(part.partNumber(), etag));
                offset += length;
            }
            if (offset != size) {
                throw new RenderException("upload", "multipart grant covers " + offset + " bytes, file has " + size, false);
            }
        } else if (grant.url() != null) {
            Map<String, String> headers = grant.headers() != null ? grant.headers() : Map.of("Content-Type", contentType);
            retry("upload", control, () -> put(grant.url(), file, 0, size, headers));
        } else {
            throw new RenderException("upload", "storage-service granted neither a url nor parts", false);
        }
        return etags;
    }

    /** The SHA-256 (hex) of every {@code partSize} bytes of {@code file}, read once with a fixed buffer. */
    static List<String> partChecksums(Path file, long partSize) {
        List<String> sums = new ArrayList<>();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[HASH_BUFFER];
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            long inPart = 0;
            for (int n; (n = in.read(buffer, 0, (int) Math.min(buffer.length, partSize - inPart))) > 0; ) {
                digest.update(buffer, 0, n);
                inPart += n;
                if (inPart == partSize) {
                    sums.add(HexFormat.of().formatHex(digest.digest()));
                    inPart = 0;
                }
            }
            if (inPart > 0) {
                sums.add(HexFormat.of().formatHex(digest.digest()));
            }
            return sums;
        } catch (IOException e) {
            throw new RenderException("upload", "cannot read " + file.getFileName() + ": " + e.getMessage(), false);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * PUTs {@code length} bytes of {@code file} from {@code offset} with the grant's headers; returns the ETag. A 412 (the
     * grant's If-None-Match: * found an object at the key) is an earlier upload of the same bytes: done, no ETag.
     */
    private String put(String url, Path file, long offset, long length, Map<String, String> headers)
            throws IOException, InterruptedException {
        HttpRequest.BodyPublisher body = offset == 0 && length == Files.size(file)
                ? HttpRequest.BodyPublishers.ofFile(file)
                : HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> slice(file, offset, length)),
                        length);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(5)).PUT(body);
        headers.forEach(request::header);
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 412 && "*".equals(headers.get("If-None-Match"))) {
            LOG.infof("the object is already at its key (412 to If-None-Match: *): an earlier upload of these bytes");
            return "";
        }
        if (response.statusCode() / 100 != 2) {
            boolean retryable = response.statusCode() >= 500 || response.statusCode() == 429;
            throw new HttpFailure("PUT answered " + response.statusCode() + ": " + abbreviate(response.body()), retryable);
        }
        return response.headers().firstValue("ETag").orElse("");
    }

    private static InputStream slice(Path file, long offset, long length) {
        try {
            FileChannel channel = FileChannel.open(file);
            channel.position(offset);
            InputStream in = Channels.newInputStream(channel);
            return new java.io.FilterInputStream(in) {
                private long left = length;

                @Override
                public int read() throws IOException {
                    if (left <= 0) {
                        return -1;
                    }
                    left--;
                    return super.read();
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    if (left <= 0) {
                        return -1;
                    }
                    int n = super.read(b, off, (int) Math.min(len, left));
                    if (n > 0) {
                        left -= n;
                    }
                    return n;
                }
            };
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A call to storage-service or S3. */
    public interface Step<T> {
        T run() throws Exception;
    }

    /**
     * Runs {@code step}, trying again with backoff while it fails for a reason that passes (unreachable, 5xx, 429) for up to
     * five minutes; a 4xx answer of storage-service throws {@link Refused} at once.
     */
    public <T> T retry(String what, RenderControl control, Step<T> step) {
        long giveUpAt = System.nanoTime() + PATIENCE.toNanos();
        for (int attempt = 1; ; attempt++) {
            control.throwIfStopped("upload");
            try {
                return step.run();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RenderException("upload", what + " interrupted", true);
            } catch (Exception e) {
                boolean retryable = !(e instanceof HttpFailure failure) || failure.retryable;
                if (e instanceof jakarta.ws.rs.WebApplicationException web) {
                    int status = web.getResponse().getStatus();
                    retryable = status >= 500 || status == 429;
                    if (!retryable) {
                        throw new Refused(what + " refused by storage-service: " + e.getMessage(), status);
                    }
                }
                if (!retryable || System.nanoTime() > giveUpAt) {
                    throw new RenderException("upload", what + " failed: " + e.getMessage(), retryable);
                }
                long pause = Math.min(LONGEST_PAUSE.toMillis(), 250L << Math.min(attempt, 6));
                LOG.warnf("%s failed (attempt %d), retrying in %d ms: %s", what, attempt, pause, e.getMessage());
                try {
                    Thread.sleep(pause);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new RenderException("upload", what + " interrupted", true);
                }
            }
        }
    }

    private static String abbreviate(String text) {
        return text == null ? "" : text.length() > 300 ? text.substring(0, 300) : text;
    }

    /** storage-service answered a 4xx (e.g. 404: the asset was deleted meanwhile); trying again will not help. */
    public static final class Refused extends RenderException {
        private final int status;

        Refused(String message, int status) {
            super("upload", message, false);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    private static final class HttpFailure extends IOException {
        private final boolean retryable;

        HttpFailure(String message, boolean retryable) {
            super(message);
            this.retryable = retryable;
        }
    }
}
