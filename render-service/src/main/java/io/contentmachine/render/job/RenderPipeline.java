package io.contentmachine.render.job;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.function.IntConsumer;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.contentmachine.events.MusicChoice;
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
import io.contentmachine.render.video.GeneratedVisuals;
import io.contentmachine.render.video.LibraryClient;
import io.contentmachine.render.video.LibraryVisuals;
import io.contentmachine.render.video.Loudness;
import io.contentmachine.render.video.MediaProbe;
import io.contentmachine.render.video.MusicBed;
import io.contentmachine.render.video.PexelsClient;
import io.contentmachine.render.video.PexelsVisuals;
import io.contentmachine.render.video.Pictograms;
import io.contentmachine.render.video.ProcessRunner;
import io.contentmachine.render.video.QualityGate;
import io.contentmachine.render.video.RenderControl;
import io.contentmachine.render.video.RenderException;
import io.contentmachine.render.video.Template;
import io.contentmachine.render.video.VideoRenderer;
import io.contentmachine.render.video.VisualSource;
import io.contentmachine.render.voice.EspeakSpeaker;
import io.contentmachine.render.voice.FestivalSpeaker;
import io.contentmachine.render.voice.Speaker;
import io.contentmachine.render.voice.Speech;
import io.contentmachine.render.voice.SpeechClient;
import io.contentmachine.render.voice.TimedWord;
import io.contentmachine.render.voice.Voice;
import io.contentmachine.render.voice.Wav;
import io.micrometer.core.annotation.Timed;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The blocking steps of a render (each runs on a render worker thread): script, voice, picture, quality gate, upload.
 * The render fits its own output to the requested length (speech rate first, then shortening the script) and checks the
 * video it made before anyone sees it.
 */
@ApplicationScoped
public class RenderPipeline {

    /** Silence after each scene. */
    static final double SCENE_GAP = 0.3;
    /** Share of the requested length the narration aims to fill; the rest is the closing hold. */
    static final double SPEECH_SHARE = 0.92;
    /** The narration may not run past the requested length less this closing hold. */
    static final double MIN_HOLD = 0.4;
    /** Speech rates that still sound natural: Festival's HTS engine and the speech server between these, espeak-ng wider. */
    static final double MIN_PACE = 0.8;
    static final double MAX_PACE = 1.3;
    /** Words a second at pace 1.0, pauses included (Festival's slt voice on the offline writer's scripts: 2.6). */
    static final double WORDS_PER_SECOND = 2.6;

    public static final String TIMING_SYNTHESIZER = "synthesizer";
    public static final String TIMING_ESTIMATED = "estimated";

    private final OfflineScriptWriter writer = new OfflineScriptWriter();
    private final LlmScriptWriter llm;
    private final EspeakSpeaker espeak;
    private final FestivalSpeaker festival;
    private final SpeechClient speech;
    private final VideoRenderer renderer;
    private final MediaProbe probe;
    private final QualityGate gate;
    private final Loudness loudness;
    private final String ffmpeg;
    private final Uploader uploader;
    private final LibraryClient library;

    @Inject
    RenderPipeline(RenderConfig config, LlmConfig llm, SpeechConfig speech, Uploader uploader,
            @ConfigProperty(name = "quarkus.rest-client.index-service.url") String indexUrl,
            @ConfigProperty(name = "quarkus.rest-client.storage-service.url") String storageUrl,
            @ConfigProperty(name = "internal.token") String token) {
        this(Tools.of(config), config.preset(), config.x264Params(), config.crf(), Path.of(config.workDir()), uploader,
                config.library().enabled() ? new LibraryClient(indexUrl, storageUrl, token, config.library().timeout(),
                        config.library().maxBytes()) : null,
                config.pexels().apiKey().filter(key -> !key.isBlank())
                        .map(key -> new PexelsClient(config.pexels().baseUrl(), key, config.pexels().timeout(), config.pexels().backoff()))
                        .orElse(null),
                llm.baseUrl().filter(url -> !url.isBlank())
                        .map(url -> new LlmScriptWriter(url, llm.model(), llm.apiKey().orElse(null), llm.timeout(),
                                new OfflineScriptWriter()))
                        .orElse(null),
                speech.enabled() ? new SpeechClient(speech.baseUrl().orElseThrow(), speech.model(), speech.apiKey().orElse(null),
                        speech.timeout(), config.ffmpeg()) : null);
    }

    /** The external programs and data a render uses. */
    record Tools(String ffmpeg, String ffprobe, String espeak, String festival, String rsvgConvert, String pangoView, String cldr,
            String fontDir, String cjkFont) {

        static Tools of(RenderConfig c) {
            return new Tools(c.ffmpeg(), c.ffprobe(), c.espeak(), c.festival(), c.rsvgConvert(), c.pangoView(), c.cldrAnnotations(),
                    c.fontDir(), c.cjkFont());
        }

        static Tools defaults() {
            return new Tools("ffmpeg", "ffprobe", "espeak-ng", "festival", "rsvg-convert", "pango-view",
                    "/usr/share/unicode/cldr/common/annotations", "/usr/share/fonts/truetype/dejavu",
                    "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc");
        }
    }

    private RenderPipeline(Tools tools, String preset, String x264Params, int crf, Path workDir, Uploader uploader, LibraryClient library,
            PexelsClient pexels, LlmScriptWriter llm, SpeechClient speech) {
        Pictograms pictograms = new Pictograms(Path.of(tools.cldr()), tools.pangoView(), workDir.resolve("pictograms"));
        // the owner's media library first, then stock footage, then the generated style
        GeneratedVisuals generated = new GeneratedVisuals(tools.rsvgConvert(), pictograms);
        List<VisualSource> sources = new ArrayList<>();
        if (library != null) {
            sources.add(new LibraryVisuals(library, generated));
        }
        if (pexels != null) {
            sources.add(new PexelsVisuals(pexels));
        }
        sources.add(generated);
        this.library = library;
        this.llm = llm;
        this.espeak = new EspeakSpeaker(tools.espeak());
        this.festival = new FestivalSpeaker(tools.festival());
        this.speech = speech;
        this.renderer = new VideoRenderer(tools.ffmpeg(), preset, x264Params, crf, new Fonts(tools.fontDir(), tools.cjkFont()), sources);
        this.probe = new MediaProbe(tools.ffprobe());
        this.gate = new QualityGate(tools.ffmpeg());
        this.loudness = new Loudness(tools.ffmpeg());
        this.ffmpeg = tools.ffmpeg();
        this.uploader = uploader;
    }

    /** A pipeline with the default tools and fonts and no uploader (tests, benchmark). */
    public static RenderPipeline local(Path workDir, String preset, int crf) {
        return local(workDir, preset, "cabac=1", crf, null);
    }

    /** As {@link #local(Path, String, int)} with libx264 options, speaking the speech server's voices with {@code speech}. */
    public static RenderPipeline local(Path workDir, String preset, String x264Params, int crf, SpeechClient speech) {
        return new RenderPipeline(Tools.defaults(), preset, x264Params, crf, workDir, null, null, null, null, speech);
    }

    /** As {@link #local(Path, String, int)}, asking the owner's media library (index- and storage-service, or stand-ins) first. */
    public static RenderPipeline withLibrary(Path workDir, String preset, int crf, LibraryClient library) {
        return new RenderPipeline(Tools.defaults(), preset, "cabac=1", crf, workDir, null, library, null, null, null);
    }

    /** As {@link #local(Path, String, int)}, asking Pexels (or a stand-in) for stock footage first. */
    public static RenderPipeline withPexels(Path workDir, String preset, int crf, PexelsClient pexels) {
        return new RenderPipeline(Tools.defaults(), preset, "cabac=1", crf, workDir, null, null, pexels, null, null);
    }

    /**
     * Spoken script: the plan as spoken (shortened when even the fastest natural pace ran too long), the audio file, the
     * real duration of each scene, every word with its time in the video, the pace (1.0 = natural), the engine that
     * spoke, why a fallback engine spoke if one did, where the word times came from ({@link #TIMING_SYNTHESIZER} or
     * {@link #TIMING_ESTIMATED}) and the language.
     */
    public record Narration(ScriptPlan plan, Path audio, List<Double> sceneSeconds, List<TimedWord> words, double videoSeconds,
            double pace, String engine, String voiceFallbackReason, String captionTiming, String language) {
    }

    /**
     * The checked video, ready to announce: with the quality gate's figures, what was fixed after the first measurement
     * (null when nothing), and per scene where its pictures came from.
     */
    public record Rendered(Path video, Path thumbnail, String sha256, long sizeBytes, double durationSeconds, String resolution,
            QualityGate.Figures quality, String fixed, List<VisualSource.SceneVisual> visuals, List<Caption> captions, Music music) {
    }

    /**
     * Whose video it is and what the request chose from the owner's library: the scenes ask the owner's library first, and
     * {@code music} (null: none) names a music bed by asset id or by tag.
     */
    public record Media(String ownerId, MusicChoice music) {

        public static final Media NONE = new Media(null, null);
    }

    /**
     * The music bed as it went into the video: the asset mixed in (null when none could be used), the tag asked for, how it
     * was mixed, and why there is none when the request asked for one.
     */
    public record Music(String assetId, String tag, String detail, String fallback) {
    }

    public ScriptPlan script(String topic, int lengthSeconds) {
        return writer.write(topic, lengthSeconds, "en");
    }

    /** The LLM writer when one is configured (falling back to the offline writer), else the offline writer; in {@code language}. */
    @Timed(value = "contentmachine.stage", extraTags = {"stage", "script"}, histogram = true)
    public ScriptPlan script(String topic, int lengthSeconds, String language) {
        return llm == null ? writer.write(topic, lengthSeconds, language) : llm.write(topic, lengthSeconds, language);
    }

    /**
     * Speaks the script. Festival's voices fall back to their espeak-ng voice when Festival fails, the speech server's
     * when the server fails (not when the render was cancelled or ran out of time); the narration says so.
     */
    @Timed(value = "contentmachine.stage", extraTags = {"stage", "voice"}, histogram = true)
    public Narration voice(ScriptPlan plan, Voice voice, Template template, int lengthSeconds, Path dir, RenderControl control) {
        Speaker primary = voice.speechServer() ? speech : voice.festival() ? festival : null;
        String reason = voice.speechServer() && speech == null ? "no speech server configured" : null;
        if (primary != null) {
            try {
                return narrate(primary, voice.engine(), null, plan, voice, lengthSeconds, dir, control);
            } catch (RenderException e) {
                control.throwIfStopped("voice");
                reason = voice.festival() ? "festival failed: " + e.getMessage() : e.getMessage();
            }
        }
        return narrate(espeak, Voice.ESPEAK, reason, plan, voice, lengthSeconds, dir, control);
    }

    private Narration narrate(Speaker speaker, String engine, String fallbackReason, ScriptPlan plan, Voice voice, int lengthSeconds,
            Path dir, RenderControl control) {
        double target = lengthSeconds * SPEECH_SHARE;
        double limit = lengthSeconds - MIN_HOLD;
        // the first pass already speaks at the pace the script's length suggests, so that most narrations are spoken once
        double pace = clampPace(speaker, plan.wordCount() / WORDS_PER_SECOND / Math.max(1, target - plan.scenes().size() * SCENE_GAP));
        List<Speech> parts = speak(speaker, plan, voice, pace, dir, control);
        double spoken = total(parts);
        if (Math.abs(spoken - target) / target > 0.04) {
            double wanted = pace * (spoken - gaps(parts)) / Math.max(1, target - gaps(parts));
            pace = clampPace(speaker, wanted);
            parts = speak(speaker, plan, voice, pace, dir, control);
            spoken = total(parts);
        }
        // still too long at the fastest natural pace: the script is shortened (never the hook or the call to action)
        for (int round = 0; round < 3 && spoken > limit; round++) {
            int words = plan.wordCount();
            ScriptPlan shorter = plan.shortened((int) Math.ceil(words * (1 - (limit - 0.3) / spoken)) + 1);
            if (shorter.wordCount() == words) {
                break;
            }
            plan = shorter;
            parts = speak(speaker, plan, voice, pace, dir, control);
            spoken = total(parts);
        }
        double video = Math.max(lengthSeconds, spoken + MIN_HOLD);
        List<Double> seconds = new ArrayList<>();
        List<TimedWord> words = new ArrayList<>();
        boolean timed = true;
        double offset = 0;
        for (int i = 0; i < parts.size(); i++) {
            Speech part = parts.get(i);
            List<TimedWord> sceneWords = part.timed() ? part.words() : CaptionTimer.estimate(plan.scenes().get(i).text(), part.wav());
            timed &= part.timed();
            for (TimedWord w : sceneWords) {
                words.add(w.shifted(offset));
            }
            double length = part.wav().seconds() + SCENE_GAP;
            seconds.add(i == parts.size() - 1 ? video - offset : length);
            offset += length;
        }
        Path audio = dir.resolve("narration.wav");
        try {
            Wav.concat(parts.stream().map(Speech::wav).toList(), SCENE_GAP, audio);
        } catch (IOException e) {
            throw new RenderException("voice", "cannot write narration: " + e.getMessage(), true);
        }
        return new Narration(plan, audio, seconds, words, video, pace, engine, fallbackReason,
                timed ? TIMING_SYNTHESIZER : TIMING_ESTIMATED, voice.language());
    }

    private double clampPace(Speaker speaker, double pace) {
        return Math.max(speaker == espeak ? 0.5 : MIN_PACE, Math.min(speaker == espeak ? 2.5 : MAX_PACE, pace));
    }

    public Rendered render(ScriptPlan plan, Narration narration, Template template, int lengthSeconds, Path dir, RenderControl control) {
        return render(plan, narration, template, lengthSeconds, dir, control, percent -> { });
    }

    /** As {@link #render(ScriptPlan, Narration, Template, int, Path, RenderControl)} for an owner's request ({@code media}). */
    public Rendered render(ScriptPlan plan, Narration narration, Template template, int lengthSeconds, Path dir, RenderControl control,
            Media media) {
        return render(plan, narration, template, lengthSeconds, dir, control, media, percent -> { });
    }

    /** As {@link #render(ScriptPlan, Narration, Template, int, Path, RenderControl, Media, IntConsumer)} with no library. */
    public Rendered render(ScriptPlan plan, Narration narration, Template template, int lengthSeconds, Path dir, RenderControl control,
            IntConsumer progress) {
        return render(plan, narration, template, lengthSeconds, dir, control, Media.NONE, progress);
    }

    /**
     * Draws, encodes and checks the video; {@code progress} hears the stage's percent while ffmpeg encodes (throttled)
     * and 100 once the video passed its check. The check is ffprobe's (format, size, duration) and the quality gate's
     * (cuts, loudness, caption placement); a loudness miss is fixed by levelling the audio again, anything else fails
     * the render with the figures.
     */
    @Timed(value = "contentmachine.stage", extraTags = {"stage", "render"}, histogram = true)
    public Rendered render(ScriptPlan plan, Narration narration, Template template, int lengthSeconds, Path dir, RenderControl control,
            Media media, IntConsumer progress) {
        ScriptPlan spoken = narration.plan();
        Music music = null;
        Path musicFile = null;
        if (media.music() != null) {
            musicFile = dir.resolve("music.m4a");
            music = music(media, musicFile);
            if (music.assetId() == null) {
                musicFile = null;
            }
        }
        List<VideoRenderer.SceneSpan> scenes = new ArrayList<>();
        double start = 0;
        for (int i = 0; i < spoken.scenes().size(); i++) {
            ScriptPlan.PlannedScene scene = spoken.scenes().get(i);
            scenes.add(new VideoRenderer.SceneSpan(scene.sequence(), scene.text(), scene.visualPrompt(), start,
                    narration.sceneSeconds().get(i)));
            start += narration.sceneSeconds().get(i);
        }
        String language = narration.language() == null ? "en" : narration.language().split("-")[0];
        VideoRenderer.Drawn drawn = renderer.render(new VideoRenderer.Input(spoken.title(), scenes, narration.words(), narration.audio(),
                narration.videoSeconds(), template, language, media.ownerId(), musicFile), dir, control, progress);
        Path video = dir.resolve("video.mp4");
        MediaProbe.Facts facts = probe.probe(video, dir, control);
        List<String> problems = MediaProbe.problems(facts, lengthSeconds);
        if (!problems.isEmpty()) {
            throw new RenderException("render", "rendered video failed its check: " + String.join("; ", problems), false);
        }
        Path cuts = dir.resolve(VideoRenderer.CUTS_FILE);
        QualityGate.Figures figures = gate.measureRendered(video, cuts, facts.durationSeconds(), drawn.captions(), dir, control);
        String fixed = null;
        if (QualityGate.loudnessMissed(figures)) {
            fixed = String.format(Locale.ROOT, "loudness re-levelled (was %.1f LUFS, true peak %.1f dBTP)",
                    figures.integratedLufs(), figures.truePeakDbtp());
            relevel(video, drawn.soundtrack(), dir, control);
            figures = gate.measureRendered(video, cuts, facts.durationSeconds(), drawn.captions(), dir, control);
        }
        List<String> missed = QualityGate.problems(figures);
        if (!missed.isEmpty()) {
            throw new RenderException("render", "rendered video failed its quality gate: " + String.join("; ", missed)
                    + (fixed == null ? "" : " (after: " + fixed + ")"), false);
        }
        progress.accept(100);
        try {
            return new Rendered(video, dir.resolve("thumbnail.jpg"), sha256(video), Files.size(video), facts.durationSeconds(),
                    facts.resolution(), figures, fixed, drawn.visuals(), drawn.captions(), music);
        } catch (IOException e) {
            throw new RenderException("render", "cannot read the rendered video: " + e.getMessage(), true);
        }
    }

    /**
     * Fetches the requested music bed into {@code target}: an asset by id (its normalised copy), or the owner's audio asset
     * that best matches the tag. What cannot be had (no library configured, no match, index or storage down, the asset not
     * ready) leaves the video with the voice alone and says why.
     */
    private Music music(Media media, Path target) {
        MusicChoice choice = media.music();
        String tag = choice.getTag();
        if (library == null) {
            return new Music(null, tag, null, "no media library configured");
        }
        try {
            UUID assetId = choice.getAssetId();
            String how = "asset chosen by the request";
            if (assetId == null && tag != null && media.ownerId() != null) {
                List<LibraryClient.Match> found = library.search(media.ownerId(), tag, List.of("audio"), 1);
                if (found.isEmpty()) {
                    return new Music(null, tag, null, "no ready audio asset matches the tag '" + tag + "'");
                }
                assetId = found.get(0).assetId();
                how = String.format(Locale.ROOT, "best match for the tag '%s' (score %.2f: '%s')", tag, found.get(0).score(),
                        found.get(0).description());
            }
            if (assetId == null) {
                return new Music(null, tag, null, "the request names neither a music asset nor a tag");
            }
            library.fetch(assetId, target);
            return new Music(assetId.toString(), tag, how + "; " + MusicBed.DETAIL, null);
        } catch (VisualSource.Unavailable e) {
            return new Music(null, tag, null, "music unavailable: " + e.getMessage());
        }
    }

    /** Levels the narration again with more peak headroom and puts it under the same picture (the video is copied, not encoded). */
    private void relevel(Path video, Path narration, Path dir, RenderControl control) {
        Path voice = loudness.normalise(narration, dir.resolve("voice-relevel.wav"), 0.6, dir, control);
        Path fixed = dir.resolve("video-fixed.mp4");
        ProcessRunner.run(List.of(ffmpeg, "-hide_banner", "-nostdin", "-y", "-v", "error", "-i", video.getFileName().toString(),
                "-i", voice.getFileName().toString(), "-map", "0:v", "-map", "1:a", "-c:v", "copy", "-af", "apad", "-shortest",
                "-c:a", "aac", "-b:a", "160k", "-ar", "48000", "-ac", "2", "-movflags", "+faststart", fixed.getFileName().toString()),
                dir, control, "render");
        try {
            Files.move(fixed, video, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new RenderException("render", "cannot replace the video: " + e.getMessage(), true);
        }
    }

    /** Uploads video and thumbnail; returns their staging keys. */
    @Timed(value = "contentmachine.stage", extraTags = {"stage", "upload"}, histogram = true)
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

    private static List<Speech> speak(Speaker speaker, ScriptPlan plan, Voice voice, double pace, Path dir, RenderControl control) {
        control.throwIfStopped("voice");
        List<String> texts = plan.scenes().stream().map(ScriptPlan.PlannedScene::text).toList();
        return speaker.speakAll(texts, voice, pace, dir, "scene", control);
    }

    private static double total(List<Speech> parts) {
        return parts.stream().mapToDouble(p -> p.wav().seconds()).sum() + gaps(parts);
    }

    private static double gaps(List<Speech> parts) {
        return parts.size() * SCENE_GAP;
    }

    /** Hex SHA-256 of a file, read as a stream. */
    public static String sha256(Path file) throws IOException {
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
