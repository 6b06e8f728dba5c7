package io.contentmachine.render.video;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntConsumer;

import io.contentmachine.render.voice.TimedWord;

/**
 * Draws and encodes the video with one ffmpeg run. Each scene's time is cut into shots of at most
 * {@link #MAX_SHOT_SECONDS}; each shot's picture comes from the first {@link VisualSource} that has one. A shot enters
 * with a fast upward whip and drifts slowly; its pictogram pops in and floats; its key word slides in as a headline.
 * Over this: the title during the first shot, word-by-word captions ({@link CaptionLayout}) and a progress bar; under
 * it the narration, levelled by {@link Loudness}. H.264 yuv420p + AAC 48 kHz, 1080x1920, 30 fps, +faststart. Every
 * text reaches ffmpeg through a file (drawtext textfile=, expansion=none) and every path in the filter graph is a plain
 * relative name, so no text can break or inject into the filter graph.
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

    private final String ffmpeg;
    private final String preset;
    private final String x264Params;
    private final int crf;
    private final Fonts fonts;
    private final List<VisualSource> sources;
    private final Loudness loudness;

    /** @param sources asked in order for each scene; the last must always answer (the generated style) */
    public VideoRenderer(String ffmpeg, String preset, String x264Params, int crf, Fonts fonts, List<VisualSource> sources) {
        this.ffmpeg = ffmpeg;
        this.preset = preset;
        this.x264Params = x264Params;
        this.crf = crf;
        this.fonts = fonts;
        this.sources = List.copyOf(sources);
        this.loudness = new Loudness(ffmpeg);
    }

    /** A scene as spoken: its text and visual prompt, and where it is in the video (seconds). */
    public record SceneSpan(int sequence, String text, String visualPrompt, double start, double seconds) {
    }

    /** What to draw: title, scenes, the narration's words (seconds of the video) and audio, the video's length. */
    public record Input(String title, List<SceneSpan> scenes, List<TimedWord> words, Path narration, double durationSeconds,
            Template template, String language) {
    }

    /** What was drawn: the captions (for the quality gate) and each scene's pictures (for the provenance). */
    public record Drawn(List<Caption> captions, List<VisualSource.SceneVisual> visuals, List<Double> cuts) {
    }

    /** Renders {@code dir/video.mp4} and {@code dir/thumbnail.jpg}; {@code progress} hears the encode's percent (0..99). */
    public Drawn render(Input input, Path dir, RenderControl control, IntConsumer progress) {
        Template t = input.template();
        List<VisualSource.SceneVisual> visuals = new ArrayList<>();
        List<double[]> shots = new ArrayList<>();
        for (SceneSpan scene : input.scenes()) {
            List<double[]> slots = slots(scene.start(), scene.seconds());
            VisualSource.SceneBrief brief = new VisualSource.SceneBrief(scene.sequence(), scene.text(), scene.visualPrompt(),
                    input.language(), input.words(), slots, shots.size(), t);
            visuals.add(visual(brief, dir, control));
            shots.addAll(slots);
        }
        List<Caption> captions = new CaptionLayout(fonts).layout(input.words(), t, input.durationSeconds());
        Path voice = loudness.normalise(input.narration(), dir.resolve("voice.wav"), dir, control);
        Map<Path, Integer> inputs = new LinkedHashMap<>();
        try {
            String filter = new Graph(dir, inputs).build(input, visuals, shots, captions);
            Files.writeString(dir.resolve("filter.txt"), filter, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new RenderException("render", "cannot prepare render files: " + e.getMessage(), true);
        }
        List<String> command = new ArrayList<>(List.of(ffmpeg, "-hide_banner", "-nostdin", "-y", "-v", "error",
                "-i", voice.getFileName().toString()));
        for (Path file : inputs.keySet()) {
            command.addAll(List.of("-i", file.toString()));
        }
        command.addAll(List.of("-filter_complex_script", "filter.txt", "-map", "[v]", "-map", "[a]",
                "-c:v", "libx264", "-preset", preset, "-crf", String.valueOf(crf), "-pix_fmt", "yuv420p"));
        if (!x264Params.isBlank()) {
            command.addAll(List.of("-x264-params", x264Params));
        }
        command.addAll(List.of("-r", String.valueOf(FPS), "-g", String.valueOf(FPS * 2),
                "-c:a", "aac", "-b:a", "160k", "-ar", "48000", "-ac", "2",
                "-t", num(input.durationSeconds()), "-movflags", "+faststart", "-progress", "progress.txt", "video.mp4"));
        ProcessRunner.run(command, dir, control, "render",
                new EncodeProgress(dir.resolve("progress.txt"), input.durationSeconds(), progress));
        double at = Math.min(1.5, input.durationSeconds() / 2);
        ProcessRunner.run(List.of(ffmpeg, "-hide_banner", "-nostdin", "-y", "-v", "error", "-ss", num(at), "-i", "video.mp4",
                "-frames:v", "1", "-q:v", "3", "thumbnail.jpg"), dir, control, "render");
        List<Double> cuts = shots.stream().skip(1).map(s -> s[0]).toList();
        return new Drawn(captions, visuals, cuts);
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
            Optional<VisualSource.SceneVisual> found = source.find(brief, dir, control);
            if (found.isPresent() && found.get().shots().size() == brief.slots().size()) {
                VisualSource.SceneVisual v = found.get();
                return skipped.isEmpty() ? v
                        : new VisualSource.SceneVisual(v.source(), v.detail() + "; nothing from " + String.join(", ", skipped), v.shots());
            }
            skipped.add(source.name());
        }
        throw new RenderException("render", "no visual source answered for scene " + brief.sequence(), false);
    }

    static String num(double value) {
        return String.format(Locale.ROOT, "%.3f", value);
    }

    /** Builds the filter graph text; writes one text file per drawn text and links the fonts under safe names. */
    private final class Graph {

        private final Path dir;
        private final Map<Path, Integer> inputs;
        private final Map<Path, String> fontNames = new HashMap<>();
        private int files;
        private int labels;

        Graph(Path dir, Map<Path, Integer> inputs) {
            this.dir = dir;
            this.inputs = inputs;
        }

        /** Input number of a picture file (the narration is input 0). */
        private int input(Path file) {
            return inputs.computeIfAbsent(file, f -> inputs.size() + 1);
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
                int drift = k % 2 == 0 ? 1 : -1;
                g.append(String.format(Locale.ROOT, "[%d:v]format=yuv420p,loop=loop=-1:size=1,setpts=N/%d/TB,trim=end_frame=%d,"
                        + "crop=%d:%d:x='%d+%d*t/%s':y='%d+%d*pow(max(0\\,1-t/0.22)\\,2)'[s%d];%n",
                        input(shots.get(k).still()), FPS, count, WIDTH, HEIGHT, MARGIN, drift * (MARGIN - 4), num(seconds), MARGIN,
                        WHIP, k));
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
            g.append('[').append(last).append(']').append("null");
            decorations(g, t);
            boolean titled = in.title() != null && !in.title().isBlank();
            double titleUntil = titled ? Math.min(3.0, slots.get(0)[1]) : 0;
            if (titled) {
                title(g, in.title(), t, titleUntil);
            }
            for (int k = 0; k < shots.size(); k++) {
                double a = slots.get(k)[0];
                double b = k + 1 < slots.size() ? slots.get(k + 1)[0] : d;
                if (shots.get(k).headline() != null && a >= titleUntil - 0.01) {
                    headline(g, shots.get(k), a, b, k);
                }
            }
            for (Caption caption : captions) {
                caption(g, caption, t);
            }
            g.append("[base];\n");
            g.append(String.format(Locale.ROOT, "color=c=%s:s=%dx%d:r=%d:d=%s[bar];\n", t.barColor(), WIDTH, t.barHeight(), FPS, num(d)));
            g.append(String.format(Locale.ROOT, "[base][bar]overlay=x='-W+W*t/%s':y=%d:eval=frame,format=yuv420p[v];\n",
                    num(d), t.barY()));
            g.append(String.format(Locale.ROOT, "[0:a]aresample=48000,apad,atrim=duration=%s[a]\n", num(d)));
            return g.toString();
        }

        private void decorations(StringBuilder g, Template t) {
            switch (t.titleStyle()) {
                case CARD -> g.append(",drawbox=x=0:y=1820:w=iw:h=100:color=black@0.35:t=fill");
                case PLAIN -> g.append(",drawbox=x=80:y=1660:w=920:h=4:color=0x1f2328@0.5:t=fill");
                case BANNER -> g.append(",drawbox=x=0:y=0:w=iw:h=150:color=0xe10600@0.95:t=fill")
                        .append(",drawbox=x=0:y=1560:w=iw:h=6:color=white@0.8:t=fill");
            }
        }

        /** The shot's key word: slides in from alternating sides and fades in, then an accent bar lands under it. */
        private void headline(StringBuilder g, VisualSource.Shot shot, double a, double b, int k) throws IOException {
            Fonts.Choice choice = fonts.choose(shot.headline(), true);
            if (choice.text().isBlank()) {
                return;
            }
            int size = 124;
            while (size > 56 && fonts.width(choice.file(), choice.text(), size) > CaptionLayout.SAFE_RIGHT - CaptionLayout.SAFE_LEFT) {
                size -= 6;
            }
            int width = (int) Math.ceil(fonts.width(choice.file(), choice.text(), size));
            double in = a + 0.08;
            int from = k % 2 == 0 ? -1 : 1;
            String file = text(choice.text());
            String enable = "between(t," + num(in) + "," + num(b - 0.001) + ")";
            g.append(",drawtext=fontfile=").append(font(choice.file())).append(":textfile=").append(file)
                    .append(":expansion=none:fontsize=").append(size).append(":fontcolor=").append(color(shot.headlineColor()))
                    .append(String.format(Locale.ROOT, ":x='(w-text_w)/2+%d*pow(max(0\\,1-(t-%s)/0.4)\\,3)'", from * 1100, num(in)))
                    .append(":y='430-ascent'")
                    .append(String.format(Locale.ROOT, ":alpha='min(1\\,max(0\\,(t-%s)/0.25))'", num(in)))
                    .append(":enable='").append(enable).append("'");
            g.append(String.format(Locale.ROOT, ",drawbox=x=%d:y=458:w=%d:h=14:color=%s:t=fill:enable='between(t,%s,%s)'",
                    (WIDTH - width) / 2, width, color(shot.accent()), num(in + 0.35), num(b - 0.001)));
        }

        private void title(StringBuilder g, String title, Template t, double until) throws IOException {
            String enable = "between(t,0," + num(until) + ")";
            switch (t.titleStyle()) {
                case CARD -> {
                    List<String> lines = wrap(title.toUpperCase(Locale.ROOT), 76, 3);
                    int top = 270;
                    g.append(String.format(Locale.ROOT, ",drawbox=x=96:y=%d:w=888:h=%d:color=0xffe600@0.95:t=fill:enable='%s'",
                            top - 30, lines.size() * 92 + 50, enable));
                    lines(g, lines, 76, "black", top, 92, enable);
                }
                case PLAIN -> lines(g, wrap(title, 68, 3), 68, "0x1f2328", 270, 88, enable, "0xf4f1ea@0.85");
                case BANNER -> {
                    lines(g, List.of("BREAKING"), 54, "white", 45, 60, "1");
                    List<String> lines = wrap(title, 60, 3);
                    g.append(String.format(Locale.ROOT, ",drawbox=x=0:y=250:w=iw:h=%d:color=0x000000@0.6:t=fill:enable='%s'",
                            lines.size() * 78 + 40, enable));
                    lines(g, lines, 60, "white", 270, 78, enable);
                }
            }
        }

        private void lines(StringBuilder g, List<String> lines, int size, String color, int top, int lineHeight, String enable)
                throws IOException {
            lines(g, lines, size, color, top, lineHeight, enable, null);
        }

        private void lines(StringBuilder g, List<String> lines, int size, String color, int top, int lineHeight, String enable,
                String box) throws IOException {
            for (int i = 0; i < lines.size(); i++) {
                Fonts.Choice choice = fonts.choose(lines.get(i), true);
                if (choice.text().isBlank()) {
                    continue;
                }
                g.append(",drawtext=fontfile=").append(font(choice.file())).append(":textfile=").append(text(choice.text()))
                        .append(":expansion=none:fontsize=").append(size).append(":fontcolor=").append(color)
                        .append(":x=(w-text_w)/2:y='").append(top + i * lineHeight + (int) Math.round(size * 0.95)).append("-ascent'");
                if (box != null) {
                    g.append(":box=1:boxcolor=").append(box).append(":boxborderw=16");
                }
                g.append(":enable='").append(enable).append("'");
            }
        }

        /** A caption: its panel, its words, and the spoken word on the highlight box, each only while it is spoken. */
        private void caption(StringBuilder g, Caption c, Template t) throws IOException {
            int[] box = c.box();
            String shown = "between(t," + num(c.start()) + "," + num(c.end()) + ")";
            g.append(String.format(Locale.ROOT, ",drawbox=x=%d:y=%d:w=%d:h=%d:color=%s:t=fill:enable='%s'", box[0], box[1], box[2],
                    box[3], t.panelColor(), shown));
            for (Caption.Word w : c.words()) {
                String file = text(w.text());
                String font = font(w.font());
                // punctuation standing alone (French " :" or " ?") is shown but never highlighted as a word
                boolean spoken = w.end() - w.start() > 0.02 && w.text().codePoints().anyMatch(Character::isLetterOrDigit);
                String before = "between(t," + num(c.start()) + "," + num(w.start()) + ")+between(t," + num(w.end()) + ","
                        + num(c.end()) + ")";
                drawWord(g, font, file, c.size(), "white", t.captionBorder(), w, spoken ? before : shown);
                if (spoken) {
                    String during = "between(t," + num(w.start()) + "," + num(w.end()) + ")";
                    g.append(String.format(Locale.ROOT, ",drawbox=x=%d:y=%d:w=%d:h=%d:color=%s:t=fill:enable='%s'", w.x() - 10,
                            w.baseline() - (int) Math.round(c.size() * 0.9), w.width() + 20, (int) Math.round(c.size() * 1.16),
                            t.highlightBox(), during));
                    drawWord(g, font, file, c.size(), t.highlightText(), null, w, during);
                }
            }
        }

        private void drawWord(StringBuilder g, String font, String file, int size, String color, String border, Caption.Word w,
                String enable) {
            g.append(",drawtext=fontfile=").append(font).append(":textfile=").append(file).append(":expansion=none:fontsize=")
                    .append(size).append(":fontcolor=").append(color).append(":x=").append(w.x()).append(":y='").append(w.baseline())
                    .append("-ascent'");
            if (border != null) {
                g.append(":borderw=").append(Math.max(3, size / 16)).append(":bordercolor=").append(border);
            }
            g.append(":enable='").append(enable).append("'");
        }

        /** A text file holding {@code text}, named safely for the filter graph. */
        private String text(String text) throws IOException {
            String file = "t" + (files++) + ".txt";
            Files.writeString(dir.resolve(file), text, StandardCharsets.UTF_8);
            return file;
        }

        private String font(Path file) throws IOException {
            String name = fontNames.get(file);
            if (name == null) {
                name = "font" + fontNames.size() + (file.toString().endsWith(".ttc") ? ".ttc" : ".ttf");
                Files.createSymbolicLink(dir.resolve(name), file);
                fontNames.put(file, name);
            }
            return name;
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
