package io.contentmachine.render.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.contentmachine.render.script.ScriptPlan;
import io.contentmachine.render.video.MediaProbe;
import io.contentmachine.render.video.ProcessRunner;
import io.contentmachine.render.video.RenderControl;
import io.contentmachine.render.video.RenderException;
import io.contentmachine.render.video.Template;
import io.contentmachine.render.voice.Voice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real renders with espeak-ng, ffmpeg and ffprobe (no Quarkus): short videos, checked frame by frame where it matters. */
class RenderPipelineTest {

    static final String HOSTILE = "你好世界 😀🫠 It's 100% \"real\": C:\\new\\path; {x} %{pts} $HOME 50:50 [y] 'quoted' שלום";

    @TempDir
    Path work;

    @Test
    void hostileTopicRendersAValidShortVideo() throws Exception {
        RenderPipeline pipeline = RenderPipeline.local(work, "ultrafast", 28);
        Path dir = Files.createDirectories(work.resolve("hostile"));
        Template template = Template.byId("tiktok-bold").orElseThrow();
        ScriptPlan plan = pipeline.script(HOSTILE, 15);
        RenderPipeline.Narration narration = pipeline.voice(plan, Voice.byId("af_heart").orElseThrow(), template, 15, dir,
                RenderControl.unlimited());
        assertEquals(plan.scenes().size(), narration.sceneSeconds().size());
        assertEquals(narration.videoSeconds(), narration.sceneSeconds().stream().mapToDouble(Double::doubleValue).sum(), 0.01);
        // the title carries the hostile text verbatim, the narration its main word (the filter graph only sees file names)
        assertTrue(narration.plan().title().contains("100%") && narration.plan().title().contains("$HOME"), narration.plan().title());
        assertTrue(narration.words().stream().anyMatch(c -> c.text().contains("你好世界")), narration.words().toString());
        RenderPipeline.Rendered rendered = pipeline.render(plan, narration, template, 15, dir, RenderControl.unlimited());
        keep(rendered.video(), "hostile.mp4");

        MediaProbe.Facts facts = new MediaProbe("ffprobe").probe(rendered.video(), dir, RenderControl.unlimited());
        assertEquals("h264", facts.videoCodec());
        assertEquals("yuv420p", facts.pixelFormat());
        assertEquals("1080x1920", facts.resolution());
        assertEquals("30/1", facts.frameRate());
        assertEquals("aac", facts.audioCodec());
        assertEquals(48000, facts.sampleRate());
        assertEquals(15, facts.durationSeconds(), 1.5);
        assertTrue(MediaProbe.problems(facts, 15).isEmpty());
        assertEquals(64, rendered.sha256().length());
        assertTrue(Files.size(rendered.thumbnail()) > 5_000);
        // the hostile strings reached ffmpeg only through the text layer, which libass draws and never reads as commands
        String filter = Files.readString(dir.resolve("filter.txt"));
        assertFalse(filter.contains("100%") || filter.contains("你好") || filter.contains("HOME"), filter);
        assertTrue(filter.contains("ass=filename=text.ass"), filter);
        String text = Files.readString(dir.resolve("text.ass"));
        assertTrue(text.contains("你好世界"), "CJK kept for the CJK font");
        assertTrue(text.contains("\\fnNoto Sans CJK"), "drawn with the CJK font");
        assertFalse(text.contains("🫠"), "a character no font has is removed, not drawn as a box");
        for (String line : text.split("\n")) {
            if (line.startsWith("Dialogue:")) {
                // override tags only at the start of a line: the text itself has no braces or backslashes
                String shown = line.substring(line.lastIndexOf('}') + 1);
                assertFalse(shown.contains("{") || shown.contains("\\"), line);
            }
        }
    }

    @Test
    void templatesLookDifferent() throws Exception {
        RenderPipeline pipeline = RenderPipeline.local(work, "ultrafast", 28);
        // 8 s is enough to see a template's first shot and its bar; the quality bar is checked on the 15 s renders
        ScriptPlan plan = pipeline.script("Why octopuses have three hearts", 8);
        Map<String, int[]> background = new HashMap<>();
        Map<String, int[]> bar = new HashMap<>();
        for (Template template : Template.ALL) {
            Path dir = Files.createDirectories(work.resolve(template.id()));
            RenderPipeline.Narration narration = pipeline.voice(plan, Voice.byId("am_michael").orElseThrow(), template, 8, dir,
                    RenderControl.unlimited());
            RenderPipeline.Rendered rendered = pipeline.render(plan, narration, template, 8, dir, RenderControl.unlimited());
            keep(rendered.video(), template.id() + ".mp4");
            background.put(template.id(), pixel(rendered.video(), dir, 1.0, 20, 1000));
            bar.put(template.id(), pixel(rendered.video(), dir, 7.5, 20, template.barY() + template.barHeight() / 2));
        }
        // the first shot's background at the left edge, mid-height: deep purple, off-white, navy
        int[] bold = background.get("tiktok-bold");
        int[] minimal = background.get("minimal");
        int[] news = background.get("news");
        assertTrue(bold[2] > 90 && bold[1] < 60, "tiktok-bold " + List.of(bold[0], bold[1], bold[2]));
        assertTrue(minimal[0] > 200 && minimal[1] > 200 && minimal[2] > 200, "minimal " + List.of(minimal[0], minimal[1], minimal[2]));
        assertTrue(news[0] < 50 && news[2] > news[0] + 20, "news " + List.of(news[0], news[1], news[2]));
        // progress bars near the end: yellow, dark, red
        int[] yellow = bar.get("tiktok-bold");
        int[] red = bar.get("news");
        assertTrue(yellow[0] > 200 && yellow[1] > 200 && yellow[2] < 80, "bold bar " + List.of(yellow[0], yellow[1], yellow[2]));
        assertTrue(red[0] > 180 && red[1] < 70 && red[2] < 70, "news bar " + List.of(red[0], red[1], red[2]));
        int[] dark = bar.get("minimal");
        assertTrue(dark[0] < 80 && dark[1] < 80 && dark[2] < 80, "minimal bar " + List.of(dark[0], dark[1], dark[2]));
    }

    @Test
    void encodeReportsIncreasingProgressEndingAt100() throws Exception {
        RenderPipeline pipeline = RenderPipeline.local(work, "ultrafast", 28);
        Path dir = Files.createDirectories(work.resolve("progress"));
        Template template = Template.byId("tiktok-bold").orElseThrow();
        ScriptPlan plan = pipeline.script("How bees find their way home", 15);
        RenderPipeline.Narration narration = pipeline.voice(plan, Voice.byId("af_bella").orElseThrow(), template, 15, dir,
                RenderControl.unlimited());
        List<Integer> percents = new java.util.concurrent.CopyOnWriteArrayList<>();
        pipeline.render(plan, narration, template, 15, dir, RenderControl.unlimited(), percents::add);
        assertTrue(percents.size() >= 3, "several reports: " + percents);
        assertEquals(100, percents.get(percents.size() - 1), percents.toString());
        for (int i = 1; i < percents.size(); i++) {
            assertTrue(percents.get(i) > percents.get(i - 1), "increasing: " + percents);
        }
        assertTrue(percents.get(0) > 0 && percents.get(percents.size() - 2) < 100, percents.toString());
    }

    @Test
    void timeoutKillsFfmpeg() throws Exception {
        RenderControl control = new RenderControl(Duration.ofMillis(1500));
        long started = System.nanoTime();
        RenderException e = assertThrows(RenderException.class, () -> ProcessRunner.run(List.of("ffmpeg", "-v", "error", "-f", "lavfi",
                "-i", "testsrc2=s=1080x1920:r=30:d=600", "-c:v", "libx264", "-preset", "veryslow", "-f", "null", "-"), work, control,
                "render"));
        double seconds = (System.nanoTime() - started) / 1e9;
        assertTrue(seconds < 8, "killed after " + seconds + " s");
        assertTrue(e.getMessage().contains("timeout"), e.getMessage());
        assertEquals("render", e.stage());
        assertTrue(ProcessHandle.current().children().noneMatch(p -> p.info().command().orElse("").endsWith("ffmpeg")),
                "no ffmpeg left behind");
    }

    @Test
    void cancelKillsTheRunningProcess() throws Exception {
        RenderControl control = RenderControl.unlimited();
        Thread canceller = new Thread(() -> {
            try {
                Thread.sleep(700);
            } catch (InterruptedException ignored) {
                return;
            }
            control.cancel("project deleted");
        });
        canceller.start();
        assertThrows(RenderControl.RenderCancelledException.class, () -> ProcessRunner.run(List.of("ffmpeg", "-v", "error", "-f", "lavfi",
                "-i", "testsrc2=s=1080x1920:r=30:d=600", "-c:v", "libx264", "-f", "null", "-"), work, control, "render"));
        canceller.join();
    }

    /** Keeps a rendered video under target/test-renders for a human look. */
    static void keep(Path video, String name) throws java.io.IOException {
        Path target = Files.createDirectories(Path.of("target", "test-renders"));
        Files.copy(video, target.resolve(name), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    /** RGB of one pixel of the frame at {@code seconds}. */
    static int[] pixel(Path video, Path dir, double seconds, int x, int y) {
        Path out = dir.resolve("px-" + x + "-" + y + "-" + (int) seconds + ".rgb");
        ProcessRunner.run(List.of("ffmpeg", "-v", "error", "-y", "-ss", String.valueOf(seconds), "-i", video.toString(), "-frames:v", "1",
                "-vf", "format=rgb24,crop=2:2:" + x + ":" + y, "-f", "rawvideo", "-pix_fmt", "rgb24", out.toString()), dir,
                RenderControl.unlimited(),
                "test");
        try {
            byte[] rgb = Files.readAllBytes(out);
            return new int[] {rgb[0] & 0xff, rgb[1] & 0xff, rgb[2] & 0xff};
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
