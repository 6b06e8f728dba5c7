package io.contentmachine.render.video;

/** A group of words on screen from {@code start} to {@code end} seconds of the video. */
public record Caption(String text, double start, double end) {
}
