package io.contentmachine.render.video;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Fits a shot's headline (the subject in big type) inside its band: the safe area's width, from the safe area's top to
 * above the pictogram. Measured with the font files libass draws with ({@link Fonts}): one line at the largest size that
 * fits, else two lines, else a smaller size; a single word too wide even then is cut with "…". A headline that ran wider
 * than the frame's safe area crossed its card at 24 s of a 30 s render.
 */
final class HeadlineLayout {

    /** Left, top, width, height of the band, in pixels of the 1080x1920 frame. */
    static final int[] BAND = {CaptionLayout.SAFE_LEFT, CaptionLayout.SAFE_TOP, CaptionLayout.SAFE_RIGHT - CaptionLayout.SAFE_LEFT, 430};
    /** Baseline of the last line; the accent bar sits under it. */
    static final int BASELINE = 430;
    static final int MAX_SIZE = 124;
    /** Smallest size on one line; two lines may go down to {@link #MIN_SIZE}. */
    static final int ONE_LINE_MIN = 68;
    static final int MIN_SIZE = 40;
    static final int PAD = 12;

    /** One line as drawn: its text and font, size, left edge, baseline and width. */
    record Line(String text, Path font, int size, int x, int baseline, int width) {
    }

    private final Fonts fonts;

    HeadlineLayout(Fonts fonts) {
        this.fonts = fonts;
    }

    /** The lines of {@code headline}, centred; empty when nothing of it can be drawn. */
    List<Line> fit(String headline) {
        String text = fonts.drawable(headline);
        if (text.isBlank()) {
            return List.of();
        }
        int maxWidth = BAND[2] - 2 * PAD;
        for (int size = MAX_SIZE; size >= ONE_LINE_MIN; size -= 6) {
            if (width(text, size) <= maxWidth) {
                return place(List.of(text), size);
            }
        }
        for (int size = MAX_SIZE - 24; size >= MIN_SIZE; size -= 6) {
            List<String> lines = twoLines(text, size, maxWidth);
            if (lines != null) {
                return place(lines, size);
            }
        }
        return place(List.of(cut(text, MIN_SIZE, maxWidth)), MIN_SIZE);
    }

    private List<Line> place(List<String> lines, int size) {
        int lineHeight = (int) Math.round(size * 1.08);
        List<Line> placed = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            Fonts.Choice choice = fonts.choose(lines.get(i), true);
            int width = (int) Math.ceil(fonts.width(choice.file(), choice.text(), size));
            int baseline = BASELINE - (lines.size() - 1 - i) * lineHeight;
            placed.add(new Line(choice.text(), choice.file(), size, (VideoRenderer.WIDTH - width) / 2, baseline, width));
        }
        return placed;
    }

    /** The words in two lines of near-equal width that both fit, or null. */
    private List<String> twoLines(String text, int size, int maxWidth) {
        String[] words = text.split(" ");
        List<String> best = null;
        double bestWidest = Double.MAX_VALUE;
        for (int cut = 1; cut < words.length; cut++) {
            String first = String.join(" ", List.of(words).subList(0, cut));
            String second = String.join(" ", List.of(words).subList(cut, words.length));
            double widest = Math.max(width(first, size), width(second, size));
            if (widest <= maxWidth && widest < bestWidest) {
                best = List.of(first, second);
                bestWidest = widest;
            }
        }
        return best;
    }

    /** The longest start of {@code text} that fits with "…" after it. */
    private String cut(String text, int size, int maxWidth) {
        String kept = text;
        while (kept.codePointCount(0, kept.length()) > 1 && width(kept + "…", size) > maxWidth) {
            kept = kept.substring(0, kept.offsetByCodePoints(0, kept.codePointCount(0, kept.length()) - 1));
        }
        return kept.strip() + "…";
    }

    private double width(String text, int size) {
        Fonts.Choice choice = fonts.choose(text, true);
        return fonts.width(choice.file(), choice.text(), size);
    }
}
