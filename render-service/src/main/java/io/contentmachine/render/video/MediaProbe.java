package io.contentmachine.render.video;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** ffprobe's view of a rendered file, and the check a video must pass before it is uploaded. */
public class MediaProbe {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final String ffprobe;

    public MediaProbe(String ffprobe) {
        this.ffprobe = ffprobe;
    }

    /** What ffprobe reports. */
    public record Facts(String videoCodec, String pixelFormat, int width, int height, String frameRate, String audioCodec,
            int sampleRate, double durationSeconds) {

        public String resolution() {
            return width + "x" + height;
        }
    }

    public Facts probe(Path file, Path dir, RenderControl control) {
        ProcessRunner.Result result = ProcessRunner.run(List.of(ffprobe, "-v", "error", "-show_entries",
                "stream=codec_type,codec_name,width,height,pix_fmt,sample_rate,r_frame_rate:format=duration", "-of", "json",
                file.toString()), dir, control, "render");
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
            return new Facts(video == null ? null : video.path("codec_name").asText(), video == null ? null : video.path("pix_fmt")
                    .asText(),
                    video == null ? 0 : video.path("width").asInt(), video == null ? 0 : video.path("height").asInt(),
                    video == null ? null : video.path("r_frame_rate").asText(),
                    audio == null ? null : audio.path("codec_name").asText(), audio == null ? 0 : audio.path("sample_rate").asInt(),
                    root.path("format").path("duration").asDouble(0));
        } catch (IOException e) {
            throw new RenderException("render", "ffprobe output unreadable: " + e.getMessage(), false);
        }
    }

    /** Everything wrong with the video for a request of {@code requestedSeconds}; empty when it may be uploaded. */
    public static List<String> problems(Facts facts, int requestedSeconds) {
        List<String> problems = new ArrayList<>();
        if (!"h264".equals(facts.videoCodec())) {
            problems.add("video stream is " + facts.videoCodec() + ", expected h264");
        }
        if (!"yuv420p".equals(facts.pixelFormat())) {
            problems.add("pixel format is " + facts.pixelFormat() + ", expected yuv420p");
        }
        if (facts.width() != VideoRenderer.WIDTH || facts.height() != VideoRenderer.HEIGHT) {
            problems.add("resolution is " + facts.resolution() + ", expected 1080x1920");
        }
        if (!"30/1".equals(facts.frameRate())) {
            problems.add("frame rate is " + facts.frameRate() + ", expected 30/1");
        }
        if (!"aac".equals(facts.audioCodec()) || facts.sampleRate() != 48000) {
            problems.add("audio stream is " + facts.audioCodec() + " " + facts.sampleRate() + " Hz, expected aac 48000 Hz");
        }
        double deviation = Math.abs(facts.durationSeconds() - requestedSeconds) / requestedSeconds;
        if (deviation > 0.10) {
            problems.add(String.format(java.util.Locale.ROOT, "duration is %.1f s, more than 10%% away from the requested %d s",
                    facts.durationSeconds(), requestedSeconds));
        }
        return problems;
    }
}
