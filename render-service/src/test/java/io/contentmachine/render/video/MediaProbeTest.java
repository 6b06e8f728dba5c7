package io.contentmachine.render.video;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The check a rendered file must pass before upload; a failure becomes the reason of video.failed. */
class MediaProbeTest {

    private static MediaProbe.Facts facts(int width, int height, String audio, double seconds) {
        return new MediaProbe.Facts("h264", "yuv420p", width, height, "30/1", audio, 48000, seconds);
    }

    @Test
    void goodVideoPasses() {
        assertTrue(MediaProbe.problems(facts(1080, 1920, "aac", 31.5), 30).isEmpty());
        assertTrue(MediaProbe.problems(facts(1080, 1920, "aac", 27.1), 30).isEmpty());
    }

    @Test
    void everyProblemIsNamed() {
        List<String> problems = MediaProbe.problems(facts(1920, 1080, null, 40), 30);
        assertEquals(3, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("resolution is 1920x1080"));
        assertTrue(problems.get(1).contains("audio stream is null"));
        assertTrue(problems.get(2).contains("duration is 40.0 s, more than 10% away from the requested 30 s"));
        assertEquals(1, MediaProbe.problems(facts(1080, 1920, "aac", 26.9), 30).size());
        assertEquals(1, MediaProbe.problems(new MediaProbe.Facts("hevc", "yuv420p", 1080, 1920, "30/1", "aac", 48000, 30), 30).size());
    }
}
