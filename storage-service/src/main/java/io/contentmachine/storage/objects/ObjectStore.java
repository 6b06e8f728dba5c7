package io.contentmachine.storage.objects;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URL;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import io.contentmachine.storage.config.StorageConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.jboss.logging.Logger;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.BucketAlreadyExistsException;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.UploadPartCopyResponse;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Every S3 call of the service, blocking (run them on {@link IoPool}). Presigned URLs are signed for
 * {@code storage.s3.public-endpoint}, the address uploaders, browsers and platforms reach; the service itself talks to
 * {@code storage.s3.endpoint} through the client configured by quarkus-amazon-s3 (quarkus.s3.*).
 */
@ApplicationScoped
public class ObjectStore {

    private static final Logger LOG = Logger.getLogger(ObjectStore.class);
    private static final int HASH_BUFFER = 1 << 20;

    private static final long MIN_PART = 5L << 20;
    private static final int MAX_PARTS = 10_000;

    private final S3Client s3;
    private final S3Presigner presigner;
    private final long copyThreshold;
    private final long copyPartSize;
    private final MeterRegistry meters;

    ObjectStore(S3Client s3, StorageConfig config, MeterRegistry meters) {
        this.s3 = s3;
        this.meters = meters;
        this.copyThreshold = config.copyThresholdBytes();
        this.copyPartSize = Math.max(MIN_PART, config.copyPartSizeBytes());
        this.presigner = S3Presigner.builder()
                .endpointOverride(URI.create(config.s3().publicEndpoint()))
                .region(Region.of(config.s3().region()))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(config.s3().accessKeyId(), config.s3().secretAccessKey())))
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
                .build();
    }

    @PreDestroy
    void close() {
        presigner.close();
    }

    /** Creates the bucket unless it exists (idempotent, also against a concurrent replica). */
    public void ensureBucket(String bucket) {
        if (bucketReachable(bucket)) {
            return;
        }
        try {
            s3.createBucket(b -> b.bucket(bucket));
            LOG.infof("created bucket %s", bucket);
        } catch (BucketAlreadyOwnedByYouException | BucketAlreadyExistsException e) {
            LOG.debugf("bucket %s already exists", bucket);
        }
    }

    /** True when the bucket exists and these credentials may use it; throws when S3 cannot be reached at all. */
    public boolean bucketReachable(String bucket) {
        try {
            s3.headBucket(b -> b.bucket(bucket));
            return true;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw e;
        }
    }

    /** Asks the server to expire objects after {@code days}; S3Proxy has no lifecycle rules, MinIO and AWS do. */
    public boolean expireAfter(String bucket, int days) {
        try {
            s3.putBucketLifecycleConfiguration(b -> b.bucket(bucket).lifecycleConfiguration(l -> l.rules(r -> r
                    .id("expire-staged").status("Enabled").filter(f -> f.prefix(""))
                    .expiration(e -> e.days(days))
                    .abortIncompleteMultipartUpload(a -> a.daysAfterInitiation(days)))));
            return true;
        } catch (S3Exception e) {
            LOG.infof("bucket %s: no lifecycle rule (%s); the staging sweeper removes stale objects", bucket, e.getMessage());
            return false;
        }
    }

    /** The object's facts, with the checksums the server verified when it was written (where it has any). */
    public Optional<HeadObjectResponse> head(String bucket, String key) {
        try {
            return Optional.of(s3.headObject(b -> b.bucket(bucket).key(key).checksumMode(ChecksumMode.ENABLED)));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /**
     * Streams the object through SHA-256 with a fixed buffer (constant memory); empty when it does not exist. The bytes
     * read are counted (storage.verify.read, per bucket): what verification costs, and zero for server-verified uploads.
     */
    public Optional<Digest> sha256(String bucket, String key) {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        long total = 0;
        try (ResponseInputStream<GetObjectResponse> in = s3.getObject(b -> b.bucket(bucket).key(key))) {
            byte[] buffer = new byte[HASH_BUFFER];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                digest.update(buffer, 0, n);
                total += n;
            }
            return Optional.of(new Digest(HexFormat.of().formatHex(digest.digest()), total));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + bucket + "/" + key, e);
        } finally {
            verifyRead(bucket).increment(total);
        }
    }

    /** The counter of bytes read back to verify objects of {@code bucket}. */
    private Counter verifyRead(String bucket) {
        return Counter.builder("storage.verify.read").baseUnit("bytes").tag("bucket", bucket)
                .description("Bytes read back from S3 to verify an object's SHA-256 (none for uploads the server verified)")
                .register(meters);
    }

    /**
     * Server-side copy (no bytes through this service), setting the content type and our own metadata. Objects over
     * {@code storage.copy-threshold-bytes} are copied as a multipart upload of byte ranges (UploadPartCopy), since
     * CopyObject is limited to 5 GiB.
     */
    public void copy(String fromBucket, String fromKey, long sizeBytes, String toBucket, String toKey, String contentType,
            Map<String, String> metadata) {
        if (sizeBytes <= copyThreshold) {
            s3.copyObject(b -> b.sourceBucket(fromBucket).sourceKey(fromKey).destinationBucket(toBucket).destinationKey(toKey)
                    .metadataDirective(MetadataDirective.REPLACE).contentType(contentType).metadata(metadata));
            return;
        }
        // S3 allows at most 10,000 parts: grow the parts for very large objects
        long partSize = Math.max(copyPartSize, (sizeBytes + MAX_PARTS - 1) / MAX_PARTS);
        String uploadId = s3.createMultipartUpload(b -> b.bucket(toBucket).key(toKey).contentType(contentType).metadata(metadata))
                .uploadId();
        try {
            List<CompletedPart> parts = new ArrayList<>();
            for (long offset = 0; offset < sizeBytes; offset += partSize) {
                int partNumber = parts.size() + 1;
                String range = "bytes=" + offset + "-" + (Math.min(sizeBytes, offset + partSize) - 1);
                UploadPartCopyResponse part = s3.uploadPartCopy(b -> b.sourceBucket(fromBucket).sourceKey(fromKey)
                        .destinationBucket(toBucket).destinationKey(toKey).uploadId(uploadId).partNumber(partNumber)
                        .copySourceRange(range));
                parts.add(CompletedPart.builder().partNumber(partNumber).eTag(part.copyPartResult().eTag()).build());
            }
            completeMultipart(toBucket, toKey, uploadId, parts);
            LOG.debugf("copied %s/%s to %s/%s in %d parts", fromBucket, fromKey, toBucket, toKey, parts.size());
        } catch (RuntimeException e) {
            abortMultipart(toBucket, toKey, uploadId);
            throw e;
        }
    }

    /** Deletes the keys; missing keys are fine. */
    public void delete(String bucket, List<String> keys) {
        if (keys.isEmpty()) {
            return;
        }
        for (int from = 0; from < keys.size(); from += 1000) {
            List<ObjectIdentifier> batch = keys.subList(from, Math.min(keys.size(), from + 1000)).stream()
                    .map(k -> ObjectIdentifier.builder().key(k).build()).toList();
            s3.deleteObjects(b -> b.bucket(bucket).delete(Delete.builder().objects(batch).quiet(true).build()));
        }
    }

    /** Keys under {@code prefix}, with their last-modified time. */
    public List<S3Object> list(String bucket, String prefix) {
        List<S3Object> all = new ArrayList<>();
        s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents().forEach(all::add);
        return all;
    }

    public void deletePrefix(String bucket, String prefix) {
        delete(bucket, list(bucket, prefix).stream().map(S3Object::key).toList());
    }

    /** A presigned PUT; with {@code sha256Base64} the signed x-amz-checksum-sha256 header makes the server check the bytes. */
    public URL presignPut(String bucket, String key, String contentType, String sha256Base64, Duration ttl) {
        return presigner.presignPutObject(p -> p.signatureDuration(ttl)
                .putObjectRequest(r -> r.bucket(bucket).key(key).contentType(contentType).checksumSHA256(sha256Base64))).url();
    }

    /**
     * A presigned PUT that only writes a new object: the signed {@code If-None-Match: *} makes the server refuse (412) a key
     * that already exists, and the signed x-amz-checksum-sha256 (when given) makes it refuse other bytes (400 BadDigest).
     * The uploader must send both headers as signed.
     */
    public URL presignCreate(String bucket, String key, String contentType, String sha256Base64, Duration ttl) {
        return presigner.presignPutObject(p -> p.signatureDuration(ttl).putObjectRequest(r -> r.bucket(bucket).key(key)
                .contentType(contentType).checksumSHA256(sha256Base64).ifNoneMatch("*"))).url();
    }

    /**
     * Starts a multipart upload whose parts carry SHA-256 checksums: the object's checksum is then the composite one,
     * SHA-256 of the parts' digests with "-{part count}" ({@link #compositeSha256}).
     */
    public String startChecksummedMultipart(String bucket, String key, String contentType) {
        return s3.createMultipartUpload(b -> b.bucket(bucket).key(key).contentType(contentType)
                .checksumAlgorithm(ChecksumAlgorithm.SHA256)).uploadId();
    }

    /** A presigned part PUT with the part's SHA-256 signed (header x-amz-checksum-sha256): the server refuses other bytes. */
    public URL presignPart(String bucket, String key, String uploadId, int partNumber, String sha256Base64, Duration ttl) {
        return presigner.presignUploadPart(p -> p.signatureDuration(ttl).uploadPartRequest(r -> r.bucket(bucket).key(key)
                .uploadId(uploadId).partNumber(partNumber).checksumSHA256(sha256Base64))).url();
    }

    /**
     * Completes a multipart upload only where no object has the key yet ({@code If-None-Match: *}; the server answers 412
     * otherwise). Each part's SHA-256 (base64, may be null) is sent as the server wants it for a checksummed upload.
     */
    public void completeMultipartIfAbsent(String bucket, String key, String uploadId, List<CompletedPart> parts) {
        s3.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId).ifNoneMatch("*")
                .multipartUpload(CompletedMultipartUpload.builder().parts(parts).build()));
    }

    /** The composite checksum S3 reports for a multipart object whose parts had these SHA-256 digests (hex). */
    public static String compositeSha256(List<String> partSha256Hex) {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        partSha256Hex.forEach(hex -> digest.update(HexFormat.of().parseHex(hex)));
        return Base64.getEncoder().encodeToString(digest.digest()) + "-" + partSha256Hex.size();
    }

    public String startMultipart(String bucket, String key, String contentType) {
        return s3.createMultipartUpload(b -> b.bucket(bucket).key(key).contentType(contentType)).uploadId();
    }

    public URL presignPart(String bucket, String key, String uploadId, int partNumber, Duration ttl) {
        return presigner.presignUploadPart(p -> p.signatureDuration(ttl)
                .uploadPartRequest(r -> r.bucket(bucket).key(key).uploadId(uploadId).partNumber(partNumber))).url();
    }

    /** Completes a multipart upload; the server checks every part's ETag. */
    public void completeMultipart(String bucket, String key, String uploadId, List<CompletedPart> parts) {
        s3.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId)
                .multipartUpload(CompletedMultipartUpload.builder().parts(parts).build()));
    }

    /** Aborts a multipart upload; one that is already gone (completed or aborted) is fine. */
    public void abortMultipart(String bucket, String key, String uploadId) {
        try {
            s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId));
        } catch (NoSuchUploadException e) {
            LOG.debugf("multipart upload %s of %s already gone", uploadId, key);
        } catch (S3Exception e) {
            if (e.statusCode() != 404) {
                throw e;
            }
        }
    }

    /** Multipart uploads the server still holds open in the bucket (empty where the server cannot list them). */
    public List<MultipartUpload> openMultipartUploads(String bucket) {
        try {
            List<MultipartUpload> all = new ArrayList<>();
            s3.listMultipartUploadsPaginator(b -> b.bucket(bucket)).uploads().forEach(all::add);
            return all;
        } catch (S3Exception e) {
            LOG.debugf("bucket %s: cannot list multipart uploads (%s)", bucket, e.getMessage());
            return List.of();
        }
    }

    public URL presignGet(String bucket, String key, String contentType, Duration ttl) {
        return presigner.presignGetObject(p -> p.signatureDuration(ttl)
                .getObjectRequest(r -> r.bucket(bucket).key(key).responseContentType(contentType))).url();
    }

    /** The S3 form of a SHA-256 (base64 of the digest) from its hex form. */
    public static String base64Sha256(String hex) {
        return Base64.getEncoder().encodeToString(HexFormat.of().parseHex(hex));
    }

    /** What streaming an object through SHA-256 found. */
    public record Digest(String sha256, long sizeBytes) {
    }

    /** Objects of {@code bucket} last modified before {@code cutoff}. */
    public List<String> keysOlderThan(String bucket, Instant cutoff) {
        return list(bucket, "").stream().filter(o -> o.lastModified().isBefore(cutoff)).map(S3Object::key).toList();
    }
}
