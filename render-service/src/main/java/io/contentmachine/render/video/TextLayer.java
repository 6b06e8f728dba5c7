package io.contentmachine.render.video;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Every text and text box drawn over the pictures (title, headlines, captions and their highlight) as one ASS subtitle
 * script, drawn by libass in a single ffmpeg filter. One drawtext filter per word kept hundreds of filters in the
 * chain, each visited by every frame: half of the CPU time of a 60 s render and 600 MB (docs/BENCHMARKS.md). Positions
 * are the layout's (pixels of the 1080x1920 frame, left edge and baseline, measured with the same font files); text
 * reaches libass with its override characters replaced, so no text can carry ASS commands. Every text is drawn for a
 * card (the box it belongs in: a caption's panel, the title card, the headline's band); the layer keeps each text's box
 * as measured with those font files, so that a text that would cross its card is found before anything is encoded.
 */
final class TextLayer {

    private static final Map<String, String> NAMED = Map.of("black", "000000", "white", "ffffff");

    private final Fonts fonts;
    private final StringBuilder events = new StringBuilder();
    private final List<Placed> placed = new ArrayList<>();

    /**
     * A drawn text: its box (left, top, width, height in frame pixels: advance width by ascent plus descent, grown by its
     * outline) where it comes to rest, and the card (left, top, width, height) it must stay inside.
     */
    record Placed(String text, double from, double to, int[] box, int[] card) {

        boolean inside() {
            return box[0] >= card[0] && box[1] >= card[1] && box[0] + box[2] <= card[0] + card[2] && box[1] + box[3] <= card[1] + card[3];
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "'%s' at %.1f s: box x %d, y %d, %d x %d; card x %d, y %d, %d x %d", text, from,
                    box[0], box[1], box[2], box[3], card[0], card[1], card[2], card[3]);
        }
    }

    TextLayer(Fonts fonts) {
        this.fonts = fonts;
    }

    /**
     * A text from {@code from} to {@code to} seconds with its left edge at {@code x} and its baseline at {@code baseline};
     * {@code border} (a colour, or null) outlines the glyphs {@code borderWidth} pixels wide; {@code motion} is more ASS
     * override tags (e.g. a move), written after the position; {@code card} (left, top, width, height) is the box the text
     * must stay inside once in place (a moving text is clipped to it).
     */
    void text(int layer, double from, double to, String text, Path font, int size, int x, int baseline, String color, String border,
            int borderWidth, String motion, int[] card) {
        String safe = safe(text);
        if (safe.isBlank() || to <= from) {
            return;
        }
        int top = (int) Math.round(baseline - fonts.ascent(font, size));
        int outline = border == null ? 0 : borderWidth;
        int[] box = {x - outline, top - outline, (int) Math.ceil(fonts.width(font, safe, size)) + 2 * outline,
                (int) Math.ceil(fonts.assSize(font, size)) + 2 * outline};
        placed.add(new Placed(safe, from, to, box, card.clone()));
        // a moving text is clipped to its card, so that it never crosses it on the way in either
        String position = motion == null || motion.isBlank() ? String.format(Locale.ROOT, "\\pos(%d,%d)", x, top)
                : motion + String.format(Locale.ROOT, "\\clip(%d,%d,%d,%d)", card[0], card[1], card[0] + card[2], card[1] + card[3]);
        events.append(dialogue(layer, from, to, String.format(Locale.ROOT, "{\\an7%s\\fn%s\\b1\\fs%.2f%s%s\\shad0}%s", position,
                safe(fonts.family(font)), fonts.assSize(font, size), colour("1", color),
                border == null ? "\\bord0" : String.format(Locale.ROOT, "\\bord%d%s", borderWidth, colour("3", border)), safe)));
    }

    /** The top of a line of {@code font} at {@code size} whose baseline is {@code baseline} (for moves). */
    int top(Path font, int size, int baseline) {
        return (int) Math.round(baseline - fonts.ascent(font, size));
    }

    /** A filled rectangle from {@code from} to {@code to} seconds. */
    void box(int layer, double from, double to, int x, int y, int width, int height, String color) {
        if (to <= from || width <= 0 || height <= 0) {
            return;
        }
        events.append(dialogue(layer, from, to, String.format(Locale.ROOT,
                "{\\an7\\pos(0,0)\\bord0\\shad0%s\\p1}m %d %d l %d %d l %d %d l %d %d{\\p0}", colour("1", color), x, y, x + width, y,
                x + width, y + height, x, y + height)));
    }

    /** The texts that would cross their card (none, when the layout fitted them). */
    List<Placed> outside() {
        return placed.stream().filter(p -> !p.inside()).toList();
    }

    /** The script (PlayRes = the frame, so every coordinate is a pixel; no wrapping, the layout wraps). */
    String script() {
        return "[Script Info]\nScriptType: v4.00+\nPlayResX: " + VideoRenderer.WIDTH + "\nPlayResY: " + VideoRenderer.HEIGHT
                + "\nWrapStyle: 2\nScaledBorderAndShadow: yes\nYCbCr Matrix: None\n\n[V4+ Styles]\n"
                + "Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, Bold, Italic, "
                + "Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, MarginL, MarginR, "
                + "MarginV, Encoding\n"
                + "Style: Default,DejaVu Sans,60,&H00FFFFFF,&H00FFFFFF,&H00000000,&H00000000,-1,0,0,0,100,100,0,0,1,0,0,7,0,0,0,1\n\n"
                + "[Events]\nFormat: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text\n" + events;
    }

    private static String dialogue(int layer, double from, double to, String text) {
        return "Dialogue: " + layer + "," + time(from) + "," + time(to) + ",Default,,0,0,0,," + text + "\n";
    }

    /** ASS time: h:mm:ss.cc. */
    static String time(double seconds) {
        long cs = Math.max(0, Math.round(seconds * 100));
        return String.format(Locale.ROOT, "%d:%02d:%02d.%02d", cs / 360000, cs / 6000 % 60, cs / 100 % 60, cs % 100);
    }

    /**
     * ASS colour and alpha override tags ({@code \1c&HBBGGRR&\1a&HAA&} for which = "1") from an ffmpeg colour: a name
     * (black, white), 0xRRGGBB or #RRGGBB, with an optional {@code @opacity}.
     */
    static String colour(String which, String color) {
        String[] parts = color.split("@");
        String name = parts[0].toLowerCase(Locale.ROOT);
        String hex = NAMED.getOrDefault(name, name.replaceFirst("^(0x|#)", ""));
        if (!hex.matches("[0-9a-f]{6}")) {
            throw new IllegalArgumentException("not a colour: " + color);
        }
        double opacity = parts.length > 1 ? Double.parseDouble(parts[1]) : 1.0;
        int alpha = (int) Math.round(255 * (1 - Math.max(0, Math.min(1, opacity))));
        String bgr = (hex.substring(4, 6) + hex.substring(2, 4) + hex.substring(0, 2)).toUpperCase(Locale.ROOT);
        return String.format(Locale.ROOT, "\\%sc&H%s&\\%sa&H%02X&", which, bgr, which, alpha);
    }

    /** Text without what ASS reads as commands: braces and backslashes become look-alikes, line breaks spaces. */
    static String safe(String text) {
        return text.replace('{', '(').replace('}', ')').replace('\\', '/').replace('\n', ' ').replace('\r', ' ');
    }
}
