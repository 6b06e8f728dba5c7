package io.contentmachine.render.video;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gate on videos made to miss the bar: one still picture and a quiet tone; then the same levelled. */
class QualityGateTest {

    @TempDir
    Path dir;

    @Test
    void stillQuietVideoFailsWithTheReasons() {
        ProcessRunner.run(List.of("ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "color=c=0x336699:s=270x480:r=30:d=8",
                "-f", "lavfi", "-i", "sine=f=440:d=8:sample_rate=48000", "-af", "volume=-32dB", "-c:v", "libx264", "-preset",
                "ultrafast", "-c:a", "aac", "-shortest", "still.mp4"), dir, RenderControl.unlimited(), "test");
        int[] outside = {40, 1700, 300, 120};
        Caption low = new Caption("too low", 1, 2, 60, outside, List.of());
        QualityGate.Figures f = new QualityGate("ffmpeg").measure(dir.resolve("still.mp4"), 8.0, List.of(low), dir,
                RenderControl.unlimited());
        assertEquals(0, f.cuts().size());
        assertEquals(8.0, f.longestWithoutCut(), 0.01);
        assertTrue(f.integratedLufs() < -30, "LUFS " + f.integratedLufs());
        List<String> problems = QualityGate.problems(f);
        assertEquals(3, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("8.0 s without a scene cut"), problems.get(0));
        assertTrue(problems.get(1).matches("integrated loudness -5\\d\\.\\d LUFS \\(target -14 ± 1\\)"), problems.get(1));
        assertEquals("1 of 1 captions outside the safe area (first: 'too low' at x 40, y 1700, 300 x 120)", problems.get(2));
        assertTrue(QualityGate.loudnessMissed(f));
    }

    @Test
    void loudnessIsLevelledToMinus14() {
        ProcessRunner.run(List.of("ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "sine=f=300:d=6:sample_rate=22050",
                "-af", "volume=-26dB", "quiet.wav"), dir, RenderControl.unlimited(), "test");
        new Loudness("ffmpeg").normalise(dir.resolve("quiet.wav"), dir.resolve("level.wav"), dir, RenderControl.unlimited());
        ProcessRunner.run(List.of("ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "color=c=black:s=270x480:r=30:d=6",
                "-i", "level.wav", "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", "-ar", "48000", "-shortest", "level.mp4"),
                dir, RenderControl.unlimited(), "test");
        QualityGate.Figures f = new QualityGate("ffmpeg").measure(dir.resolve("level.mp4"), 6.0, List.of(), dir,
                RenderControl.unlimited());
        assertEquals(-14, f.integratedLufs(), 1.0);
        assertTrue(f.truePeakDbtp() <= -1.0, "true peak " + f.truePeakDbtp());
    }
}
