package io.contentmachine.render.video;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.contentmachine.render.voice.EspeakSpeaker;
import io.contentmachine.render.voice.Voice;
import io.contentmachine.render.voice.Wav;

/** Captions against real espeak-ng speech. */
class CaptionTimerTest {

    @TempDir
    Path dir;

    @Test
    void captionsFollowTheSpeech() throws Exception {
        String text = "Octopuses have three hearts, blue blood, and a brain in every arm. Nobody expected that.";
        Wav wav = new EspeakSpeaker("espeak-ng").speak(text, Voice.byId("af_heart").orElseThrow(), 1.0, dir, "s",
                RenderControl.unlimited());
        List<double[]> spans = wav.speechSpans(0.12);
        double speechStart = spans.get(0)[0];
        double speechEnd = spans.get(spans.size() - 1)[1];
        assertTrue(speechEnd - speechStart > 3, "espeak produced " + wav.seconds() + " s");

        List<Caption> captions = CaptionTimer.time(text, wav, 10.0, 3);
        // every word, in order, in groups of at most three
        assertEquals(text, String.join(" ", captions.stream().map(Caption::text).toList()));
        assertTrue(captions.stream().allMatch(c -> c.text().split(" ").length <= 3));
        // the first group appears when speech starts, the last disappears when it ends (offset by the scene start)
        assertEquals(10.0 + speechStart, captions.get(0).start(), 0.05);
        assertEquals(10.0 + speechEnd, captions.get(captions.size() - 1).end(), 0.05);
        for (int i = 1; i < captions.size(); i++) {
            assertTrue(captions.get(i).start() >= captions.get(i - 1).end() - 1e-9, "overlap at " + captions.get(i));
            assertTrue(captions.get(i).end() > captions.get(i).start());
        }
        // the phrase after the pause at the full stop starts after that pause: "Nobody" is in a span of its own
        Caption nobody = captions.stream().filter(c -> c.text().startsWith("Nobody")).findFirst().orElseThrow();
        double lastSpanStart = spans.get(spans.size() - 1)[0];
        assertTrue(spans.size() >= 2, "espeak paused at the punctuation: " + spans.size() + " spans");
        assertEquals(10.0 + lastSpanStart, nobody.start(), 0.05);
        assertTrue(Files.size(dir.resolve("s.wav")) > 1000);
    }
}
