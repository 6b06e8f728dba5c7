package io.contentmachine.render.voice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import io.contentmachine.render.video.RenderControl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Festival with the HTS voice, for real: word times from its relations, pauses after punctuation, hostile text. */
class FestivalSpeakerTest {

    @TempDir
    Path dir;

    private final FestivalSpeaker festival = new FestivalSpeaker("festival");
    private final Voice voice = Voice.byId("af_heart").orElseThrow();

    @Test
    void wordsComeWithTheirTimesAndPunctuationPauses() {
        String text = "Octopuses have three hearts, blue blood, and a brain in every arm. Is it 100% true?";
        Speech speech = festival.speakTimed(text, voice, 1.0, dir, "s", RenderControl.unlimited());
        assertTrue(speech.timed());
        List<TimedWord> words = speech.words();
        assertEquals(List.of(text.split(" ")), words.stream().map(TimedWord::text).toList());
        for (int i = 1; i < words.size(); i++) {
            assertTrue(words.get(i).start() >= words.get(i - 1).end() - 1e-6, "in order at " + words.get(i));
            assertTrue(words.get(i).end() > words.get(i).start(), "spoken: " + words.get(i));
        }
        // "100%" is read as three words and timed as one
        TimedWord percent = words.stream().filter(w -> w.text().equals("100%")).findFirst().orElseThrow();
        assertTrue(percent.end() - percent.start() > 0.5, percent.toString());
        // pauses after the comma and the full stop are at least what we ask for
        assertTrue(gapAfter(words, "hearts,") >= FestivalSpeaker.CLAUSE_PAUSE - 0.01, "comma pause " + gapAfter(words, "hearts,"));
        assertTrue(gapAfter(words, "arm.") >= FestivalSpeaker.SENTENCE_PAUSE - 0.01, "sentence pause " + gapAfter(words, "arm."));
        // the times fit the audio, and the speech is in the audio where the words say
        TimedWord last = words.get(words.size() - 1);
        assertTrue(last.end() <= speech.wav().seconds() + 0.01 && last.end() > speech.wav().seconds() - 0.6,
                last + " in " + speech.wav().seconds() + " s");
        List<double[]> spans = speech.wav().speechSpans(0.15);
        assertEquals(words.get(0).start(), spans.get(0)[0], 0.12, "speech starts with the first word");
    }

    @Test
    void fasterPaceIsShorterAndAllTextsShareOneRun() {
        List<String> texts = List.of("Bees dance to tell each other where the flowers are.", "Then the hive follows.");
        List<Speech> natural = festival.speakAll(texts, voice, 1.0, dir, "n", RenderControl.unlimited());
        List<Speech> fast = festival.speakAll(texts, voice, 1.25, dir, "f", RenderControl.unlimited());
        assertEquals(2, natural.size());
        double ratio = fast.get(0).wav().seconds() / natural.get(0).wav().seconds();
        assertTrue(ratio < 0.88 && ratio > 0.7, "ratio " + ratio);
        assertEquals("follows.", natural.get(1).words().get(3).text());
    }

    @Test
    void textFestivalCannotReadIsDroppedNotSpelled() {
        String text = "你好世界 😀 It's \"real\": C:\\new\\path; {x} $HOME";
        Speech speech = festival.speakTimed(text, voice, 1.0, dir, "h", RenderControl.unlimited());
        assertTrue(speech.wav().seconds() > 1, "spoke the readable part");
        assertEquals(text.split(" ").length, speech.words().size());
        assertEquals(speech.words().get(0).start(), speech.words().get(0).end(), 1e-9, "the CJK word gets no time of its own");
    }

    private static double gapAfter(List<TimedWord> words, String word) {
        for (int i = 0; i + 1 < words.size(); i++) {
            if (words.get(i).text().equals(word)) {
                return words.get(i + 1).start() - words.get(i).end();
            }
        }
        throw new AssertionError(word + " not found");
    }
}
