package io.contentmachine.render.voice;

/** One word of the narration as written (punctuation kept) and when it is spoken, in seconds from the start of its audio. */
public record TimedWord(String text, double start, double end) {

    public TimedWord shifted(double seconds) {
        return new TimedWord(text, start + seconds, end + seconds);
    }
}
