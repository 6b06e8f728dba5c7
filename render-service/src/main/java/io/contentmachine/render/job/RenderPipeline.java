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
import java.util.function.IntConsumer;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.contentmachine.render.client.Uploader;
import io.contentmachine.render.config.LlmConfig;
import io.contentmachine.render.config.RenderConfig;
import io.contentmachine.render.config.SpeechConfig;
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
import io.contentmachine.render.voice.Speaker;
import io.contentmachine.render.voice.SpeechClient;
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
    private final EspeakSpeaker espeak;
    private final SpeechClient speech;
    private final VideoRenderer renderer;
    private final MediaProbe probe;
    private final Uploader uploader;

    @Inject
    RenderPipeline(RenderConfig config, LlmConfig llm, SpeechConfig speech, Uploader uploader) {
        this(config.espeak(), new VideoRenderer(config.ffmpeg(), config.preset(), config.x264Params(), config.crf(),
                new Fonts(config.fontDir(), config.cjkFont()), Path.of(config.workDir(), "backgrounds")),
                new MediaProbe(config.ffprobe()), uploader, llm.baseUrl().filter(url -> !url.isBlank())
                        .map(url -> new LlmScriptWriter(url, llm.model(), llm.apiKey().orElse(null), llm.timeout(), new OfflineScriptWriter()))
                        .orElse(null),
                speech.enabled() ? new SpeechClient(speech.baseUrl().orElseThrow(), speech.model(), speech.apiKey().orElse(null),
                        speech.timeout(), config.ffmpeg()) : null);
    }

    private RenderPipeline(String espeak, VideoRenderer renderer, MediaProbe probe, Uploader uploader, LlmScriptWriter llm,
            SpeechClient speech) {
        this.llm = llm;
        this.espeak = new EspeakSpeaker(espeak);
        this.speech = speech;
        this.renderer = renderer;
        this.probe = probe;
        this.uploader = uploader;
    }

    /** A pipeline with the default tools and fonts and no uploader (tests, benchmark). */
    public static RenderPipeline local(Path workDir, String preset, int crf) {
        return local(workDir, preset, "cabac=1", crf, null);
    }

    /** As {@link #local(Path, String, int)} with libx264 options, speaking the speech server's voices with {@code speech}. */
    public static RenderPipeline local(Path workDir, String preset, String x264Params, int crf, SpeechClient speech) {
        return new RenderPipeline("espeak-ng", new VideoRenderer("ffmpeg", preset, x264Params, crf,
                new Fonts("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"),
                workDir.resolve("backgrounds")), new MediaProbe("ffprobe"), null, null, speech);
    }

    /**
     * Spoken script: the audio file, the real duration of each scene, captions timed to the speech, the pace it was
     * spoken at (1.0 = natural), the engine that spoke it and, when the speech server failed, why espeak-ng spoke instead.
     */
    public record Narration(Path audio, List<Double> sceneSeconds, List<Caption> captions, double videoSeconds, double pace,
            String engine, String voiceFallbackReason) {
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
     * Speaks each scene; when the natural pace misses the requested length, speaks again at the pace that fits (both
     * espeak-ng's words per minute and the speech server's speed scale duration almost linearly). A voice of the speech
     * server falls back to its espeak-ng voice for the whole narration when the server fails (not when the render was
     * cancelled or ran out of time); the narration says so.
     */
    public Narration voice(ScriptPlan plan, Voice voice, Template template, int lengthSeconds, Path dir, RenderControl control) {
        if (voice.speechServer() && speech != null) {
            try {
                return narrate(speech, Voice.SPEECH_SERVER, null, plan, voice, template, lengthSeconds, dir, control);
            } catch (RenderException e) {
                control.throwIfStopped("voice");
                return narrate(espeak, Voice.ESPEAK, e.getMessage(), plan, voice, template, lengthSeconds, dir, control);
            }
        }
        String reason = voice.speechServer() ? "no speech server configured" : null;
        return narrate(espeak, Voice.ESPEAK, reason, plan, voice, template, lengthSeconds, dir, control);
    }

    private Narration narrate(Speaker speaker, String engine, String fallbackReason, ScriptPlan plan, Voice voice, Template template,
            int lengthSeconds, Path dir, RenderControl control) {
        double target = lengthSeconds * SPEECH_SHARE;
        double pace = 1.0;
        List<Wav> parts = speak(speaker, plan, voice, pace, dir, control);
        double spoken = total(parts);
        if (Math.abs(spoken - target) / target > 0.04) {
            pace = Math.max(0.5, Math.min(2.5, pace * (spoken - gaps(parts)) / Math.max(1, target - gaps(parts))));
            parts = speak(speaker, plan, voice, pace, dir, control);
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
        return new Narration(audio, seconds, captions, video, pace, engine, fallbackReason);
    }

    public Rendered render(ScriptPlan plan, Narration narration, Template template, int lengthSeconds, Path dir, RenderControl control) {
        return render(plan, narration, template, lengthSeconds, dir, control, percent -> { });
    }

    /**
     * Draws, encodes and checks the video; {@code progress} hears the stage's percent while ffmpeg encodes (throttled)
     * and 100 once the video passed its check.
     */
    public Rendered render(ScriptPlan plan, Narration narration, Template template, int lengthSeconds, Path dir, RenderControl control,
            IntConsumer progress) {
        renderer.render(new VideoRenderer.Input(plan.title(), narration.captions(), narration.audio(), narration.videoSeconds(), template),
                dir, control, progress);
        Path video = dir.resolve("video.mp4");
        MediaProbe.Facts facts = probe.probe(video, dir, control);
        List<String> problems = MediaProbe.problems(facts, lengthSeconds);
        if (!problems.isEmpty()) {
            throw new RenderException("render", "rendered video failed its check: " + String.join("; ", problems), false);
        }
        progress.accept(100);
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

    private static List<Wav> speak(Speaker speaker, ScriptPlan plan, Voice voice, double pace, Path dir, RenderControl control) {
        List<Wav> parts = new ArrayList<>();
        for (ScriptPlan.PlannedScene scene : plan.scenes()) {
            control.throwIfStopped("voice");
            parts.add(speaker.speak(scene.text(), voice, pace, dir, "scene-" + scene.sequence(), control));
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
