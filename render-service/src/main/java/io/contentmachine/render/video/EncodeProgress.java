package io.contentmachine.render.video;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.function.IntConsumer;

/**
 * Follows the file ffmpeg writes with {@code -progress} (key=value blocks, about every 0.5 s) and reports how far the
 * encode is, as a percent of the video's duration (0..99; the caller says 100 once the video is checked). Reports are
 * throttled: a new percent is passed on when it is at least 10 points further or 2 s have passed since the last one.
 */
final class EncodeProgress implements Runnable {

    private static final String KEY = "out_time_us=";
    private static final long MIN_INTERVAL_NANOS = 2_000_000_000L;
    private static final int MIN_STEP = 10;

    private final Path file;
    private final double durationSeconds;
    private final IntConsumer listener;
    /** The stage began at 0 (the worker said so). */
    private int reported;
    private long reportedAt = System.nanoTime();

    EncodeProgress(Path file, double durationSeconds, IntConsumer listener) {
        this.file = file;
        this.durationSeconds = durationSeconds;
        this.listener = listener;
    }

    @Override
    public void run() {
        int percent = percent(lastOutTimeMicros());
        long now = System.nanoTime();
        if (percent > reported && (percent - reported >= MIN_STEP || now - reportedAt >= MIN_INTERVAL_NANOS)) {
            reported = percent;
            reportedAt = now;
            listener.accept(percent);
        }
    }

    int percent(long outTimeMicros) {
        if (outTimeMicros < 0) {
            return -1;
        }
        return (int) Math.max(0, Math.min(99, Math.floor(outTimeMicros / 1e4 / durationSeconds)));
    }

    /** The newest out_time_us in the file (only its tail is read), or -1 when there is none yet. */
    long lastOutTimeMicros() {
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            long length = in.length();
            int tail = (int) Math.min(length, 2048);
            byte[] bytes = new byte[tail];
            in.seek(length - tail);
            in.readFully(bytes);
            String text = new String(bytes, StandardCharsets.US_ASCII);
            // the newest complete line: ffmpeg may be writing the last one right now
            for (int at = text.lastIndexOf(KEY); at >= 0; at = text.lastIndexOf(KEY, at - 1)) {
                int end = text.indexOf('\n', at);
                if (end > 0) {
                    return Long.parseLong(text.substring(at + KEY.length(), end).strip());
                }
            }
            return -1;
        } catch (IOException | NumberFormatException e) {
            // not written yet, or a block still being written ("N/A" at the start): no news this time
            return -1;
        }
    }
}
