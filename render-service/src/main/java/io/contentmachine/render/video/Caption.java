package io.contentmachine.render.video;

import java.util.List;

/**
 * A group of words on screen from {@code start} to {@code end} seconds of the video, laid out in at most two lines on a
 * panel ({@code box}: x, y, width, height in pixels of the 1080x1920 frame); each word is highlighted while it is spoken.
 */
public record Caption(String text, double start, double end, int size, int[] box, List<Word> words) {

    /** A word placed at {@code x} (left) on the line whose baseline is {@code baseline}, spoken from start to end. */
    public record Word(String text, java.nio.file.Path font, int x, int baseline, int width, double start, double end) {
    }
}
