package io.contentmachine.render.video;

import java.awt.Font;
import java.awt.FontFormatException;
import java.awt.font.FontRenderContext;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Picks the font file that can draw a text (DejaVu for Latin, Greek, Cyrillic, Arabic, Hebrew; Noto CJK for Chinese,
 * Japanese, Korean) and removes what no installed font can draw (e.g. emoji), so captions never show empty boxes.
 */
public class Fonts {

    private final Path regular;
    private final Path bold;
    private final Path cjk;
    private final Font dejavu;
    private final Font fallback;
    private final Map<Path, Font> loaded = new ConcurrentHashMap<>();

    public Fonts(String fontDir, String cjkFont) {
        this.regular = Path.of(fontDir, "DejaVuSans.ttf");
        this.bold = Path.of(fontDir, "DejaVuSans-Bold.ttf");
        this.cjk = Path.of(cjkFont);
        this.dejavu = load(bold);
        this.fallback = Files.isRegularFile(cjk) ? load(cjk) : null;
    }

    /** A font file and the text it will draw (characters that font lacks removed). */
    public record Choice(Path file, String text) {
    }

    /** The font to draw {@code text} with: DejaVu when it has every glyph, else the CJK font when it has the missing ones. */
    public Choice choose(String text, boolean boldWeight) {
        boolean needsFallback = text.codePoints().anyMatch(cp -> !dejavu.canDisplay(cp) && fallback != null && fallback.canDisplay(cp));
        if (needsFallback) {
            return new Choice(cjk, only(text, fallback));
        }
        return new Choice(boldWeight ? bold : regular, only(text, dejavu));
    }

    private static String only(String text, Font font) {
        StringBuilder out = new StringBuilder();
        text.codePoints().filter(cp -> cp == ' ' || font.canDisplay(cp)).forEach(out::appendCodePoint);
        return out.toString().replaceAll(" {2,}", " ").strip();
    }

    /** The text without characters that no font here can draw. */
    public String drawable(String text) {
        StringBuilder out = new StringBuilder();
        text.codePoints().forEach(cp -> {
            if (cp == ' ' || cp == '\n' || dejavu.canDisplay(cp) || (fallback != null && fallback.canDisplay(cp))) {
                if (!Character.isISOControl(cp) || cp == '\n') {
                    out.appendCodePoint(cp);
                }
            }
        });
        return out.toString().replaceAll(" {2,}", " ").strip();
    }

    /**
     * Advance width in pixels of {@code text} drawn with {@code file} at {@code size} pixels (what drawtext's fontsize
     * means), from the same font file drawtext reads, so that words placed one by one line up.
     */
    public double width(Path file, String text, int size) {
        Font font = loaded.computeIfAbsent(file, Fonts::load);
        return font.deriveFont((float) size).getStringBounds(text, new FontRenderContext(null, true, true)).getWidth();
    }

    /** Distance in pixels from the top of a line of {@code file} at {@code size} pixels to its baseline (the font's ascender). */
    public double ascent(Path file, int size) {
        return metrics(file, size).getAscent();
    }

    /**
     * The size libass is given for text that should be {@code size} pixels (drawtext's em size): libass sizes a font by
     * its ascender plus descender (FreeType's real dimension), so the em size is scaled by that ratio.
     */
    public double assSize(Path file, int size) {
        java.awt.font.LineMetrics m = metrics(file, size);
        return m.getAscent() + m.getDescent();
    }

    /** The family name libass (through fontconfig) finds the font file by. */
    public String family(Path file) {
        return loaded.computeIfAbsent(file, Fonts::load).getFamily(java.util.Locale.ROOT);
    }

    private java.awt.font.LineMetrics metrics(Path file, int size) {
        Font font = loaded.computeIfAbsent(file, Fonts::load).deriveFont((float) size);
        return font.getLineMetrics("Hg", new FontRenderContext(null, true, true));
    }

    public static boolean wide(int codePoint) {
        Character.UnicodeScript script = Character.UnicodeScript.of(codePoint);
        return script == Character.UnicodeScript.HAN || script == Character.UnicodeScript.HIRAGANA
                || script == Character.UnicodeScript.KATAKANA || script == Character.UnicodeScript.HANGUL;
    }

    private static Font load(Path file) {
        try {
            Font[] fonts = Font.createFonts(new File(file.toString()));
            return fonts[0];
        } catch (FontFormatException | IOException e) {
            throw new IllegalStateException("cannot load font " + file + ": " + e.getMessage(), e);
        }
    }
}
