package io.contentmachine.render.video;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.IntConsumer;

import io.contentmachine.render.voice.TimedWord;

/**
 * Draws and encodes the video with one ffmpeg run. Each scene's time is cut into shots of at most
 * {@link #MAX_SHOT_SECONDS}; each shot's picture comes from the first {@link VisualSource} that has one. A shot enters
 * with a fast upward whip and drifts slowly; its pictogram pops in and floats; its key word slides in as a headline.
 * Over this: the title during the first shot, word-by-word captions ({@link CaptionLayout}) and a progress bar; under
 * it the narration (over a ducked music bed when one was chosen, {@link MusicBed}), levelled by {@link Loudness}. H.264
 * yuv420p + AAC 48 kHz, 1080x1920, 30 fps, +faststart. All text is one ASS script drawn by libass ({@link TextLayer}); the
 * same run scans the frames it encodes for scene cuts ({@link #CUTS_FILE}), so the quality gate needs no second decoding
 * pass. Every path in the filter graph is a plain relative name and no text is in it, so no text can break or inject into
 * the filter graph.
 */
public class VideoRenderer {

    public static final int WIDTH = 1080;
    public static final int HEIGHT = 1920;
    public static final int FPS = 30;
    /** A shot's picture is larger than the frame: room to drift sideways and to whip in from below. */
    public static final int MARGIN = 40;
    public static final int WHIP = 280;
    public static final int CARD_WIDTH = WIDTH + 2 * MARGIN;
    public static final int CARD_HEIGHT = HEIGHT + 2 * MARGIN + WHIP;
    /** Longest shot: ffmpeg's scene detection must find a cut at least every 3 s (2.8 s left one 3.1 s gap in 26 cuts). */
    public static final double MAX_SHOT_SECONDS = 2.5;
    /** How far a headline slides in, inside its band (it is clipped to it). */
    static final int HEADLINE_SLIDE = 180;
    /** The text layer (ASS script) and the scene cuts found in the encoded frames, in the render's folder. */
    static final String TEXT_FILE = "text.ass";
    public static final String CUTS_FILE = "cuts.txt";

    private final String ffmpeg;
    private final String preset;
    private final String x264Params;
    private final int crf;
    private final Fonts fonts;
    private final List<VisualSource> sources;
    private final Loudness loudness;
    private final MusicBed music;

    /** @param sources asked in order for each scene; the last must always answer (the generated style) */
    public VideoRenderer(String ffmpeg, String preset, String x264Params, int crf, Fonts fonts, List<VisualSource> sources) {
        this.ffmpeg = ffmpeg;
        this.preset = preset;
        this.x264Params = x264Params;
        this.crf = crf;
        this.fonts = fonts;
        this.sources = List.copyOf(sources);
        this.loudness = new Loudness(ffmpeg);
        this.music = new MusicBed(ffmpeg);
    }

    /** A scene as spoken: its text and visual prompt, and where it is in the video (seconds). */
    public record SceneSpan(int sequence, String text, String visualPrompt, double start, double seconds) {
    }

    /**
     * What to draw: title, scenes, the narration's words (seconds of the video) and audio, the video's length; whose media
     * library the scenes may ask ({@code ownerId}, null: none) and the music bed to mix under the voice (null: voice alone).
     */
    public record Input(String title, List<SceneSpan> scenes, List<TimedWord> words, Path narration, double durationSeconds,
            Template template, String language, String ownerId, Path music) {

        public Input(String title, List<SceneSpan> scenes, List<TimedWord> words, Path narration, double durationSeconds,
                Template template, String language) {
            this(title, scenes, words, narration, durationSeconds, template, language, null, null);
        }
    }

    /**
     * What was drawn: the captions (for the quality gate), each scene's pictures (for the provenance), and the soundtrack
     * before it was levelled (the voice, or the voice mixed over the music), should it need levelling again.
     */
    public record Drawn(List<Caption> captions, List<VisualSource.SceneVisual> visuals, List<Double> cuts, Path soundtrack) {
    }

    /** Renders {@code dir/video.mp4} and {@code dir/thumbnail.jpg}; {@code progress} hears the encode's percent (0..99). */
    public Drawn render(Input input, Path dir, RenderControl control, IntConsumer progress) {
        Template t = input.template();
        List<VisualSource.SceneVisual> visuals = new ArrayList<>();
        List<double[]> shots = new ArrayList<>();
        Set<String> usedAssets = new HashSet<>();
        Path previous = null;
        for (SceneSpan scene : input.scenes()) {
            List<double[]> slots = slots(scene.start(), scene.seconds());
            VisualSource.SceneBrief brief = new VisualSource.SceneBrief(scene.sequence(), scene.text(), scene.visualPrompt(),
                    input.language(), input.words(), slots, shots.size(), t, input.ownerId(), usedAssets, previous);
            VisualSource.SceneVisual visual = visual(brief, dir, control);
            visuals.add(visual);
            shots.addAll(slots);
            previous = visual.shots().get(visual.shots().size() - 1).picture();
        }
        List<Caption> captions = new CaptionLayout(fonts).layout(input.words(), t, input.durationSeconds());
        Path soundtrack = input.narration();
        if (input.music() != null) {
            // the voice is levelled first, so that the bed sits at the same distance under any voice; the mix is levelled again
            Path levelled = loudness.normalise(input.narration(), dir.resolve("voice-alone.wav"), dir, control);
            soundtrack = music.mix(levelled, input.music(), input.durationSeconds(), dir, control);
        }
        Path voice = loudness.normalise(soundtrack, dir.resolve("voice.wav"), dir, control);
        List<List<String>> inputs = new ArrayList<>();
        try {
            String filter = new Graph(dir, inputs).build(input, visuals, shots, captions);
            Files.writeString(dir.resolve("filter.txt"), filter, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new RenderException("render", "cannot prepare render files: " + e.getMessage(), true);
        }
        List<String> command = new ArrayList<>(List.of(ffmpeg, "-hide_banner", "-nostdin", "-y", "-v", "error",
                "-i", voice.getFileName().toString()));
        inputs.forEach(command::addAll);
        command.addAll(List.of("-filter_complex_script", "filter.txt", "-map", "[v]", "-map", "[a]",
                "-c:v", "libx264", "-preset", preset, "-crf", String.valueOf(crf), "-pix_fmt", "yuv420p"));
        if (!x264Params.isBlank()) {
            command.addAll(List.of("-x264-params", x264Params));
        }
        command.addAll(List.of("-r", String.valueOf(FPS), "-g", String.valueOf(FPS * 2),
                "-c:a", "aac", "-b:a", "160k", "-ar", "48000", "-ac", "2",
                "-t", num(input.durationSeconds()), "-movflags", "+faststart", "-progress", "progress.txt", "video.mp4",
                "-map", "[scanned]", "-c:v", "wrapped_avframe", "-t", num(input.durationSeconds()), "-f", "null", "-"));
        ProcessRunner.run(command, dir, control, "render",
                new EncodeProgress(dir.resolve("progress.txt"), input.durationSeconds(), progress));
        double at = Math.min(1.5, input.durationSeconds() / 2);
        ProcessRunner.run(List.of(ffmpeg, "-hide_banner", "-nostdin", "-y", "-v", "error", "-ss", num(at), "-i", "video.mp4",
                "-frames:v", "1", "-q:v", "3", "thumbnail.jpg"), dir, control, "render");
        List<Double> cuts = shots.stream().skip(1).map(s -> s[0]).toList();
        return new Drawn(captions, visuals, cuts, soundtrack);
    }

    /** The scene's time cut into equal slots of at most {@link #MAX_SHOT_SECONDS}, on frame boundaries. */
    static List<double[]> slots(double start, double seconds) {
        int count = Math.max(1, (int) Math.ceil(seconds / MAX_SHOT_SECONDS - 1e-9));
        List<double[]> slots = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            double from = Math.round((start + seconds * i / count) * FPS) / (double) FPS;
            double to = Math.round((start + seconds * (i + 1) / count) * FPS) / (double) FPS;
            slots.add(new double[] {from, to - from});
        }
        return slots;
    }

    private VisualSource.SceneVisual visual(VisualSource.SceneBrief brief, Path dir, RenderControl control) {
        List<String> skipped = new ArrayList<>();
        for (VisualSource source : sources) {
            control.throwIfStopped("render");
            Optional<VisualSource.SceneVisual> found;
            try {
                found = source.find(brief, dir, control);
            } catch (VisualSource.Unavailable e) {
                skipped.add(source.name() + " (" + e.getMessage() + ")");
                continue;
            }
            if (found.isPresent() && found.get().shots().size() == brief.slots().size()) {
                VisualSource.SceneVisual v = found.get();
                return skipped.isEmpty() ? v : new VisualSource.SceneVisual(v.source(),
                        v.detail() + "; nothing from " + String.join(", ", skipped), v.shots(), v.credits(), String.join(", ", skipped),
                        v.assetId());
            }
            skipped.add(source.name() + " (no match)");
        }
        throw new RenderException("render", "no visual source answered for scene " + brief.sequence(), false);
    }

    static String num(double value) {
        return String.format(Locale.ROOT, "%.3f", value);
    }

    /** Builds the filter graph text; writes one text file per drawn text and links the fonts under safe names. */
    private final class Graph {

        private final Path dir;
        /** Arguments of inputs 1.. (the narration is input 0), each ending with -i file; a still used twice is one input. */
        private final List<List<String>> inputs;
        private final Map<Path, Integer> stills = new java.util.HashMap<>();
        private int labels;

        Graph(Path dir, List<List<String>> inputs) {
            this.dir = dir;
            this.inputs = inputs;
        }

        /** Input number of a picture file (the narration is input 0). */
        private int input(Path file) {
            return stills.computeIfAbsent(file, f -> {
                inputs.add(List.of("-i", f.toString()));
                return inputs.size();
            });
        }

        /** A clip as its own input (never shared: two shots of one clip play different parts), looped, from {@code offset}. */
        private int clip(Path file, double offset) {
            inputs.add(List.of("-stream_loop", "-1", "-ss", num(offset), "-threads", "2", "-i", file.toString()));
            return inputs.size();
        }

        String build(Input in, List<VisualSource.SceneVisual> visuals, List<double[]> slots, List<Caption> captions)
                throws IOException {
            Template t = in.template();
            double d = in.durationSeconds();
            List<VisualSource.Shot> shots = new ArrayList<>();
            visuals.forEach(v -> shots.addAll(v.shots()));
            StringBuilder g = new StringBuilder();
            int frames = 0;
            for (int k = 0; k < shots.size(); k++) {
                double[] slot = slots.get(k);
                int end = k == shots.size() - 1 ? (int) Math.ceil(d * FPS) : (int) Math.round((slot[0] + slot[1]) * FPS);
                int count = Math.max(1, end - frames);
                frames += count;
                double seconds = count / (double) FPS;
                VisualSource.Shot shot = shots.get(k);
                g.append(switch (shot.motion()) {
                    // the card whips in from below and drifts sideways: a moving crop of a still decoded once
                    case CARD -> String.format(Locale.ROOT, "[%d:v]format=yuv420p,loop=loop=-1:size=1,setpts=N/%d/TB,"
                            + "trim=end_frame=%d,crop=%d:%d:x='%d+%d*t/%s':y='%d+%d*pow(max(0\\,1-t/0.22)\\,2)'[s%d];%n",
                            input(shot.picture()), FPS, count, WIDTH, HEIGHT, MARGIN, (k % 2 == 0 ? 1 : -1) * (MARGIN - 4), num(seconds),
                            MARGIN, WHIP, k);
                    // a photo: scaled to cover the frame once, then a slow push-in (zoompan on the frame-sized picture)
                    case PUSH_IN -> String.format(Locale.ROOT, "[%d:v]scale=%d:%d:force_original_aspect_ratio=increase,crop=%d:%d,"
                            + "format=yuv420p,zoompan=z='1+0.08*on/%d':x='iw/2-iw/zoom/2':y='ih/2-ih/zoom/2':d=%d:s=%dx%d:fps=%d,"
                            + "setsar=1,fade=t=in:d=0.15[s%d];%n", input(shot.picture()), WIDTH, HEIGHT, WIDTH, HEIGHT, count, count,
                            WIDTH, HEIGHT, FPS, k);
                    // footage: cover-cropped, played at 30 fps, looped when shorter than its shot, a short fade in
                    case FOOTAGE -> String.format(Locale.ROOT, "[%d:v]fps=%d,scale=%d:%d:force_original_aspect_ratio=increase,"
                            + "crop=%d:%d,setsar=1,format=yuv420p,trim=end_frame=%d,setpts=PTS-STARTPTS,fade=t=in:d=0.15[s%d];%n",
                            clip(shot.picture(), shot.offset()), FPS, WIDTH, HEIGHT, WIDTH, HEIGHT, count, k);
                });
            }
            for (int k = 0; k < shots.size(); k++) {
                g.append("[s").append(k).append(']');
            }
            g.append("concat=n=").append(shots.size()).append(":v=1:a=0[bg0];\n");
            String last = "bg0";
            for (int k = 0; k < shots.size(); k++) {
                VisualSource.Shot shot = shots.get(k);
                if (shot.sticker() == null) {
                    continue;
                }
                double a = slots.get(k)[0];
                double b = k + 1 < slots.size() ? slots.get(k + 1)[0] : d;
                String next = "bg" + (++labels);
                // pops up from below with an overshoot-free ease, then floats
                g.append(String.format(Locale.ROOT, "[%s][%d:v]overlay=x='%d-w/2':y='%d-h/2+520*pow(max(0\\,1-(t-%s)/0.38)\\,3)"
                        + "+16*sin(2*PI*(t-%s)/2.3)':eval=frame:enable='between(t,%s,%s)'[%s];%n", last, input(shot.sticker()),
                        shot.stickerX(), shot.stickerY(), num(a), num(a), num(a), num(b - 0.001), next));
                last = next;
            }
            TextLayer text = new TextLayer(fonts);
            decorations(text, t, d);
            boolean titled = in.title() != null && !in.title().isBlank();
            double titleUntil = titled ? Math.min(3.0, slots.get(0)[1]) : 0;
            if (titled) {
                title(text, in.title(), t, titleUntil, d);
            }
            for (int k = 0; k < shots.size(); k++) {
                double a = slots.get(k)[0];
                double b = k + 1 < slots.size() ? slots.get(k + 1)[0] : d;
                if (shots.get(k).headline() != null && a >= titleUntil - 0.01) {
                    headline(text, shots.get(k), a, b, k);
                }
            }
            for (Caption caption : captions) {
                caption(text, caption, t);
            }
            List<TextLayer.Placed> outside = text.outside();
            if (!outside.isEmpty()) {
                // the layout fits every text to its card; a text that still crosses one is a layout bug, not a video to post
                throw new RenderException("render", outside.size() + " texts would cross their card (first: " + outside.get(0) + ")",
                        false);
            }
            Files.writeString(dir.resolve(TEXT_FILE), text.script(), StandardCharsets.UTF_8);
            g.append('[').append(last).append("]ass=filename=").append(TEXT_FILE).append("[base];\n");
            g.append(String.format(Locale.ROOT, "color=c=%s:s=%dx%d:r=%d:d=%s[bar];%n", t.barColor(), WIDTH, t.barHeight(), FPS, num(d)));
            // the frames as they go to the encoder are also scanned for scene cuts, at a quarter of the size, into a second
            // (null) output: ffmpeg advances both outputs together, so no frames pile up for the encoder; every frame's
            // score is written to cuts.txt and the quality gate applies the threshold
            g.append(String.format(Locale.ROOT, "[base][bar]overlay=x='-W+W*t/%s':y=%d:eval=frame,format=yuv420p,split=2[v][scan];%n",
                    num(d), t.barY()));
            g.append(String.format(Locale.ROOT, "[scan]scale=%d:%d:flags=fast_bilinear,select='gte(scene,0)',"
                    + "metadata=mode=print:key=lavfi.scene_score:file=%s[scanned];%n", WIDTH / 4, HEIGHT / 4, CUTS_FILE));
            g.append(String.format(Locale.ROOT, "[0:a]aresample=48000,apad,atrim=duration=%s[a]\n", num(d)));
            return g.toString();
        }

        /** Static bars of the template, the whole video long. */
        private void decorations(TextLayer text, Template t, double d) {
            switch (t.titleStyle()) {
                case CARD -> text.box(0, 0, d, 0, 1820, WIDTH, 100, "black@0.35");
                case PLAIN -> text.box(0, 0, d, 80, 1660, 920, 4, "0x1f2328@0.5");
                case BANNER -> {
                    text.box(0, 0, d, 0, 0, WIDTH, 150, "0xe10600@0.95");
                    text.box(0, 0, d, 0, 1560, WIDTH, 6, "white@0.8");
                }
            }
        }

        /** The shot's headline, fitted to its band: slides in from alternating sides and fades in; an accent bar lands under it. */
        private void headline(TextLayer text, VisualSource.Shot shot, double a, double b, int k) {
            List<HeadlineLayout.Line> lines = new HeadlineLayout(fonts).fit(shot.headline());
            double in = a + 0.08;
            int widest = 0;
            for (HeadlineLayout.Line line : lines) {
                widest = Math.max(widest, line.width());
                int from = line.x() + (k % 2 == 0 ? -1 : 1) * HEADLINE_SLIDE;
                int top = text.top(line.font(), line.size(), line.baseline());
                text.text(1, in, b, line.text(), line.font(), line.size(), line.x(), line.baseline(), color(shot.headlineColor()), null, 0,
                        String.format(Locale.ROOT, "\\move(%d,%d,%d,%d,0,400)\\fad(250,0)", from, top, line.x(), top),
                        HeadlineLayout.BAND);
            }
            if (!lines.isEmpty()) {
                text.box(1, in + 0.35, b, (WIDTH - widest) / 2, HeadlineLayout.BASELINE + 28, widest, 14, color(shot.accent()));
            }
        }

        private void title(TextLayer text, String title, Template t, double until, double d) {
            switch (t.titleStyle()) {
                case CARD -> {
                    List<String> lines = wrap(title.toUpperCase(Locale.ROOT), 76, 3);
                    int top = 270;
                    int[] card = {96, top - 30, 888, lines.size() * 92 + 50};
                    text.box(2, 0, until, card[0], card[1], card[2], card[3], "0xffe600@0.95");
                    lines(text, lines, 76, "black", top, 92, until, null, card);
                }
                case PLAIN -> lines(text, wrap(title, 68, 3), 68, "0x1f2328", 270, 88, until, "0xf4f1ea@0.85", null);
                case BANNER -> {
                    lines(text, List.of("BREAKING"), 54, "white", 45, 60, d, null, new int[] {0, 0, WIDTH, 150});
                    List<String> lines = wrap(title, 60, 3);
                    int[] card = {0, 250, WIDTH, lines.size() * 78 + 40};
                    text.box(2, 0, until, card[0], card[1], card[2], card[3], "0x000000@0.6");
                    lines(text, lines, 60, "white", 270, 78, until, null, card);
                }
            }
        }

        /**
         * Centred lines from the start until {@code until}, inside {@code card}, or each on a box of its own (its card)
         * when {@code box} is a colour.
         */
        private void lines(TextLayer text, List<String> lines, int size, String color, int top, int lineHeight, double until, String box,
                int[] card) {
            for (int i = 0; i < lines.size(); i++) {
                Fonts.Choice choice = fonts.choose(lines.get(i), true);
                if (choice.text().isBlank()) {
                    continue;
                }
                int width = (int) Math.ceil(fonts.width(choice.file(), choice.text(), size));
                int x = (WIDTH - width) / 2;
                int baseline = top + i * lineHeight + (int) Math.round(size * 0.95);
                int[] own = card;
                if (box != null) {
                    int boxTop = text.top(choice.file(), size, baseline);
                    own = new int[] {x - 16, boxTop - 16, width + 32, (int) Math.ceil(fonts.assSize(choice.file(), size)) + 32};
                    text.box(2, 0, until, own[0], own[1], own[2], own[3], box);
                }
                text.text(3, 0, until, choice.text(), choice.file(), size, x, baseline, color, null, 0, null, own);
            }
        }

        /** A caption: its panel, its words, and the spoken word on the highlight box, each only while it is spoken. */
        private void caption(TextLayer text, Caption c, Template t) {
            int[] box = c.box();
            String edge = t.captionBorder();
            text.box(4, c.start(), c.end(), box[0], box[1], box[2], box[3], t.panelColor());
            int border = Math.max(3, c.size() / 16);
            for (Caption.Word w : c.words()) {
                // punctuation standing alone (French " :" or " ?") is shown but never highlighted as a word
                boolean spoken = w.end() - w.start() > 0.02 && w.text().codePoints().anyMatch(Character::isLetterOrDigit);
                if (!spoken) {
                    text.text(5, c.start(), c.end(), w.text(), w.font(), c.size(), w.x(), w.baseline(), "white", edge, border, null,
                            box);
                    continue;
                }
                text.text(5, c.start(), w.start(), w.text(), w.font(), c.size(), w.x(), w.baseline(), "white", edge, border, null,
                        box);
                text.text(5, w.end(), c.end(), w.text(), w.font(), c.size(), w.x(), w.baseline(), "white", edge, border, null,
                        box);
                text.box(6, w.start(), w.end(), w.x() - 10, w.baseline() - (int) Math.round(c.size() * 0.9), w.width() + 20,
                        (int) Math.round(c.size() * 1.16), t.highlightBox());
                text.text(7, w.start(), w.end(), w.text(), w.font(), c.size(), w.x(), w.baseline(), t.highlightText(), null, 0, null, box);
            }
        }

        /** Greedy word wrap by measured width inside the safe area; at most {@code maxLines}, the last one cut with "…". */
        private List<String> wrap(String raw, int size, int maxLines) {
            String text = fonts.drawable(raw);
            int maxWidth = CaptionLayout.SAFE_RIGHT - CaptionLayout.SAFE_LEFT - 40;
            List<String> lines = new ArrayList<>();
            StringBuilder line = new StringBuilder();
            for (String word : text.split(" ")) {
                String candidate = line.length() == 0 ? word : line + " " + word;
                if (line.length() > 0 && measure(candidate, size) > maxWidth) {
                    lines.add(line.toString());
                    line.setLength(0);
                    candidate = word;
                }
                // a word wider than a line (e.g. a long CJK run) is cut where it stops fitting
                while (measure(candidate, size) > maxWidth && candidate.codePointCount(0, candidate.length()) > 1) {
                    int cut = candidate.offsetByCodePoints(0, candidate.codePointCount(0, candidate.length()) - 1);
                    int fit = cut;
                    while (fit > 0 && measure(candidate.substring(0, fit), size) > maxWidth) {
                        fit = candidate.offsetByCodePoints(fit, -1);
                    }
                    if (fit == 0) {
                        break;
                    }
                    lines.add(candidate.substring(0, fit));
                    candidate = candidate.substring(fit);
                }
                line.setLength(0);
                line.append(candidate);
            }
            if (line.length() > 0) {
                lines.add(line.toString());
            }
            if (lines.size() > maxLines) {
                List<String> kept = new ArrayList<>(lines.subList(0, maxLines));
                kept.set(maxLines - 1, kept.get(maxLines - 1) + "…");
                return kept;
            }
            return lines;
        }

        private double measure(String text, int size) {
            Fonts.Choice choice = fonts.choose(text, true);
            return fonts.width(choice.file(), choice.text(), size);
        }
    }

    /** ffmpeg's colour syntax for a CSS hex colour ("#ff0000" → "0xff0000"). */
    static String color(String css) {
        return css.startsWith("#") ? "0x" + css.substring(1) : css;
    }
}
