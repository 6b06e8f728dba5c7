package io.contentmachine.render.job;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

import io.contentmachine.render.script.ScriptPlan;
import io.contentmachine.render.video.RenderControl;
import io.contentmachine.render.video.Template;
import io.contentmachine.render.voice.Voice;
import org.junit.jupiter.api.Test;

/**
 * Benchmark, not a test (not run by verify): renders a 60 s video with each template and reports wall time ÷ video
 * duration per stage, the peak RSS of the process tree (JVM + ffmpeg, festival, rsvg-convert...) sampled every 20 ms
 * from /proc, and the quality gate's figures (scene cuts, loudness).
 * With {@code -Dbench.ssim=true} each video is also rendered losslessly (CRF 0) from the same narration and captions,
 * and the SSIM of the benchmarked encode against it is reported, so presets can be compared at equal quality.
 * Run: ./mvnw -pl render-service test -Dtest=RenderBenchmark [-Dbench.seconds=60 -Dbench.preset=ultrafast
 * -Dbench.x264=cabac=1 -Dbench.crf=23 -Dbench.ssim=true -Dbench.templates=tiktok-bold,news -Dbench.keep=true]
 * With {@code -Dbench.stock=true} the scenes come from the platform sandbox's Pexels stand-in (stock clips and photos;
 * build it first: ./mvnw -pl testing/platform-sandbox package -DskipTests), after one untimed warm-up render.
 */
class RenderBenchmark {

    static final String TOPIC = "Why octopuses have three hearts and blue blood";

    @Test
    void renderEachTemplate() throws Exception {
        int seconds = Integer.getInteger("bench.seconds", 60);
        String preset = System.getProperty("bench.preset", "ultrafast");
        String x264 = System.getProperty("bench.x264", "cabac=1");
        int crf = Integer.getInteger("bench.crf", 23);
        boolean ssim = Boolean.getBoolean("bench.ssim");
        Path work = Files.createTempDirectory("render-bench-");
        boolean stock = Boolean.getBoolean("bench.stock");
        RenderPipeline pipeline = stock
                ? RenderPipeline.withPexels(work, preset, crf, new io.contentmachine.render.video.PexelsClient(
                        io.contentmachine.testsupport.PlatformSandbox.shared().url(), "sandbox-pexels-key",
                        java.time.Duration.ofSeconds(60),
                        java.time.Duration.ofMinutes(15)))
                : RenderPipeline.local(work, preset, x264, crf, null);
        if (stock) {
            // the stand-in makes its media files on first download: one untimed render first, so that only rendering is timed
            Path warm = Files.createDirectories(work.resolve("warm-up"));
            ScriptPlan plan = pipeline.script(TOPIC, seconds);
            Template t = Template.ALL.get(0);
            pipeline.render(plan, pipeline.voice(plan, Voice.byId("af_heart").orElseThrow(), t, seconds, warm, RenderControl.unlimited()),
                    t, seconds, warm, RenderControl.unlimited());
        }
        List<String> rows = new ArrayList<>();
        rows.add(String.format(Locale.ROOT, (stock ? "stock footage (Pexels stand-in), " : "illustrated, ")
                + "%d s videos, preset %s, x264-params '%s', crf %d, %d cores, load average %s", seconds, preset,
                x264, crf, Runtime.getRuntime().availableProcessors(), Files.readString(Path.of("/proc/loadavg")).strip()));
        rows.add("| template | video s | script s | voice s | pictures+encode+gate s | total s | total ÷ duration | tools CPU s"
                + " | tools CPU ÷ duration | peak RSS tree MB | peak RSS ffmpeg MB | MB | SSIM vs lossless | cuts (longest gap s)"
                + " | LUFS / dBTP |");
        rows.add("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        List<String> only = List.of(System.getProperty("bench.templates", "").split(",")).stream().filter(id -> !id.isBlank()).toList();
        for (Template template : Template.ALL) {
            if (!only.isEmpty() && !only.contains(template.id())) {
                continue;
            }
            Path dir = Files.createDirectories(work.resolve(template.id()));
            RssSampler rss = new RssSampler();
            rss.start();
            long t0 = System.nanoTime();
            ScriptPlan plan = pipeline.script(TOPIC, seconds);
            long t1 = System.nanoTime();
            RenderPipeline.Narration narration = pipeline.voice(plan, Voice.byId("af_heart").orElseThrow(), template, seconds, dir,
                    RenderControl.unlimited());
            long t2 = System.nanoTime();
            RenderPipeline.Rendered rendered = pipeline.render(plan, narration, template, seconds, dir, RenderControl.unlimited());
            long t3 = System.nanoTime();
            rss.stop();
            double total = (t3 - t0) / 1e9;
            double cpu = rss.childCpuSeconds();
            String quality = ssim ? ssim(rendered.video(), plan, narration, template, seconds, work) : "-";
            rows.add(String.format(Locale.ROOT, "| %s | %.1f | %.3f | %.2f | %.2f | %.2f | %.3f | %.1f | %.3f | %d | %d | %.1f | %s"
                    + " | %d (%.1f) | %.1f / %.1f |",
                    template.id(), rendered.durationSeconds(), (t1 - t0) / 1e9, (t2 - t1) / 1e9, (t3 - t2) / 1e9, total,
                    total / rendered.durationSeconds(), cpu, cpu / rendered.durationSeconds(), rss.peakTree.get() / 1024,
                    rss.peakChild.get() / 1024, rendered.sizeBytes() / 1e6, quality, rendered.quality().cuts().size(),
                    rendered.quality().longestWithoutCut(), rendered.quality().integratedLufs(), rendered.quality().truePeakDbtp()));
            RenderPipelineTest.keep(rendered.video(), "bench-" + template.id() + ".mp4");
        }
        if (Boolean.getBoolean("bench.keep")) {
            System.out.println("kept the render folders in " + work);
        } else {
            RenderWorker.deleteTree(work);
        }
        String report = String.join("\n", rows);
        System.out.println("\n" + report + "\n");
        Files.writeString(Files.createDirectories(Path.of("target")).resolve("benchmark.md"), report + "\n");
    }

    /** SSIM (all planes) of {@code video} against a lossless render of the same narration and captions. */
    private static String ssim(Path video, ScriptPlan plan, RenderPipeline.Narration narration, Template template, int seconds, Path work)
            throws IOException {
        Path dir = Files.createDirectories(work.resolve(template.id() + "-lossless"));
        Files.copy(narration.audio(), dir.resolve(narration.audio().getFileName()));
        RenderPipeline.Narration same = new RenderPipeline.Narration(narration.plan(), dir.resolve(narration.audio().getFileName()),
                narration.sceneSeconds(), narration.words(), narration.videoSeconds(), narration.pace(), narration.engine(), null,
                narration.captionTiming(), narration.language());
        RenderPipeline.Rendered reference = RenderPipeline.local(work, "ultrafast", "", 0, null).render(plan, same, template, seconds, dir,
                RenderControl.unlimited());
        String log = io.contentmachine.render.video.ProcessRunner.run(List.of("ffmpeg", "-hide_banner", "-nostdin", "-v", "info",
                "-i", video.toString(), "-i", reference.video().toString(), "-lavfi", "[0:v][1:v]ssim", "-f", "null", "-"), dir,
                RenderControl.unlimited(), "bench").stderrTail();
        java.util.regex.Matcher all = java.util.regex.Pattern.compile("All:([0-9.]+)").matcher(log);
        return all.find() ? all.group(1) : "?";
    }

    /** Samples VmRSS of this JVM and its descendants (kB). */
    static final class RssSampler {
        final AtomicLong peakTree = new AtomicLong();
        final AtomicLong peakChild = new AtomicLong();
        /** Last seen CPU ticks (utime + stime) of each child process, by pid. */
        private final java.util.Map<Long, Long> ticks = new java.util.concurrent.ConcurrentHashMap<>();
        private volatile boolean running = true;
        private Thread thread;

        void start() {
            thread = new Thread(() -> {
                while (running) {
                    long self = rss(ProcessHandle.current().pid());
                    long children = tools().mapToLong(p -> rss(p.pid())).sum();
                    tools().forEach(p -> {
                        long t = cpuTicks(p.pid());
                        if (t > 0) {
                            ticks.merge(p.pid(), t, Math::max);
                        }
                    });
                    peakTree.accumulateAndGet(self + children, Math::max);
                    peakChild.accumulateAndGet(children, Math::max);
                    try {
                        Thread.sleep(20);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            thread.setDaemon(true);
            thread.start();
        }

        /** The render's tools: descendants of this JVM except other JVMs (the platform sandbox with -Dbench.stock) and theirs. */
        private static java.util.stream.Stream<ProcessHandle> tools() {
            return ProcessHandle.current().children().filter(p -> !p.info().command().orElse("").endsWith("java"))
                    .flatMap(p -> java.util.stream.Stream.concat(java.util.stream.Stream.of(p), p.descendants()));
        }

        void stop() throws InterruptedException {
            running = false;
            thread.join();
        }

        /** CPU seconds the tools used (sampled every 20 ms, so a process's last 20 ms may be missed). */
        double childCpuSeconds() {
            return ticks.values().stream().mapToLong(Long::longValue).sum() / 100.0;
        }

        private static long cpuTicks(long pid) {
            try {
                String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
            } catch (IOException | RuntimeException e) {
                return 0;
            }
        }

        private static long rss(long pid) {
            try {
                for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
                    if (line.startsWith("VmRSS:")) {
                        return Long.parseLong(line.replaceAll("[^0-9]", ""));
                    }
                }
            } catch (IOException | RuntimeException e) {
                // the process ended between listing and reading
            }
            return 0;
        }
    }
}
