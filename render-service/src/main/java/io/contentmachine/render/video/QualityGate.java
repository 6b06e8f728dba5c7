package io.contentmachine.render.video;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Measures a rendered video the way a reviewer would: scene cuts as ffmpeg's scene detection sees them
 * ({@code select='gt(scene,0.2)'}), integrated loudness and true peak (ebur128), duration, and whether every caption
 * sat inside the safe area. A video this service rendered had its cuts found while it was encoded, so only its audio is
 * decoded again; any other file is decoded once for both.
 */
public class QualityGate {

    public static final double SCENE_THRESHOLD = 0.2;
    /** Longest time without a detected cut (from the start, between cuts, to the end). */
    public static final double MAX_SECONDS_WITHOUT_CUT = 3.0;

    /** One frame of ffmpeg's metadata print: its time and its scene score. */
    private static final Pattern FRAME = Pattern.compile("pts_time:([0-9.]+)\\s+lavfi\\.scene_score=([0-9.]+)");

    private final String ffmpeg;

    public QualityGate(String ffmpeg) {
        this.ffmpeg = ffmpeg;
    }

    /** What was measured. */
    public record Figures(List<Double> cuts, double longestWithoutCut, double integratedLufs, double truePeakDbtp,
            double durationSeconds, int captions, int captionsOutsideSafeArea, String firstOutside) {
    }

    /** Measures a video file: one decoding pass for scene cuts and loudness. */
    public Figures measure(Path video, double durationSeconds, List<Caption> captions, Path dir, RenderControl control) {
        Path cutsFile = dir.resolve("gate-cuts.txt");
        ProcessRunner.Result result = ProcessRunner.run(List.of(ffmpeg, "-hide_banner", "-nostdin", "-nostats", "-v", "info",
                "-i", video.getFileName().toString(), "-filter_complex",
                String.format(Locale.ROOT, "[0:v]select='gt(scene,%s)',metadata=mode=print:file=%s[v];"
                        + "[0:a]ebur128=peak=true:framelog=verbose[a]", SCENE_THRESHOLD, cutsFile.getFileName()),
                "-map", "[v]", "-map", "[a]", "-f", "null", "-"), dir, control, "render");
        return figures(cuts(cutsFile), result.stderrTail(), durationSeconds, captions);
    }

    /**
     * Measures a video rendered by {@link VideoRenderer}: its scene cuts were found in the frames as they went to the
     * encoder ({@code cutsFile}, the same select filter), so only the audio of the file is decoded here.
     */
    public Figures measureRendered(Path video, Path cutsFile, double durationSeconds, List<Caption> captions, Path dir,
            RenderControl control) {
        ProcessRunner.Result result = ProcessRunner.run(List.of(ffmpeg, "-hide_banner", "-nostdin", "-nostats", "-v", "info",
                "-i", video.getFileName().toString(), "-map", "0:a", "-af", "ebur128=peak=true:framelog=verbose", "-f", "null", "-"),
                dir, control, "render");
        return figures(cuts(cutsFile), result.stderrTail(), durationSeconds, captions);
    }

    /** The frames of a metadata print whose scene score is over the threshold (a file of selected frames or of all). */
    static List<Double> cuts(Path cutsFile) {
        List<Double> cuts = new ArrayList<>();
        try {
            Matcher m = FRAME.matcher(Files.exists(cutsFile) ? Files.readString(cutsFile) : "");
            while (m.find()) {
                if (Double.parseDouble(m.group(2)) > SCENE_THRESHOLD) {
                    cuts.add(Double.parseDouble(m.group(1)));
                }
            }
        } catch (java.io.IOException e) {
            throw new RenderException("render", "cannot read scene cuts: " + e.getMessage(), true);
        }
        return cuts;
    }

    private static Figures figures(List<Double> cuts, String loudnessLog, double durationSeconds, List<Caption> captions) {
        double longest = 0;
        double previous = 0;
        for (double cut : cuts) {
            longest = Math.max(longest, cut - previous);
            previous = cut;
        }
        longest = Math.max(longest, durationSeconds - previous);
        List<Caption> outside = captions.stream().filter(c -> !CaptionLayout.inSafeArea(c)).toList();
        String first = outside.isEmpty() ? null : String.format(Locale.ROOT, "'%s' at x %d, y %d, %d x %d", outside.get(0).text(),
                outside.get(0).box()[0], outside.get(0).box()[1], outside.get(0).box()[2], outside.get(0).box()[3]);
        return new Figures(cuts, longest, Loudness.last(Loudness.INTEGRATED, loudnessLog), Loudness.last(Loudness.PEAK, loudnessLog),
                durationSeconds, captions.size(), outside.size(), first);
    }

    /** What misses the bar; empty when the video passes. */
    public static List<String> problems(Figures f) {
        List<String> problems = new ArrayList<>();
        if (f.longestWithoutCut() > MAX_SECONDS_WITHOUT_CUT + 0.05) {
            problems.add(String.format(Locale.ROOT, "%.1f s without a scene cut (at most %.0f s; %d cuts found)", f.longestWithoutCut(),
                    MAX_SECONDS_WITHOUT_CUT, f.cuts().size()));
        }
        if (!(Math.abs(f.integratedLufs() - Loudness.TARGET_LUFS) <= 1.0)) {
            problems.add(String.format(Locale.ROOT, "integrated loudness %.1f LUFS (target %.0f ± 1)", f.integratedLufs(),
                    Loudness.TARGET_LUFS));
        }
        if (!(f.truePeakDbtp() <= Loudness.MAX_TRUE_PEAK)) {
            problems.add(String.format(Locale.ROOT, "true peak %.1f dBTP (at most %.0f)", f.truePeakDbtp(), Loudness.MAX_TRUE_PEAK));
        }
        if (f.captionsOutsideSafeArea() > 0) {
            problems.add(f.captionsOutsideSafeArea() + " of " + f.captions() + " captions outside the safe area (first: "
                    + f.firstOutside() + ")");
        }
        return problems;
    }

    public static boolean loudnessMissed(Figures f) {
        // written as negations so that a loudness ebur128 could not measure (NaN) counts as missed
        return !(Math.abs(f.integratedLufs() - Loudness.TARGET_LUFS) <= 1.0) || !(f.truePeakDbtp() <= Loudness.MAX_TRUE_PEAK);
    }
}
