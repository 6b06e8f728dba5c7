package io.contentmachine.storage.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of the object store this service alone owns; every key is overridable by env (STORAGE_S3_ENDPOINT, ...). */
@ConfigMapping(prefix = "storage")
public interface StorageConfig {

    S3 s3();

    Buckets buckets();

    /** Largest upload a grant is given for; beyond it the grant is refused with 413. */
    @WithDefault("2147483648")
    long maxUploadBytes();

    /** Uploads larger than this get a multipart grant (presigned part URLs) instead of one presigned PUT. */
    @WithDefault("67108864")
    long multipartThresholdBytes();

    /** Size of every part of a multipart grant but the last (S3 wants at least 5 MiB). */
    @WithDefault("67108864")
    long partSizeBytes();

    /** How long the presigned URLs of an upload grant stay valid. */
    @WithDefault("PT1H")
    Duration uploadUrlTtl();

    /** Staged objects and unfinished multipart uploads older than this are removed by the sweeper. */
    @WithDefault("P1D")
    Duration stagingTtl();

    /** How often the staging sweeper runs (read by its @Scheduled expression). */
    @WithDefault("1h")
    String sweepInterval();

    /** Threads that stream objects for verification (SHA-256) and run other blocking S3 calls. */
    @WithDefault("4")
    int ioThreads();

    interface S3 {

        /** Where this service reaches S3 (MinIO, S3Proxy, AWS). */
        String endpoint();

        /** What browsers and platforms reach; presigned URLs are signed for it. */
        String publicEndpoint();

        @WithDefault("us-east-1")
        String region();

        String accessKeyId();

        String secretAccessKey();
    }

    interface Buckets {

        @WithDefault("videos")
        String videos();

        @WithDefault("staging")
        String staging();
    }
}
