package io.contentmachine.render.video;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * Draws and encodes the video with one ffmpeg run: a gradient background (rendered once per template, then panned
 * slowly), title, timed captions and a progress bar, over the narration; H.264 yuv420p + AAC 48 kHz, 1080x1920, 30 fps,
 * +faststart. Every text reaches ffmpeg through a file (drawtext textfile=, expansion=none) and every path in the filter
 * graph is a plain relative name, so no text can break or inject into the filter graph.
 */
public class VideoRenderer {

    public static final int WIDTH = 1080;
    public static final int HEIGHT = 1920;
    public static final int FPS = 30;

    private final String ffmpeg;
    private final String preset;
    private final String x264Params;
    private final int crf;
    private final Fonts fonts;
    private final Path backgrounds;

    public VideoRenderer(String ffmpeg, String preset, String x264Params, int crf, Fonts fonts, Path backgrounds) {
        this.ffmpeg = ffmpeg;
        this.preset = preset;
        this.x264Params = x264Params;
        this.crf = crf;
        this.fonts = fonts;
        this.backgrounds = backgrounds;
    }

    /** What to draw. */
    public record Input(String title, List<Caption> captions, Path narration, double durationSeconds, Template template) {
    }

    /** Renders {@code dir/video.mp4} and {@code dir/thumbnail.jpg}; {@code progress} hears the encode's percent (0..99). */
    public void render(Input input, Path dir, RenderControl control, IntConsumer progress) {
        try {
            Path background = background(input.template(), dir, control);
            Files.createSymbolicLink(dir.resolve("bg.png"), background);
            Graph graph = new Graph(dir);
            String filter = graph.build(input);
            Files.writeString(dir.resolve("filter.txt"), filter, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new RenderException("render", "cannot prepare render files: " + e.getMessage(), true);
        }
        List<String> command = new ArrayList<>(List.of(ffmpeg, "-hide_banner", "-nostdin", "-y", "-v", "error",
                "-framerate", String.valueOf(FPS), "-i", "bg.png", "-i", input.narration().getFileName().toString(),
                "-filter_complex_script", "filter.txt", "-map", "[v]", "-map", "[a]",
                "-c:v", "libx264", "-preset", preset, "-crf", String.valueOf(crf), "-pix_fmt", "yuv420p"));
        if (!x264Params.isBlank()) {
            command.addAll(List.of("-x264-params", x264Params));
        }
        command.addAll(List.of("-r", String.valueOf(FPS), "-g", String.valueOf(FPS * 2),
                "-c:a", "aac", "-b:a", "128k", "-ar", "48000", "-ac", "2",
                "-t", num(input.durationSeconds()), "-movflags", "+faststart", "-progress", "progress.txt", "video.mp4"));
        ProcessRunner.run(command, dir, control, "render",
                new EncodeProgress(dir.resolve("progress.txt"), input.durationSeconds(), progress));
        double at = Math.min(1.5, input.durationSeconds() / 2);
        ProcessRunner.run(List.of(ffmpeg, "-hide_banner", "-nostdin", "-y", "-v", "error", "-ss", num(at), "-i", "video.mp4",
                "-frames:v", "1", "-q:v", "3", "thumbnail.jpg"), dir, control, "render");
    }

    /** The template's gradient, drawn once (larger than the frame, so it can pan) and kept for later renders. */
    private Path background(Template template, Path dir, RenderControl control) throws IOException {
        Files.createDirectories(backgrounds);
        String[] c = template.gradient();
        int width = WIDTH + 2 * template.panX() + 8;
        int height = HEIGHT + 2 * template.panY() + 8;
        // the name carries everything the picture depends on, so a changed template never reuses an old picture
        Path file = backgrounds.resolve(String.format(Locale.ROOT, "%s-%dx%d-%08x.png", template.id(), width, height,
                String.join(",", c).hashCode()));
        if (Files.isRegularFile(file)) {
            return file;
        }
        Path tmp = dir.resolve("bg-new.png");
        String source = String.format(Locale.ROOT, "gradients=s=%dx%d:c0=%s:c1=%s:c2=%s:nb_colors=3:x0=0:y0=0:x1=%d:y1=%d:r=1:d=1",
                width, height, c[0], c[1], c[2], width - 8, height - 8);
        ProcessRunner.run(List.of(ffmpeg, "-hide_banner", "-nostdin", "-y", "-v", "error", "-f", "lavfi", "-i", source,
                "-frames:v", "1", tmp.getFileName().toString()), dir, control, "render");
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return file;
    }

    static String num(double value) {
        return String.format(Locale.ROOT, "%.3f", value);
    }

    /** Builds the filter graph text; writes one text file per drawn line and links the fonts under safe names. */
    private final class Graph {

        private final Path dir;
        private final Map<Path, String> fontNames = new HashMap<>();
        private int files;

        Graph(Path dir) {
            this.dir = dir;
        }

        String build(Input in) throws IOException {
            Template t = in.template();
            double d = in.durationSeconds();
            StringBuilder g = new StringBuilder();
            g.append(String.format(Locale.ROOT,
                    "[0:v]format=yuv420p,loop=loop=-1:size=1,setpts=N/%d/TB,trim=duration=%s,"
                            + "crop=%d:%d:x='%d+%d*sin(2*PI*t/%s)':y='%d+%d*cos(2*PI*t/%s)'",
                    FPS, num(d), WIDTH, HEIGHT, t.panX() + 4, t.panX(), num(t.panPeriod() * 4), t.panY() + 4, t.panY(),
                    num(t.panPeriod() * 5)));
            decorations(g, t);
            title(g, in.title(), t, Math.min(3.0, d));
            for (Caption caption : in.captions()) {
                caption(g, caption, t);
            }
            g.append("[base];\n");
            g.append(String.format(Locale.ROOT, "color=c=%s:s=%dx%d:r=%d:d=%s[bar];\n", t.barColor(), WIDTH, t.barHeight(), FPS, num(d)));
            g.append(String.format(Locale.ROOT, "[base][bar]overlay=x='-W+W*t/%s':y=%d:eval=frame,format=yuv420p[v];\n",
                    num(d), t.barY()));
            g.append(String.format(Locale.ROOT, "[1:a]aresample=48000,apad,atrim=duration=%s[a]\n", num(d)));
            return g.toString();
        }

        private void decorations(StringBuilder g, Template t) {
            switch (t.titleStyle()) {
                case CARD -> g.append(",drawbox=x=0:y=1820:w=iw:h=100:color=black@0.35:t=fill");
                case PLAIN -> g.append(",drawbox=x=80:y=1660:w=920:h=4:color=0x1f2328@0.5:t=fill");
                case BANNER -> g.append(",drawbox=x=0:y=0:w=iw:h=150:color=0xe10600@0.95:t=fill")
                        .append(",drawbox=x=0:y=1480:w=iw:h=6:color=white@0.8:t=fill");
            }
        }

        private void title(StringBuilder g, String title, Template t, double until) throws IOException {
            String enable = "between(t,0," + num(until) + ")";
            switch (t.titleStyle()) {
                case CARD -> {
                    List<String> lines = wrap(title.toUpperCase(Locale.ROOT), 84, 3);
                    int top = 520 - lines.size() * 50;
                    g.append(String.format(Locale.ROOT, ",drawbox=x=60:y=%d:w=960:h=%d:color=0xffe600@0.95:t=fill:enable='%s'",
                            top - 40, lines.size() * 104 + 60, enable));
                    lines(g, lines, true, 84, "black", null, null, top, 104, enable, true);
                }
                case PLAIN -> {
                    List<String> lines = wrap(title, 70, 3);
                    lines(g, lines, false, 70, "0x1f2328", null, null, 300, 92, enable, true);
                }
                case BANNER -> {
                    lines(g, List.of("BREAKING"), true, 54, "white", null, null, 45, 60, "1", false);
                    List<String> lines = wrap(title, 62, 3);
                    g.append(String.format(Locale.ROOT, ",drawbox=x=0:y=170:w=iw:h=%d:color=0x000000@0.6:t=fill:enable='%s'",
                            lines.size() * 80 + 40, enable));
                    lines(g, lines, true, 62, "white", null, null, 190, 80, enable, false);
                }
            }
        }

        private void caption(StringBuilder g, Caption caption, Template t) throws IOException {
            String text = t.uppercase() ? caption.text().toUpperCase(Locale.ROOT) : caption.text();
            List<String> lines = wrap(text, t.captionSize(), 3);
            int lineHeight = (int) Math.round(t.captionSize() * 1.3);
            int top = (int) Math.round(HEIGHT * t.captionY()) - lines.size() * lineHeight / 2;
            String enable = "between(t," + num(caption.start()) + "," + num(caption.end()) + ")";
            lines(g, lines, t.boldCaptions(), t.captionSize(), t.captionColor(), t.captionBorder(), t.captionBox(), top, lineHeight,
                    enable, t.titleStyle() != Template.TitleStyle.BANNER);
        }

        private void lines(StringBuilder g, List<String> lines, boolean bold, int size, String color, String border, String box,
                int top, int lineHeight, String enable, boolean centred) throws IOException {
            for (int i = 0; i < lines.size(); i++) {
                Fonts.Choice choice = fonts.choose(lines.get(i), bold);
                if (choice.text().isBlank()) {
                    continue;
                }
                String file = "t" + (files++) + ".txt";
                Files.writeString(dir.resolve(file), choice.text(), StandardCharsets.UTF_8);
                g.append(",drawtext=fontfile=").append(font(choice.file()))
                        .append(":textfile=").append(file).append(":expansion=none:fontsize=").append(size)
                        .append(":fontcolor=").append(color)
                        .append(":x=").append(centred ? "(w-text_w)/2" : "60")
                        .append(":y=").append(top + i * lineHeight);
                if (border != null) {
                    g.append(":borderw=").append(Math.max(3, size / 14)).append(":bordercolor=").append(border);
                }
                if (box != null) {
                    g.append(":box=1:boxcolor=").append(box).append(":boxborderw=18");
                }
                g.append(":enable='").append(enable).append("'");
            }
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

        /** Greedy word wrap by estimated width (CJK characters are about twice as wide); at most {@code maxLines}. */
        private List<String> wrap(String raw, int fontSize, int maxLines) {
            String text = fonts.drawable(raw);
            // average advance of DejaVu Sans (Bold) per character: about 0.6 em in mixed case, 0.75 em in capitals
            long upper = text.codePoints().filter(Character::isUpperCase).count();
            long letters = Math.max(1, text.codePoints().filter(Character::isLetter).count());
            double em = upper * 2 > letters ? 0.76 : 0.62;
            double maxUnits = (WIDTH - 200) / (fontSize * em);
            List<String> lines = new ArrayList<>();
            StringBuilder line = new StringBuilder();
            double width = 0;
            for (String word : text.split(" ")) {
                double w = units(word);
                if (width > 0 && width + 1 + w > maxUnits) {
                    lines.add(line.toString());
                    line.setLength(0);
                    width = 0;
                }
                while (w > maxUnits) {
                    int cut = fit(word, maxUnits - width - (width > 0 ? 1 : 0));
                    if (cut == 0) {
                        lines.add(line.toString());
                        line.setLength(0);
                        width = 0;
                        continue;
                    }
                    line.append(width > 0 ? " " : "").append(word, 0, cut);
                    lines.add(line.toString());
                    line.setLength(0);
                    width = 0;
                    word = word.substring(cut);
                    w = units(word);
                }
                line.append(width > 0 ? " " : "").append(word);
                width += (width > 0 ? 1 : 0) + w;
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

        private double units(String word) {
            return word.codePoints().mapToDouble(cp -> Fonts.wide(cp) ? 1.7 : 1.0).sum();
        }

        private int fit(String word, double units) {
            double used = 0;
            int i = 0;
            while (i < word.length()) {
                int cp = word.codePointAt(i);
                double u = Fonts.wide(cp) ? 1.7 : 1.0;
                if (used + u > units) {
                    break;
                }
                used += u;
                i += Character.charCount(cp);
            }
            return i;
        }
    }
}
