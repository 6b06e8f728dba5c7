package io.contentmachine.render.video;

import java.util.ArrayList;
import java.util.List;

import io.contentmachine.render.voice.TimedWord;
import io.contentmachine.render.voice.Wav;

/**
 * Estimates when each word is spoken, for engines that do not say (espeak-ng here, OpenAI-compatible speech servers).
 * The audio is split into spans of speech at its pauses; when the pauses match the text's phrase breaks (punctuation),
 * each phrase gets its own span, otherwise the whole speech span is used. Within a span, words get time in proportion
 * to their length.
 */
public final class CaptionTimer {

    private CaptionTimer() {
    }

    /** Every whitespace-separated word of {@code text} with its estimated time in seconds of {@code audio}. */
    public static List<TimedWord> estimate(String text, Wav audio) {
        String[] words = text.strip().split("\\s+");
        List<List<String>> phrases = new ArrayList<>();
        List<String> current = new ArrayList<>();
        for (String word : words) {
            current.add(word);
            if (word.matches(".*[,.;:!?…][\"'”»)]*$")) {
                phrases.add(current);
                current = new ArrayList<>();
            }
        }
        if (!current.isEmpty()) {
            phrases.add(current);
        }
        List<double[]> spans = audio.speechSpans(0.12);
        if (spans.isEmpty()) {
            spans = List.of(new double[] {0, audio.seconds()});
        }
        if (spans.size() != phrases.size()) {
            List<String> all = new ArrayList<>();
            phrases.forEach(all::addAll);
            phrases = List.of(all);
            spans = List.of(new double[] {spans.get(0)[0], spans.get(spans.size() - 1)[1]});
        }
        List<TimedWord> timed = new ArrayList<>();
        for (int p = 0; p < phrases.size(); p++) {
            List<String> phrase = phrases.get(p);
            double t = spans.get(p)[0];
            double length = spans.get(p)[1] - t;
            double total = phrase.stream().mapToDouble(CaptionTimer::weight).sum();
            for (String word : phrase) {
                double share = weight(word) / total * length;
                timed.add(new TimedWord(word, t, t + share));
                t += share;
            }
        }
        return timed;
    }

    private static double weight(String word) {
        // roughly syllables: longer words take longer
        long letters = word.codePoints().filter(Character::isLetterOrDigit).count();
        return 1.0 + letters * 0.35;
    }
}
