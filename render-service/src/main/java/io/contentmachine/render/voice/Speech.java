package io.contentmachine.render.voice;

import java.util.List;

/**
 * Spoken text: the audio and, when the synthesizer reports them, the times of its words (one per whitespace-separated
 * word of the text, in order); empty when the engine cannot say when each word is spoken.
 */
public record Speech(Wav wav, List<TimedWord> words) {

    public static Speech untimed(Wav wav) {
        return new Speech(wav, List.of());
    }

    public boolean timed() {
        return !words.isEmpty();
    }
}
