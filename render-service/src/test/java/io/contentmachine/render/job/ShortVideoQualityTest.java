package io.contentmachine.render.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.contentmachine.render.script.OfflineScriptWriter;
import io.contentmachine.render.script.ScriptPlan;
import io.contentmachine.render.video.Caption;
import io.contentmachine.render.video.CaptionLayout;
import io.contentmachine.render.video.ProcessRunner;
import io.contentmachine.render.video.RenderControl;
import io.contentmachine.render.video.Template;
import io.contentmachine.render.voice.TimedWord;
import io.contentmachine.render.voice.Voice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real 15-20 s renders held to the bar a viewer would hold them to, measured here with ffmpeg independently of the
 * render's own quality gate: a scene cut at least every 3 s, −14 LUFS ± 1 with true peak ≤ −1 dBTP, captions of 2-5
 * words inside the safe area with the spoken word highlighted at the synthesizer's time, the voice's language, a topic
 * in another script rendered at the requested length.
 */
class ShortVideoQualityTest {

    @TempDir
    Path work;

    @Test
    void englishVideoCutsLevelsAndHighlightsAsSpoken() throws Exception {
        RenderPipeline pipeline = RenderPipeline.local(work, "ultrafast", 26);
        Path dir = Files.createDirectories(work.resolve("en"));
        Template template = Template.byId("tiktok-bold").orElseThrow();
        ScriptPlan plan = pipeline.script("Why octopuses have three hearts", 15, "en-US");
        RenderPipeline.Narration narration = pipeline.voice(plan, Voice.byId("af_heart").orElseThrow(), template, 15, dir,
                RenderControl.unlimited());
        assertEquals(Voice.FESTIVAL, narration.engine());
        assertNull(narration.voiceFallbackReason());
        assertEquals(RenderPipeline.TIMING_SYNTHESIZER, narration.captionTiming());
        RenderPipeline.Rendered rendered = pipeline.render(plan, narration, template, 15, dir, RenderControl.unlimited());
        RenderPipelineTest.keep(rendered.video(), "quality-en.mp4");

        Measured m = measure(rendered.video(), dir);
        assertEquals(15, m.duration, 0.6);
        assertCutsEvery3Seconds(m);
        assertEquals(-14, m.lufs, 1.0, "integrated loudness");
        assertTrue(m.truePeak <= -1.0, "true peak " + m.truePeak);
        // the gate measured the same file and said so
        assertEquals(m.cuts.size(), rendered.quality().cuts().size());
        assertEquals(m.lufs, rendered.quality().integratedLufs(), 0.11);

        // the hook is spoken within 3 s
        ScriptPlan.PlannedScene hook = narration.plan().scenes().get(0);
        int hookWords = hook.text().split("\\s+").length;
        assertTrue(hookWords <= 12, hook.text());
        assertTrue(narration.words().get(hookWords - 1).end() <= 3.0, "hook ends at " + narration.words().get(hookWords - 1).end());

        List<Caption> captions = rendered.captions();
        assertFalse(captions.isEmpty());
        for (Caption c : captions) {
            assertTrue(CaptionLayout.inSafeArea(c),
                    "caption '" + c.text() + "' at " + List.of(c.box()[0], c.box()[1], c.box()[2], c.box()[3]));
            assertTrue(c.words().size() <= 5, c.text());
            long lines = c.words().stream().mapToInt(Caption.Word::baseline).distinct().count();
            assertTrue(lines <= 2, c.text());
        }
        long lone = captions.stream().filter(c -> c.words().size() == 1).count();
        assertTrue(lone * 5 <= captions.size(), "mostly 2-5 words at a time: " + captions.stream().map(Caption::text).toList());
        for (int i = 1; i < captions.size(); i++) {
            assertTrue(captions.get(i).start() >= captions.get(i - 1).end() - 1e-6, "captions overlap at " + captions.get(i).text());
        }
        // each word is highlighted from the time Festival reported for it
        List<Caption.Word> placed = captions.stream().flatMap(c -> c.words().stream()).toList();
        List<TimedWord> spoken = narration.words();
        assertEquals(spoken.size(), placed.size());
        for (int i = 0; i < spoken.size(); i++) {
            assertEquals(spoken.get(i).start(), placed.get(i).start(), 1e-6, spoken.get(i).text());
        }
        // and the frames show it: the highlight box (yellow) left of a word while it is spoken, not before its caption
        int checked = 0;
        for (Caption c : captions) {
            Caption.Word w = c.words().get(c.words().size() - 1);
            if (w.end() - w.start() < 0.15 || w.start() - c.start() < 0.15) {
                continue;
            }
            int x = w.x() - 5;
            int y = w.baseline() - c.size() / 3;
            int[] during = RenderPipelineTest.pixel(rendered.video(), dir, (w.start() + w.end()) / 2, x, y);
            int[] before = RenderPipelineTest.pixel(rendered.video(), dir, (c.start() + w.start()) / 2, x, y);
            assertTrue(during[0] > 215 && during[1] > 195 && during[2] < 90, "highlight of '" + w.text() + "': " + rgb(during));
            assertFalse(before[0] > 215 && before[1] > 195 && before[2] < 90, "no highlight before '" + w.text() + "': " + rgb(before));
            if (++checked == 3) {
                break;
            }
        }
        assertEquals(3, checked, "three highlighted words sampled");
        assertTrue(rendered.visuals().stream().allMatch(v -> v.source().equals("generated")));
        assertTrue(rendered.visuals().get(0).detail().contains("🐙"), "the octopus pictogram: " + rendered.visuals().get(0).detail());
    }

    @Test
    void frenchVoiceSpeaksAFrenchScript() throws Exception {
        RenderPipeline pipeline = RenderPipeline.local(work, "ultrafast", 26);
        Path dir = Files.createDirectories(work.resolve("fr"));
        Template template = Template.byId("minimal").orElseThrow();
        Voice french = Voice.byId("fr").orElseThrow();
        ScriptPlan plan = pipeline.script("Pourquoi les pieuvres ont trois cœurs", 15, french.language());
        String text = String.join(" ", plan.scenes().stream().map(ScriptPlan.PlannedScene::text).toList());
        assertTrue(text.contains("pieuvres"), text);
        for (String english : List.of(" the ", " is ", " you ", "Follow", "this")) {
            assertFalse(text.contains(english), "English '" + english + "' in: " + text);
        }
        assertTrue(OfflineScriptWriter.callsToAction("fr").stream()
                .anyMatch(call -> plan.scenes().get(plan.scenes().size() - 1).text().contains(call.split(" ")[0])), text);
        RenderPipeline.Narration narration = pipeline.voice(plan, french, template, 15, dir, RenderControl.unlimited());
        assertEquals(Voice.ESPEAK, narration.engine());
        assertEquals(RenderPipeline.TIMING_ESTIMATED, narration.captionTiming());
        RenderPipeline.Rendered rendered = pipeline.render(plan, narration, template, 15, dir, RenderControl.unlimited());
        RenderPipelineTest.keep(rendered.video(), "quality-fr.mp4");
        Measured m = measure(rendered.video(), dir);
        assertEquals(15, m.duration, 0.6);
        assertCutsEvery3Seconds(m);
        assertEquals(-14, m.lufs, 1.0, "integrated loudness");
        assertTrue(m.truePeak <= -1.0, "true peak " + m.truePeak);
    }

    @Test
    void japaneseTopicRendersAtTheRequestedLength() throws Exception {
        RenderPipeline pipeline = RenderPipeline.local(work, "ultrafast", 26);
        Path dir = Files.createDirectories(work.resolve("ja"));
        Template template = Template.byId("news").orElseThrow();
        ScriptPlan plan = pipeline.script("日本の城の歴史", 20, "en-US");
        assertEquals("“日本の城の歴史”", plan.title(), "the topic is quoted");
        String text = String.join(" ", plan.scenes().stream().map(ScriptPlan.PlannedScene::text).toList());
        assertFalse(text.contains("日本"), "an English voice does not read Japanese: " + text);
        assertTrue(text.contains("this topic"), text);
        RenderPipeline.Narration narration = pipeline.voice(plan, Voice.byId("af_heart").orElseThrow(), template, 20, dir,
                RenderControl.unlimited());
        RenderPipeline.Rendered rendered = pipeline.render(plan, narration, template, 20, dir, RenderControl.unlimited());
        RenderPipelineTest.keep(rendered.video(), "quality-ja.mp4");
        Measured m = measure(rendered.video(), dir);
        assertEquals(20, m.duration, 1.0, "at the requested length");
        assertCutsEvery3Seconds(m);
        assertEquals(-14, m.lufs, 1.0);
        // the quoted topic is on screen in the CJK font during the first shot
        String drawn = Files.readString(dir.resolve("text.ass"));
        assertTrue(drawn.contains("\\fnNoto Sans CJK") && drawn.contains("日本の城の歴史"), "the CJK font is used for the title");
    }

    static void assertCutsEvery3Seconds(Measured m) {
        double previous = 0;
        for (double cut : m.cuts) {
            assertTrue(cut - previous <= 3.0, "no cut between " + previous + " and " + cut + " s: " + m.cuts);
            previous = cut;
        }
        assertTrue(m.duration - previous <= 3.0, "no cut after " + previous + " s: " + m.cuts);
        assertTrue(m.cuts.size() >= (int) (m.duration / 3), m.cuts.toString());
    }

    record Measured(List<Double> cuts, double lufs, double truePeak, double duration) {
    }

    /** ffmpeg's own view: scene cuts over 0.2, ebur128 integrated loudness and true peak, duration. */
    static Measured measure(Path video, Path dir) throws Exception {
        ProcessRunner.Result cuts = ProcessRunner.run(List.of("ffmpeg", "-hide_banner", "-nostdin", "-v", "error", "-i", video.toString(),
                "-vf", "select='gt(scene,0.2)',metadata=mode=print:file=test-cuts.txt", "-f", "null", "-"), dir,
                RenderControl.unlimited(), "test");
        assertEquals(0, cuts.exitCode());
        List<Double> times = new ArrayList<>();
        Matcher t = Pattern.compile("pts_time:([0-9.]+)").matcher(Files.readString(dir.resolve("test-cuts.txt")));
        while (t.find()) {
            times.add(Double.parseDouble(t.group(1)));
        }
        ProcessRunner.Result loud = ProcessRunner.run(List.of("ffmpeg", "-hide_banner", "-nostdin", "-nostats", "-v", "info",
                "-i", video.toString(), "-map", "0:a", "-af", "ebur128=peak=true:framelog=verbose", "-f", "null", "-"), dir,
                RenderControl.unlimited(), "test");
        Matcher i = Pattern.compile("I:\\s+(-?[0-9.]+) LUFS").matcher(loud.stderrTail());
        Matcher p = Pattern.compile("Peak:\\s+(-?[0-9.]+) dBFS").matcher(loud.stderrTail());
        assertTrue(i.find() && p.find(), loud.stderrTail());
        ProcessRunner.Result probe = ProcessRunner.run(List.of("ffprobe", "-v", "error", "-show_entries", "format=duration", "-of",
                "csv=p=0", video.toString()), dir, RenderControl.unlimited(), "test");
        return new Measured(times, Double.parseDouble(i.group(1)), Double.parseDouble(p.group(1)),
                Double.parseDouble(probe.stdout().strip()));
    }

    private static String rgb(int[] c) {
        return String.format(Locale.ROOT, "rgb(%d,%d,%d)", c[0], c[1], c[2]);
    }
}
