package io.contentmachine.render.video;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Levels the narration to what the platforms play at: −14 LUFS integrated, true peak at most −1 dBTP. A gain and a peak
 * limiter, measured with ebur128 and corrected until the result is within 0.3 LU of the target (at most five passes over
 * the audio, each well under a second). ffmpeg's loudnorm was tried first: on espeak-ng's peaky speech it cannot apply
 * one gain (the peaks would clip) and its dynamic mode stopped 2.4 LU short (−16.4 LUFS measured); acompressor in front
 * of the limiter took 9 dB off instead of 2. The limiter's ceiling is −2.5 dBFS because AAC encoding raises peaks.
 */
public class Loudness {

    public static final double TARGET_LUFS = -14.0;
    public static final double MAX_TRUE_PEAK = -1.0;
    /** Sample-peak ceiling of the limiter (−2.5 dBFS): true peaks after AAC stay under −1 dBTP. */
    static final double LIMIT = 0.75;

    static final Pattern INTEGRATED = Pattern.compile("I:\\s+(-?[0-9.]+|-inf) LUFS");
    static final Pattern PEAK = Pattern.compile("Peak:\\s+(-?[0-9.]+|-inf) dBFS");

    private final String ffmpeg;

    public Loudness(String ffmpeg) {
        this.ffmpeg = ffmpeg;
    }

    /** Integrated loudness (LUFS) and true peak (dBTP) of a file's audio, as ebur128 measures them. */
    public record Level(double integratedLufs, double truePeakDbtp) {
    }

    /** Writes {@code target} (48 kHz 16-bit mono WAV) from {@code source} at the target loudness; returns {@code target}. */
    public Path normalise(Path source, Path target, Path dir, RenderControl control) {
        return normalise(source, target, LIMIT, dir, control);
    }

    /** As {@link #normalise(Path, Path, Path, RenderControl)} with the limiter's ceiling at {@code limit} (linear, ≤ 1). */
    public Path normalise(Path source, Path target, double limit, Path dir, RenderControl control) {
        Level level = measure(source, dir, control);
        if (!Double.isFinite(level.integratedLufs()) || level.integratedLufs() < -69) {
            // silence cannot be levelled; it stays silence
            write(source, target, "aresample=48000,aformat=channel_layouts=mono", dir, control);
            return target;
        }
        double nominal = TARGET_LUFS - level.integratedLufs();
        double gain = nominal;
        double previousGain = Double.NaN;
        double previousReached = Double.NaN;
        for (int pass = 0; pass < 5; pass++) {
            write(source, target, String.format(Locale.ROOT, "aresample=48000,volume=%.2fdB,"
                    + "alimiter=limit=%.3f:attack=1:release=20:level=false,aformat=channel_layouts=mono", gain, limit), dir, control);
            double reached = measure(target, dir, control).integratedLufs();
            if (Math.abs(reached - TARGET_LUFS) <= 0.3) {
                break;
            }
            // the limiter takes away more as the gain grows (espeak-ng: about half of each added dB): secant steps
            double slope = Double.isNaN(previousGain) || Math.abs(reached - previousReached) < 0.05 ? 1.0
                    : (gain - previousGain) / (reached - previousReached);
            previousGain = gain;
            previousReached = reached;
            gain = Math.min(nominal + 12, gain + Math.max(1.0, Math.min(4.0, slope)) * (TARGET_LUFS - reached));
        }
        return target;
    }

    public Level measure(Path file, Path dir, RenderControl control) {
        ProcessRunner.Result result = ProcessRunner.run(List.of(ffmpeg, "-hide_banner", "-nostdin", "-nostats", "-v", "info",
                "-i", file.toString(), "-map", "0:a", "-af", "ebur128=peak=true:framelog=verbose", "-f", "null", "-"), dir, control,
                "render");
        return new Level(last(INTEGRATED, result.stderrTail()), last(PEAK, result.stderrTail()));
    }

    private void write(Path source, Path target, String filter, Path dir, RenderControl control) {
        ProcessRunner.run(List.of(ffmpeg, "-hide_banner", "-nostdin", "-y", "-v", "error", "-i", source.toString(), "-af", filter,
                "-ar", "48000", "-c:a", "pcm_s16le", target.getFileName().toString()), dir, control, "render");
    }

    static double last(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        double value = Double.NaN;
        while (m.find()) {
            value = m.group(1).equals("-inf") ? Double.NEGATIVE_INFINITY : Double.parseDouble(m.group(1));
        }
        return value;
    }
}
