package io.contentmachine.render.asset;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.contentmachine.render.video.ProcessRunner;
import io.contentmachine.render.video.RenderControl;
import io.contentmachine.render.video.RenderException;
import io.contentmachine.render.video.VideoRenderer;

/**
 * Probes an owner's original and makes its normalised copy (docs/MEDIA-LIBRARY.md): a clip becomes H.264 1080x1920
 * cover-cropped, at most {@link #MAX_CLIP_SECONDS} s, 30 fps, no audio; a still a JPEG cover-cropped to 1080x1920; music AAC
 * in MP4, loudness-normalised. ffprobe and ffmpeg read the original from its presigned URL as a stream (ffmpeg's HTTP
 * reader), so a large original is never held in memory nor stored whole on disk; only the copy is written. A file that is
 * not what its kind claims (text named .mp4, a still sent as a clip, music without an audio stream) is {@link Rejected}.
 */
public class Normaliser {

    public static final double MAX_CLIP_SECONDS = 30;
    /** Music is cut at ten minutes: a bed longer than any video is never needed. */
    static final double MAX_AUDIO_SECONDS = 600;
    /** Loudness of a normalised music file; the render ducks it under the voice and levels the whole mix again. */
    static final double MUSIC_LUFS = -16;
    private static final Set<String> IMAGE_CODECS = Set.of("mjpeg", "png");
    /** ffprobe/ffmpeg errors that say the network or the URL failed, not the file: the job is tried again later. */
    private static final List<String> NETWORK = List.of("Server returned", "Connection refused", "Connection timed out",
            "Failed to resolve", "timed out", "Network is unreachable", "Connection reset", "Input/output error");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final String ffmpeg;
    private final String ffprobe;
    private final String preset;

    public Normaliser(String ffmpeg, String ffprobe, String preset) {
        this.ffmpeg = ffmpeg;
        this.ffprobe = ffprobe;
        this.preset = preset;
    }

    /** What ffprobe found in a file: its container, first video and audio codecs, size and duration (0 when unknown). */
    public record Probe(String format, String videoCodec, String audioCodec, int width, int height, double durationSeconds,
            long videoFrames) {
    }

    /** The normalised copy: the file, its content type and what it measures. */
    public record Copy(Path file, String contentType, Integer width, Integer height, Double durationSeconds) {
    }

    /** The original is not what it claims to be; {@code reason} goes to the owner. */
    public static class Rejected extends RuntimeException {
        public Rejected(String reason) {
            super(reason);
        }
    }

    /** Reading the original failed for a reason that may pass (network, expired URL): try again later. */
    public static class Unreachable extends RenderException {
        public Unreachable(String reason) {
            super("normalise", reason, true);
        }
    }

    /** Probes {@code url} (the original) and checks it is a {@code kind} (video, image, audio); throws {@link Rejected} if not. */
    public Probe check(String url, String kind, Path dir, RenderControl control) {
        Probe probe = probe(url, dir, control);
        String problem = problem(probe, kind);
        if (problem != null) {
            throw new Rejected(problem);
        }
        return probe;
    }

    /** Writes the normalised copy of a checked original into {@code dir}. */
    public Copy normalise(String url, String kind, Probe probe, Path dir, RenderControl control) {
        String frame = String.format(Locale.ROOT, "scale=%d:%d:force_original_aspect_ratio=increase,crop=%d:%d,setsar=1",
                VideoRenderer.WIDTH, VideoRenderer.HEIGHT, VideoRenderer.WIDTH, VideoRenderer.HEIGHT);
        List<String> command = new ArrayList<>(List.of(ffmpeg, "-hide_banner", "-nostdin", "-y", "-v", "error"));
        Path out;
        String contentType;
        switch (kind) {
            case "video" -> {
                out = dir.resolve("normalised.mp4");
                contentType = "video/mp4";
                command.addAll(List.of("-t", num(MAX_CLIP_SECONDS), "-i", url, "-map", "0:v:0", "-an", "-sn", "-dn",
                        "-vf", "fps=" + VideoRenderer.FPS + "," + frame + ",format=yuv420p", "-c:v", "libx264", "-preset", preset,
                        "-crf", "21", "-g", String.valueOf(VideoRenderer.FPS * 2), "-movflags", "+faststart",
                        out.getFileName().toString()));
            }
            case "image" -> {
                out = dir.resolve("normalised.jpg");
                contentType = "image/jpeg";
                command.addAll(List.of("-i", url, "-map", "0:v:0", "-frames:v", "1", "-vf", frame, "-q:v", "2",
                        out.getFileName().toString()));
            }
            case "audio" -> {
                out = dir.resolve("normalised.m4a");
                contentType = "audio/mp4";
                command.addAll(List.of("-t", num(MAX_AUDIO_SECONDS), "-i", url, "-map", "0:a:0", "-vn", "-sn", "-dn",
                        "-af", String.format(Locale.ROOT, "loudnorm=I=%.0f:TP=-1.5:LRA=11,aresample=48000", MUSIC_LUFS),
                        "-c:a", "aac", "-b:a", "160k", "-ac", "2", "-movflags", "+faststart", out.getFileName().toString()));
            }
            default -> throw new Rejected("unknown kind '" + kind + "'");
        }
        try {
            ProcessRunner.run(command, dir, control, "normalise");
        } catch (RenderException e) {
            throw classify(e);
        }
        Probe copy = probe(out.toString(), dir, control);
        return switch (kind) {
            case "video" -> new Copy(out, contentType, copy.width(), copy.height(), round(copy.durationSeconds()));
            case "image" -> new Copy(out, contentType, copy.width(), copy.height(), null);
            default -> new Copy(out, contentType, null, null, round(copy.durationSeconds()));
        };
    }

    /** Why a probed file is not a {@code kind}, or null when it is. */
    static String problem(Probe p, String kind) {
        boolean still = p.format() != null && (p.format().endsWith("_pipe") || p.format().startsWith("image2"));
        switch (kind) {
            case "video" -> {
                if (p.videoCodec() == null) {
                    return "not a video: the file has no video stream";
                }
                if (still || IMAGE_CODECS.contains(p.videoCodec()) && p.videoFrames() <= 1 || p.durationSeconds() < 0.5) {
                    return "not a video: the file is a still image (" + p.format() + ", " + p.videoCodec() + ")";
                }
                return null;
            }
            case "image" -> {
                if (p.videoCodec() == null || !IMAGE_CODECS.contains(p.videoCodec()) || !still && p.durationSeconds() > 0.5) {
                    return "not a JPEG or PNG image (" + p.format() + ", " + p.videoCodec() + ")";
                }
                return null;
            }
            case "audio" -> {
                if (p.audioCodec() == null) {
                    return "not audio: the file has no audio stream (" + p.format() + ")";
                }
                if (p.durationSeconds() < 1) {
                    return String.format(Locale.ROOT, "audio of %.2f s is too short for a music bed", p.durationSeconds());
                }
                return null;
            }
            default -> {
                return "unknown kind '" + kind + "'";
            }
        }
    }

    Probe probe(String input, Path dir, RenderControl control) {
        ProcessRunner.Result result;
        try {
            result = ProcessRunner.run(List.of(ffprobe, "-v", "error", "-show_entries",
                    "stream=codec_type,codec_name,width,height,nb_frames,duration:format=format_name,duration", "-of", "json", input),
                    dir, control, "normalise");
        } catch (RenderException e) {
            throw classify(e);
        }
        try {
            JsonNode root = MAPPER.readTree(result.stdout());
            JsonNode video = null;
            JsonNode audio = null;
            for (JsonNode stream : root.path("streams")) {
                if ("video".equals(stream.path("codec_type").asText()) && video == null) {
                    video = stream;
                } else if ("audio".equals(stream.path("codec_type").asText()) && audio == null) {
                    audio = stream;
                }
            }
            double duration = root.path("format").path("duration").asDouble(0);
            if (duration == 0 && video != null) {
                duration = video.path("duration").asDouble(0);
            }
            return new Probe(root.path("format").path("format_name").asText(null), video == null ? null : video.path("codec_name").asText(),
                    audio == null ? null : audio.path("codec_name").asText(), video == null ? 0 : video.path("width").asInt(),
                    video == null ? 0 : video.path("height").asInt(), duration, video == null ? 0 : video.path("nb_frames").asLong(0));
        } catch (IOException e) {
            throw new Rejected("ffprobe cannot describe the file: " + e.getMessage());
        }
    }

    /** A failed ffprobe/ffmpeg: the network (try again) or the file itself (rejected); a timeout or cancellation as it is. */
    private static RuntimeException classify(RenderException e) {
        String message = e.getMessage() == null ? "" : e.getMessage();
        if (e.retryable() || message.contains("timeout") || message.contains("was killed")) {
            return e;
        }
        if (NETWORK.stream().anyMatch(message::contains)) {
            return new Unreachable("the original could not be read: " + message);
        }
        int colon = message.lastIndexOf(": ");
        return new Rejected("not a media file that can be read (" + (colon >= 0 ? message.substring(colon + 2) : message).strip() + ")");
    }

    private static Double round(double seconds) {
        return Math.round(seconds * 100) / 100.0;
    }

    private static String num(double value) {
        return String.format(Locale.ROOT, "%.3f", value);
    }
}
