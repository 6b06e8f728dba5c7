package io.contentmachine.publish.platform.tiktok;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.contentmachine.publish.platform.tiktok.TikTokPublisher.ChunkPlan;
import org.junit.jupiter.api.Test;

/** FILE_UPLOAD arithmetic: total_chunk_count = floor(size / chunk), the last chunk absorbs the rest, small files whole. */
class TikTokChunkPlanTest {

    @Test
    void smallFilesAreOneChunk() {
        assertEquals(new ChunkPlan(4_999_999, 4_999_999, 1), ChunkPlan.of(4_999_999, 10_000_000));
        assertEquals(new ChunkPlan(5_100_000, 5_100_000, 1), ChunkPlan.of(5_100_000, 5_242_880));
        assertEquals(new ChunkPlan(9_000_000, 9_000_000, 1), ChunkPlan.of(9_000_000, 10_000_000));
    }

    @Test
    void theLastChunkAbsorbsTheRemainder() {
        ChunkPlan plan = ChunkPlan.of(25_000_001, 10_000_000);
        assertEquals(2, plan.totalChunkCount());
        assertEquals(10_000_000, plan.length(0));
        assertEquals(15_000_001, plan.length(1));
        assertEquals(10_000_000, plan.first(1));
        ChunkPlan exact = ChunkPlan.of(30_000_000, 10_000_000);
        assertEquals(3, exact.totalChunkCount());
        assertEquals(10_000_000, exact.length(2));
    }

    @Test
    void chunksStayWithinTheDocumentedBoundsAndCount() {
        ChunkPlan plan = ChunkPlan.of(20_000_000_000L, 10_000_000);
        assertTrue(plan.totalChunkCount() <= 1000, "count " + plan.totalChunkCount());
        assertTrue(plan.chunkSize() <= 64_000_000, "chunk " + plan.chunkSize());
        long sum = 0;
        for (int i = 0; i < plan.totalChunkCount(); i++) {
            sum += plan.length(i);
        }
        assertEquals(20_000_000_000L, sum);
        assertEquals(5_242_880, ChunkPlan.of(12_000_000, 1_000).chunkSize(), "at least 5 MiB per chunk: valid whether MB is 10^6 or 2^20");
    }
}
