package io.contentmachine.render.video;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Mixes a music bed under the levelled voice: the music is brought {@link #BED_GAIN_DB} dB under the voice's level
 * (normalised music sits at about −16 LUFS), ducked by a side-chain compressor keyed on the voice whenever it speaks, looped or
 * trimmed to the video's length and faded out over its last {@link #FADE_SECONDS} s. The mix is written unlevelled; the
 * renderer then levels it like a voice alone ({@link Loudness}: −14 LUFS, true peak ≤ −1 dBTP).
 */
public class MusicBed {

    /** The bed's gain before ducking: about 12 LU under a voice at −14 LUFS. */
    static final double BED_GAIN_DB = -12;
    static final double FADE_SECONDS = 2.0;
    /** Side-chain: the bed drops by up to ~10 dB within 20 ms of speech and comes back over 400 ms. */
    static final String DUCK = "sidechaincompress=threshold=0.02:ratio=8:attack=20:release=400:makeup=1";
    public static final String DETAIL = String.format(Locale.ROOT, "ducked under the voice (side-chain compressor), %.0f dB bed, "
            + "looped or trimmed to the video, %.0f s fade-out", BED_GAIN_DB, FADE_SECONDS);

    private final String ffmpeg;

    public MusicBed(String ffmpeg) {
        this.ffmpeg = ffmpeg;
    }

    /** Writes {@code dir/mix.wav} (48 kHz mono): {@code voice} (levelled) over {@code music}, {@code seconds} long. */
    public Path mix(Path voice, Path music, double seconds, Path dir, RenderControl control) {
        Path out = dir.resolve("mix.wav");
        double fadeAt = Math.max(0, seconds - FADE_SECONDS);
        String graph = String.format(Locale.ROOT, "[0:a]aresample=48000,aformat=channel_layouts=mono,apad,atrim=duration=%.3f,"
                + "asplit=2[voice][key];"
                + "[1:a]aresample=48000,aformat=channel_layouts=mono,volume=%.1fdB,atrim=duration=%.3f,asetpts=PTS-STARTPTS,"
                + "afade=t=out:st=%.3f:d=%.3f[bed];"
                + "[bed][key]%s[ducked];"
                + "[voice][ducked]amix=inputs=2:duration=first:normalize=0[mix]",
                seconds, BED_GAIN_DB, seconds, fadeAt, Math.min(FADE_SECONDS, seconds), DUCK);
        ProcessRunner.run(List.of(ffmpeg, "-hide_banner", "-nostdin", "-y", "-v", "error", "-i", voice.toString(),
                "-stream_loop", "-1", "-i", music.toString(), "-filter_complex", graph, "-map", "[mix]", "-t", String.format(Locale.ROOT,
                        "%.3f", seconds), "-ar", "48000", "-c:a", "pcm_s16le", out.getFileName().toString()), dir, control, "render");
        return out;
    }
}
