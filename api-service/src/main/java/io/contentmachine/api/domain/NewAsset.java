package io.contentmachine.api.domain;

import java.util.List;

/**
 * A file an owner is about to upload to the media library, its shape checked by the api layer; which content types and sizes
 * the library takes is storage-service's rule (415, 413).
 */
public record NewAsset(String filename, String contentType, long sizeBytes, String sha256, String description, List<String> tags,
        String license, String attribution) {

    public static final int MAX_FILENAME = 255;
    public static final int MAX_DESCRIPTION = 2000;
    public static final int MAX_TAGS = 20;
    public static final int MAX_TAG = 50;
    public static final int MAX_CREDIT = 500;
}
