package io.contentmachine.render.video;

import java.util.ArrayList;
import java.util.List;

import io.contentmachine.render.voice.Wav;

/**
 * Times captions to the speech. The scene's audio is split into spans of speech at its pauses; when the pauses match
 * the text's phrase breaks (punctuation), each phrase gets its own span, otherwise the whole speech span is used. Within a
 * span, words get time in proportion to their length, and word groups appear as they are spoken.
 */
public final class CaptionTimer {

    private CaptionTimer() {
    }

    public static List<Caption> time(String text, Wav audio, double offset, int wordsPerGroup) {
        String[] words = text.strip().split("\\s+");
        List<List<String>> phrases = new ArrayList<>();
        List<String> current = new ArrayList<>();
        for (String word : words) {
            current.add(word);
            if (word.matches(".*[,.;:!?…]$")) {
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
        List<Caption> captions = new ArrayList<>();
        for (int p = 0; p < phrases.size(); p++) {
            List<String> phrase = phrases.get(p);
            double start = spans.get(p)[0];
            double length = spans.get(p)[1] - start;
            double total = phrase.stream().mapToDouble(CaptionTimer::weight).sum();
            double t = start;
            for (int i = 0; i < phrase.size(); i += wordsPerGroup) {
                List<String> group = phrase.subList(i, Math.min(phrase.size(), i + wordsPerGroup));
                double share = group.stream().mapToDouble(CaptionTimer::weight).sum() / total * length;
                captions.add(new Caption(String.join(" ", group), offset + t, offset + t + share));
                t += share;
            }
        }
        // hold each group until the next one appears when the pause between them is short, so captions do not flicker
        for (int i = 0; i + 1 < captions.size(); i++) {
            Caption a = captions.get(i);
            Caption b = captions.get(i + 1);
            if (b.start() - a.end() < 0.35) {
                captions.set(i, new Caption(a.text(), a.start(), b.start()));
            }
        }
        return captions;
    }

    private static double weight(String word) {
        // roughly syllables: longer words take longer; trailing punctuation is followed by a short pause inside the span
        long letters = word.codePoints().filter(Character::isLetterOrDigit).count();
        return 1.0 + letters * 0.35;
    }
}
