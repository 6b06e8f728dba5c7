package io.contentmachine.sandbox.tiktok;

import java.util.Optional;

import io.contentmachine.sandbox.config.SandboxConfig;

/** FILE_UPLOAD chunk arithmetic: video_size, chunk_size and total_chunk_count as TikTok checks them. */
record ChunkPlan(long videoSize, long chunkSize, int chunkCount) {

    /** Why these numbers are refused, if they are. */
    static Optional<String> problem(long videoSize, long chunkSize, long chunkCount, SandboxConfig.TikTok limits) {
        if (videoSize <= 0 || chunkSize <= 0 || chunkCount <= 0) {
            return Optional.of("video_size, chunk_size and total_chunk_count must be positive integers");
        }
        if (videoSize < limits.minChunkBytes()) {
            return chunkSize == videoSize && chunkCount == 1 ? Optional.empty()
                    : Optional.of("a video under " + limits.minChunkBytes() + " bytes is uploaded whole: chunk_size must equal "
                    + "video_size and total_chunk_count must be 1");
        }
        if (chunkSize < limits.minChunkBytes() || chunkSize > limits.maxChunkBytes()) {
            return Optional.of("chunk_size must be between " + limits.minChunkBytes() + " and " + limits.maxChunkBytes() + " bytes");
        }
        if (chunkSize > videoSize) {
            return Optional.of("chunk_size must not exceed video_size");
        }
        long expected = videoSize / chunkSize;
        if (chunkCount != expected) {
            return Optional.of("total_chunk_count must be floor(video_size / chunk_size) = " + expected + ", got " + chunkCount);
        }
        if (chunkCount > limits.maxChunkCount()) {
            return Optional.of("total_chunk_count must be at most " + limits.maxChunkCount());
        }
        long last = videoSize - (chunkCount - 1) * chunkSize;
        if (last > limits.maxFinalChunkBytes()) {
            return Optional.of("the final chunk would be " + last + " bytes, more than " + limits.maxFinalChunkBytes());
        }
        return Optional.empty();
    }

    long firstByte(int index) {
        return index * chunkSize;
    }

    long length(int index) {
        return index == chunkCount - 1 ? videoSize - (long) (chunkCount - 1) * chunkSize : chunkSize;
    }
}
