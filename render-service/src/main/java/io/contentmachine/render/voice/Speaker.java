package io.contentmachine.render.voice;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.contentmachine.render.video.RenderControl;

/** Speaks one piece of text into a 16-bit mono WAV file in the render's folder. */
public interface Speaker {

    /**
     * @param pace 1.0 is the voice's natural speed, 1.2 is 20% faster
     * @param name file name (without extension) for the audio, unique within {@code dir}
     */
    Wav speak(String text, Voice voice, double pace, Path dir, String name, RenderControl control);

    /** As {@link #speak}, with the words' times when the engine reports them (the default: it does not). */
    default Speech speakTimed(String text, Voice voice, double pace, Path dir, String name, RenderControl control) {
        return Speech.untimed(speak(text, voice, pace, dir, name, control));
    }

    /** Speaks each text into {@code <prefix>-<n>} (n from 1); engines with a slow start override it to speak all in one go. */
    default List<Speech> speakAll(List<String> texts, Voice voice, double pace, Path dir, String prefix, RenderControl control) {
        List<Speech> speeches = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            control.throwIfStopped("voice");
            speeches.add(speakTimed(texts.get(i), voice, pace, dir, prefix + "-" + (i + 1), control));
        }
        return speeches;
    }
}
