package io.contentmachine.storage.assets;

import java.time.Duration;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import io.contentmachine.storage.api.ClientError;
import io.contentmachine.storage.config.StorageConfig;
import io.contentmachine.storage.objects.ObjectStore;
import io.contentmachine.storage.objects.ObjectStore.Digest;
import org.jboss.logging.Logger;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The object half of the media library (blocking; run it on the IoPool): completes multipart uploads, checks an
 * uploaded object against its grant, removes an asset's objects. A single PUT's SHA-256 was checked by the S3 server
 * (the grant signs it) and is read from the HEAD; only where the server reports none (multipart) is the object read.
 */
@ApplicationScoped
public class AssetObjects {

    private static final Logger LOG = Logger.getLogger(AssetObjects.class);

    private final ObjectStore store;
    private final String bucket;

    AssetObjects(ObjectStore store, StorageConfig config) {
        this.store = store;
        this.bucket = config.buckets().assets();
    }

    /** A part the uploader sent, with the ETag S3 answered. */
    public record Part(int partNumber, String etag) {
    }

    /** Completes the multipart upload {@code s3UploadId} of {@code key} with the uploader's parts (400 when S3 refuses them). */
    public void complete(String key, String s3UploadId, int partCount, List<Part> parts) {
        String problem = checkParts(parts, partCount);
        if (problem != null) {
            throw ClientError.badRequest(problem);
        }
        List<CompletedPart> completed = parts.stream().sorted(Comparator.comparingInt(Part::partNumber))
                .map(p -> CompletedPart.builder().partNumber(p.partNumber()).eTag(p.etag()).build()).toList();
        try {
            store.completeMultipart(bucket, key, s3UploadId, completed);
        } catch (S3Exception e) {
            if (e.statusCode() >= 500) {
                throw e;
            }
            if (store.head(bucket, key).isPresent()) {
                // completed before (a retried call): the object is checked like any other
                LOG.debugf("multipart upload of %s already completed", key);
                return;
            }
            String code = e.awsErrorDetails() == null ? String.valueOf(e.statusCode()) : e.awsErrorDetails().errorCode();
            throw ClientError.badRequest("S3 refused to complete the upload: " + code);
        }
    }

    /** Null when {@code key} holds {@code sizeBytes} bytes with {@code sha256}, else what is wrong. */
    public String mismatch(String key, long sizeBytes, String sha256) {
        Optional<HeadObjectResponse> head = store.head(bucket, key);
        if (head.isEmpty()) {
            return "nothing was uploaded to " + key;
        }
        if (head.get().contentLength() != sizeBytes) {
            return "size mismatch: announced " + sizeBytes + " bytes, object has " + head.get().contentLength();
        }
        if (ObjectStore.base64Sha256(sha256).equals(head.get().checksumSHA256())) {
            return null;
        }
        Optional<Digest> digest = store.sha256(bucket, key);
        if (digest.isEmpty()) {
            return "nothing was uploaded to " + key;
        }
        if (digest.get().sizeBytes() != sizeBytes) {
            return "size mismatch: announced " + sizeBytes + " bytes, read " + digest.get().sizeBytes();
        }
        if (!digest.get().sha256().equals(sha256)) {
            return "sha256 mismatch: announced " + sha256 + ", object has " + digest.get().sha256();
        }
        return null;
    }

    /** Removes the object at {@code key} and aborts its multipart upload if one is open (either may be null). */
    public void remove(String key, String s3UploadId) {
        if (key == null) {
            return;
        }
        if (s3UploadId != null) {
            store.abortMultipart(bucket, key, s3UploadId);
        }
        store.delete(bucket, List.of(key));
    }

    /** Removes every object of the asset: original and normalised copy, with their open multipart uploads. */
    public void removeAll(Asset asset) {
        remove(asset.originalKey, asset.s3UploadId);
        remove(asset.normalisedKey, asset.normalisedS3UploadId);
    }

    /** A presigned GET of {@code key}, answered with {@code contentType}. */
    public String presignGet(String key, String contentType, Duration ttl) {
        return store.presignGet(bucket, key, contentType, ttl).toString();
    }

    private static String checkParts(List<Part> parts, int expected) {
        if (parts == null || parts.isEmpty()) {
            return "parts must list every uploaded part of the multipart upload";
        }
        Set<Integer> numbers = new HashSet<>();
        for (Part part : parts) {
            if (part.partNumber() < 1 || part.partNumber() > expected) {
                return "partNumber " + part.partNumber() + " is outside 1.." + expected;
            }
            if (!numbers.add(part.partNumber())) {
                return "partNumber " + part.partNumber() + " is listed twice";
            }
        }
        if (numbers.size() != expected) {
            return "expected " + expected + " parts, got " + numbers.size();
        }
        return null;
    }
}
