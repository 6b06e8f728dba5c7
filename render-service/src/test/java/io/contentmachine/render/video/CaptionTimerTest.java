package io.contentmachine.render.video;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.contentmachine.render.voice.EspeakSpeaker;
import io.contentmachine.render.voice.TimedWord;
import io.contentmachine.render.voice.Voice;
import io.contentmachine.render.voice.Wav;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Estimated word times against real espeak-ng speech. */
class CaptionTimerTest {

    @TempDir
    Path dir;

    @Test
    void estimatedWordsFollowTheSpeech() throws Exception {
        String text = "Octopuses have three hearts, blue blood, and a brain in every arm. Nobody expected that.";
        Wav wav = new EspeakSpeaker("espeak-ng").speak(text, Voice.byId("am_michael").orElseThrow(), 1.0, dir, "s",
                RenderControl.unlimited());
        List<double[]> spans = wav.speechSpans(0.12);
        double speechStart = spans.get(0)[0];
        double speechEnd = spans.get(spans.size() - 1)[1];
        assertTrue(speechEnd - speechStart > 3, "espeak produced " + wav.seconds() + " s");

        List<TimedWord> words = CaptionTimer.estimate(text, wav);
        // every word, in order
        assertEquals(text, String.join(" ", words.stream().map(TimedWord::text).toList()));
        // the first word starts when speech starts, the last ends when it ends
        assertEquals(speechStart, words.get(0).start(), 0.05);
        assertEquals(speechEnd, words.get(words.size() - 1).end(), 0.05);
        for (int i = 1; i < words.size(); i++) {
            assertTrue(words.get(i).start() >= words.get(i - 1).end() - 1e-9, "overlap at " + words.get(i));
            assertTrue(words.get(i).end() > words.get(i).start());
        }
        // the phrase after the pause at the full stop starts after that pause: "Nobody" starts the last span
        TimedWord nobody = words.stream().filter(c -> c.text().startsWith("Nobody")).findFirst().orElseThrow();
        assertTrue(spans.size() >= 2, "espeak paused at the punctuation: " + spans.size() + " spans");
        assertEquals(spans.get(spans.size() - 1)[0], nobody.start(), 0.05);
        assertTrue(Files.size(dir.resolve("s.wav")) > 1000);
    }
}
