package io.contentmachine.storage.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of the object store this service alone owns; every key is overridable by env (STORAGE_S3_ENDPOINT, ...). */
@ConfigMapping(prefix = "storage")
public interface StorageConfig {

    S3 s3();

    Buckets buckets();

    /** The media library: owners' clips, images and music (docs/MEDIA-LIBRARY.md). */
    Assets assets();

    /** Largest upload a grant is given for; beyond it the grant is refused with 413. */
    @WithDefault("2147483648")
    long maxUploadBytes();

    /** Uploads larger than this get a multipart grant (presigned part URLs) instead of one presigned PUT. */
    @WithDefault("67108864")
    long multipartThresholdBytes();

    /** Size of every part of a multipart grant but the last (S3 wants at least 5 MiB). */
    @WithDefault("67108864")
    long partSizeBytes();

    /** Objects larger than this are copied server-side in parts (UploadPartCopy): S3's CopyObject takes at most 5 GiB. */
    @WithDefault("5368709120")
    long copyThresholdBytes();

    /** Size of every part of such a copy but the last (S3: 5 MiB to 5 GiB). */
    @WithDefault("536870912")
    long copyPartSizeBytes();

    /**
     * Whether every grant signs SHA-256 checksums: a single PUT the announced one (header x-amz-checksum-sha256, listed
     * in the grant's {@code headers}), a multipart upload one per part (the uploader sends {@code partSizeBytes} and
     * {@code partSha256}; a multipart-sized request without them is refused). The S3 server then refuses other bytes
     * and finalize checks the object with a HEAD instead of reading it. Off: grants without checksums, read back at finalize.
     */
    @WithDefault("true")
    boolean requireUploadChecksum();

    /**
     * Whether finalize trusts the checksum the S3 server reports in a HEAD (x-amz-checksum-sha256, verified by the server
     * as the bytes arrived): true for AWS S3, MinIO and S3Proxy 4.1 (docs/RELIABILITY.md, "Storage"). Off for a server
     * that stores the header without checking the bytes: finalize then streams the object through SHA-256 (a read-back).
     * An object whose HEAD reports no SHA-256 at all is read back either way.
     */
    @WithDefault("true")
    boolean trustServerChecksums();

    /** How long the presigned URLs of an upload grant stay valid. */
    @WithDefault("PT1H")
    Duration uploadUrlTtl();

    /**
     * Grants never finalized (no video row for their key) older than this are removed by the sweeper, with their objects
     * and open multipart uploads; so are staged objects left in the (legacy) staging bucket.
     */
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

        /** Owners' assets: originals under originals/{ownerId}/{assetId}, normalised copies under normalised/... */
        @WithDefault("assets")
        String assets();
    }

    interface Assets {

        /**
         * Largest asset (original or normalised copy) a grant is given for; beyond it the grant is refused with 413.
         */
        @WithDefault("524288000")
        long maxSizeBytes();

        /**
         * How long after its grant expired an asset upload that was never completed is kept: then the sweeper removes
         * its row and any object (a PUT started just before the expiry may still be finishing).
         */
        @WithDefault("PT15M")
        Duration abandonAfter();

        /** How long the presigned GET of a ready asset's normalised copy ({@code previewUrl}) stays valid. */
        @WithDefault("PT1H")
        Duration previewTtl();
    }
}
