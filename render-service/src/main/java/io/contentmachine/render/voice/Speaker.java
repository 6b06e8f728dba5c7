package io.contentmachine.render.voice;

import java.nio.file.Path;

import io.contentmachine.render.video.RenderControl;

/** Speaks one piece of text into a 16-bit mono WAV file in the render's folder. */
public interface Speaker {

    /**
     * @param pace 1.0 is the voice's natural speed, 1.2 is 20% faster
     * @param name file name (without extension) for the audio, unique within {@code dir}
     */
    Wav speak(String text, Voice voice, double pace, Path dir, String name, RenderControl control);
}
