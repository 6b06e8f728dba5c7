package io.contentmachine.storage.assets;

import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.contentmachine.storage.config.StorageConfig;
import io.contentmachine.storage.objects.ObjectStore;

/**
 * Presigned upload grants for one key of the assets bucket, built like the video uploads' grants: a single PUT up to
 * {@code storage.multipart-threshold-bytes}, signed with the announced SHA-256 (x-amz-checksum-sha256, so the S3
 * server refuses other bytes), else a multipart upload with one presigned URL per part. Blocking: run it on the IoPool.
 */
@ApplicationScoped
public class AssetGrants {

    static final String SINGLE = "single";
    static final String MULTIPART = "multipart";

    private static final long MIN_PART = 5L << 20;
    private static final int MAX_PARTS = 10_000;

    private final ObjectStore store;
    private final StorageConfig config;

    AssetGrants(ObjectStore store, StorageConfig config) {
        this.store = store;
        this.config = config;
    }

    /** A grant: the URL and the headers to send with it (single), or the S3 multipart upload and its part URLs. */
    public record Grant(String method, URL url, Map<String, String> headers, String s3UploadId, int partCount, long partSizeBytes,
            List<PartUrl> parts) {
    }

    public record PartUrl(int partNumber, long sizeBytes, URL url) {
    }

    /** The grant for uploading {@code sizeBytes} of {@code contentType} with {@code sha256} to {@code key}. */
    public Grant grant(String key, long sizeBytes, String sha256, String contentType) {
        String bucket = config.buckets().assets();
        Duration ttl = config.uploadUrlTtl();
        if (sizeBytes <= config.multipartThresholdBytes()) {
            String checksum = ObjectStore.base64Sha256(sha256);
            URL url = store.presignPut(bucket, key, contentType, checksum, ttl);
            return new Grant(SINGLE, url, Map.of("Content-Type", contentType, "x-amz-checksum-sha256", checksum), null, 1, sizeBytes,
                    null);
        }
        long partSize = Math.max(Math.max(MIN_PART, config.partSizeBytes()), (sizeBytes + MAX_PARTS - 1) / MAX_PARTS);
        int partCount = (int) ((sizeBytes + partSize - 1) / partSize);
        String uploadId = store.startMultipart(bucket, key, contentType);
        List<PartUrl> parts = new ArrayList<>(partCount);
        for (int n = 1; n <= partCount; n++) {
            long size = n < partCount ? partSize : sizeBytes - partSize * (partCount - 1);
            parts.add(new PartUrl(n, size, store.presignPart(bucket, key, uploadId, n, ttl)));
        }
        return new Grant(MULTIPART, null, null, uploadId, partCount, partSize, parts);
    }
}
