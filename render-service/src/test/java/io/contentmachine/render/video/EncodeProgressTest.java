package io.contentmachine.render.video;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading ffmpeg's -progress file: the newest complete out_time_us, mapped to percent, passed on in steps of 10. */
class EncodeProgressTest {

    @TempDir
    Path dir;

    private static String block(long outTimeMicros) {
        return "frame=1\nfps=0.00\nout_time_us=" + outTimeMicros + "\nout_time_ms=" + outTimeMicros + "\nprogress=continue\n";
    }

    @Test
    void reportsTheNewestTimeInStepsOfTenPercent() throws Exception {
        Path file = dir.resolve("progress.txt");
        List<Integer> heard = new ArrayList<>();
        EncodeProgress progress = new EncodeProgress(file, 20.0, heard::add);

        progress.run(); // no file yet
        Files.writeString(file, "frame=0\nout_time_us=N/A\nprogress=continue\n");
        progress.run();
        assertEquals(List.of(), heard);

        Files.writeString(file, block(1_000_000) + block(3_100_000)); // 15.5%
        progress.run();
        Files.writeString(file, block(4_000_000), java.nio.file.StandardOpenOption.APPEND); // 20%: only 5 points on
        progress.run();
        Files.writeString(file, block(6_000_000) + "frame=99\nout_time_us=19", java.nio.file.StandardOpenOption.APPEND);
        progress.run(); // 30%; the half-written last line is not read
        Files.writeString(file, block(25_000_000), java.nio.file.StandardOpenOption.APPEND);
        progress.run(); // past the end: capped at 99 until the caller says 100
        assertEquals(List.of(15, 30, 99), heard);
    }

    @Test
    void readsOnlyTheTailOfALongFile() throws Exception {
        Path file = dir.resolve("progress.txt");
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 500; i++) {
            text.append(block(i * 10_000L));
        }
        Files.writeString(file, text);
        assertEquals(4_990_000L, new EncodeProgress(file, 60, p -> { }).lastOutTimeMicros());
    }
}
