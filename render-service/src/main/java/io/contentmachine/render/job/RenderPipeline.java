package io.contentmachine.render.job;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.contentmachine.render.client.Uploader;
import io.contentmachine.render.config.LlmConfig;
import io.contentmachine.render.config.RenderConfig;
import io.contentmachine.render.script.LlmScriptWriter;
import io.contentmachine.render.script.OfflineScriptWriter;
import io.contentmachine.render.script.ScriptPlan;
import io.contentmachine.render.video.Caption;
import io.contentmachine.render.video.CaptionTimer;
import io.contentmachine.render.video.Fonts;
import io.contentmachine.render.video.MediaProbe;
import io.contentmachine.render.video.RenderControl;
import io.contentmachine.render.video.RenderException;
import io.contentmachine.render.video.Template;
import io.contentmachine.render.video.VideoRenderer;
import io.contentmachine.render.voice.EspeakSpeaker;
import io.contentmachine.render.voice.Voice;
import io.contentmachine.render.voice.Wav;

/** The blocking steps of a render (each runs on a render worker thread): script, voice, picture, upload. */
@ApplicationScoped
public class RenderPipeline {

    /** Silence after each scene. */
    static final double SCENE_GAP = 0.3;
    /** Share of the requested length the narration aims to fill; the rest is the closing hold. */
    static final double SPEECH_SHARE = 0.92;

    private final OfflineScriptWriter writer = new OfflineScriptWriter();
    private final LlmScriptWriter llm;
    private final EspeakSpeaker speaker;
    private final VideoRenderer renderer;
    private final MediaProbe probe;
    private final Uploader uploader;

    @Inject
    RenderPipeline(RenderConfig config, LlmConfig llm, Uploader uploader) {
        this(config.espeak(), new VideoRenderer(config.ffmpeg(), config.preset(), config.crf(),
                new Fonts(config.fontDir(), config.cjkFont()), Path.of(config.workDir(), "backgrounds")),
                new MediaProbe(config.ffprobe()), uploader, llm.baseUrl().filter(url -> !url.isBlank())
                        .map(url -> new LlmScriptWriter(url, llm.model(), llm.apiKey().orElse(null), llm.timeout(), new OfflineScriptWriter()))
                        .orElse(null));
    }

    private RenderPipeline(String espeak, VideoRenderer renderer, MediaProbe probe, Uploader uploader, LlmScriptWriter llm) {
        this.llm = llm;
        this.speaker = new EspeakSpeaker(espeak);
        this.renderer = renderer;
        this.probe = probe;
        this.uploader = uploader;
    }

    /** A pipeline with the default tools and fonts and no uploader (tests, benchmark). */
    public static RenderPipeline local(Path workDir, String preset, int crf) {
        return new RenderPipeline("espeak-ng", new VideoRenderer("ffmpeg", preset, crf,
                new Fonts("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"),
                workDir.resolve("backgrounds")), new MediaProbe("ffprobe"), null, null);
    }

    /** Spoken script: the audio file, the real duration of each scene, and captions timed to the speech. */
    public record Narration(Path audio, List<Double> sceneSeconds, List<Caption> captions, double videoSeconds, int wordsPerMinute) {
    }

    /** The checked video, ready to announce. */
    public record Rendered(Path video, Path thumbnail, String sha256, long sizeBytes, double durationSeconds, String resolution) {
    }

    public ScriptPlan script(String topic, int lengthSeconds) {
        return writer.write(topic, lengthSeconds);
    }

    /** The LLM writer when one is configured (falling back to the offline writer), else the offline writer. */
    public ScriptPlan script(String topic, int lengthSeconds, String language) {
        return llm == null ? writer.write(topic, lengthSeconds) : llm.write(topic, lengthSeconds, language);
    }

    /**
     * Speaks each scene; when the natural pace misses the requested length, speaks again at the pace that fits
     * (espeak-ng's speed scales duration almost linearly).
     */
    public Narration voice(ScriptPlan plan, Voice voice, Template template, int lengthSeconds, Path dir, RenderControl control) {
        double target = lengthSeconds * SPEECH_SHARE;
        int wpm = EspeakSpeaker.BASE_WPM;
        List<Wav> parts = speak(plan, voice, wpm, dir, control);
        double spoken = total(parts);
        if (Math.abs(spoken - target) / target > 0.04) {
            wpm = (int) Math.round(Math.max(80, Math.min(450, wpm * (spoken - gaps(parts)) / (target - gaps(parts)))));
            parts = speak(plan, voice, wpm, dir, control);
            spoken = total(parts);
        }
        double video = Math.max(lengthSeconds, spoken + 0.5);
        List<Double> seconds = new ArrayList<>();
        List<Caption> captions = new ArrayList<>();
        double offset = 0;
        for (int i = 0; i < parts.size(); i++) {
            Wav part = parts.get(i);
            captions.addAll(CaptionTimer.time(plan.scenes().get(i).text(), part, offset, template.wordsPerGroup()));
            double length = part.seconds() + SCENE_GAP;
            seconds.add(i == parts.size() - 1 ? video - offset : length);
            offset += length;
        }
        Path audio = dir.resolve("narration.wav");
        try {
            Wav.concat(parts, SCENE_GAP, audio);
        } catch (IOException e) {
            throw new RenderException("voice", "cannot write narration: " + e.getMessage(), true);
        }
        return new Narration(audio, seconds, captions, video, wpm);
    }

    public Rendered render(ScriptPlan plan, Narration narration, Template template, int lengthSeconds, Path dir, RenderControl control) {
        renderer.render(new VideoRenderer.Input(plan.title(), narration.captions(), narration.audio(), narration.videoSeconds(), template),
                dir, control);
        Path video = dir.resolve("video.mp4");
        MediaProbe.Facts facts = probe.probe(video, dir, control);
        List<String> problems = MediaProbe.problems(facts, lengthSeconds);
        if (!problems.isEmpty()) {
            throw new RenderException("render", "rendered video failed its check: " + String.join("; ", problems), false);
        }
        try {
            return new Rendered(video, dir.resolve("thumbnail.jpg"), sha256(video), Files.size(video), facts.durationSeconds(),
                    facts.resolution());
        } catch (IOException e) {
            throw new RenderException("render", "cannot read the rendered video: " + e.getMessage(), true);
        }
    }

    /** Uploads video and thumbnail; returns their staging keys. */
    public List<String> upload(UUID projectId, Rendered rendered, RenderControl control) {
        String videoKey = uploader.upload(projectId, rendered.video(), rendered.sha256(), "video/mp4", control);
        String thumbnailKey;
        try {
            thumbnailKey = uploader.upload(projectId, rendered.thumbnail(), sha256(rendered.thumbnail()), "image/jpeg", control);
        } catch (IOException e) {
            throw new RenderException("upload", "cannot read the thumbnail: " + e.getMessage(), true);
        }
        return List.of(videoKey, thumbnailKey);
    }

    private List<Wav> speak(ScriptPlan plan, Voice voice, int wpm, Path dir, RenderControl control) {
        List<Wav> parts = new ArrayList<>();
        for (ScriptPlan.PlannedScene scene : plan.scenes()) {
            control.throwIfStopped("voice");
            parts.add(speaker.speak(scene.text(), voice, wpm, dir, "scene-" + scene.sequence(), control));
        }
        return parts;
    }

    private static double total(List<Wav> parts) {
        return parts.stream().mapToDouble(Wav::seconds).sum() + gaps(parts);
    }

    private static double gaps(List<Wav> parts) {
        return parts.size() * SCENE_GAP;
    }

    static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
