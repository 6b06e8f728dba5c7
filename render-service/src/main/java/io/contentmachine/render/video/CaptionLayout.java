package io.contentmachine.render.video;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.contentmachine.render.voice.TimedWord;

/**
 * Turns timed words into captions as short-video viewers expect: 2 to 5 words at a time (a lone word joins its
 * neighbour), never across a sentence break, at most two lines, centred on a panel inside the safe area, each word
 * highlighted while it is spoken. Words are measured with the font file drawtext uses and placed one by one, so the
 * highlight box sits exactly on its word.
 */
public final class CaptionLayout {

    /** Where captions may be: clear of the platforms' buttons, captions and progress bars (1080x1920 frame). */
    public static final int SAFE_LEFT = 96;
    public static final int SAFE_RIGHT = 984;
    public static final int SAFE_TOP = 220;
    public static final int SAFE_BOTTOM = 1540;

    static final int MAX_WORDS = 5;
    static final int PAD_X = 28;
    static final int PAD_Y = 18;
    /** Vertical centre of the caption block: below the pictogram, above the platforms' bottom text. */
    static final int CENTRE_Y = 1330;
    static final int MIN_SIZE = 40;

    private final Fonts fonts;

    public CaptionLayout(Fonts fonts) {
        this.fonts = fonts;
    }

    /** Captions for the words of a video; {@code videoSeconds} bounds the last one. */
    public List<Caption> layout(List<TimedWord> words, Template template, double videoSeconds) {
        List<List<TimedWord>> groups = new ArrayList<>();
        for (List<TimedWord> phrase : phrases(words)) {
            groups.addAll(chunks(phrase, template.wordsPerGroup()));
        }
        mergeLoneWords(groups);
        List<Caption> captions = new ArrayList<>();
        for (List<TimedWord> group : groups) {
            captions.addAll(place(group, template));
        }
        // a caption stays until the next appears when the pause between them is short, so captions do not flicker
        List<Caption> timed = new ArrayList<>();
        for (int i = 0; i < captions.size(); i++) {
            Caption c = captions.get(i);
            double next = i + 1 < captions.size() ? captions.get(i + 1).start() : videoSeconds;
            double end = next - c.end() < 0.45 ? next : Math.min(next, c.end() + 0.3);
            timed.add(new Caption(c.text(), c.start(), Math.max(c.start() + 0.1, end), c.size(), c.box(), highlightUntil(c.words(), end)));
        }
        return timed;
    }

    /** Is the caption's panel inside the safe area? */
    public static boolean inSafeArea(Caption c) {
        int[] b = c.box();
        return b[0] >= SAFE_LEFT && b[0] + b[2] <= SAFE_RIGHT && b[1] >= SAFE_TOP && b[1] + b[3] <= SAFE_BOTTOM;
    }

    /** Words split after sentence and clause punctuation. */
    private static List<List<TimedWord>> phrases(List<TimedWord> words) {
        List<List<TimedWord>> phrases = new ArrayList<>();
        List<TimedWord> current = new ArrayList<>();
        for (TimedWord w : words) {
            current.add(w);
            if (w.text().matches(".*[,.;:!?…][\"'”»)]*$")) {
                phrases.add(current);
                current = new ArrayList<>();
            }
        }
        if (!current.isEmpty()) {
            phrases.add(current);
        }
        return phrases;
    }

    /** A phrase cut into near-equal groups of at most {@code per} words (5 → 3 + 2, 7 → 4 + 3 with 4 per group). */
    private static List<List<TimedWord>> chunks(List<TimedWord> phrase, int per) {
        int n = phrase.size();
        int count = (n + per - 1) / per;
        List<List<TimedWord>> chunks = new ArrayList<>();
        int from = 0;
        for (int k = 0; k < count; k++) {
            int size = (n - from + (count - k) - 1) / (count - k);
            chunks.add(new ArrayList<>(phrase.subList(from, from + size)));
            from += size;
        }
        return chunks;
    }

    /** A one-word group joins the group before it (or after it) when that one has room and is spoken close by. */
    private static void mergeLoneWords(List<List<TimedWord>> groups) {
        for (int i = 0; i < groups.size(); i++) {
            List<TimedWord> g = groups.get(i);
            if (g.size() != 1) {
                continue;
            }
            if (i > 0 && groups.get(i - 1).size() < MAX_WORDS && g.get(0).start() - last(groups.get(i - 1)).end() < 0.6) {
                groups.get(i - 1).addAll(g);
                groups.remove(i--);
            } else if (i + 1 < groups.size() && groups.get(i + 1).size() < MAX_WORDS
                    && groups.get(i + 1).get(0).start() - g.get(0).end() < 0.6) {
                groups.get(i + 1).addAll(0, g);
                groups.remove(i--);
            }
        }
    }

    private static TimedWord last(List<TimedWord> group) {
        return group.get(group.size() - 1);
    }

    /** Lays a group out in at most two lines; a group that needs more is split in two, a word too wide shrinks the font. */
    private List<Caption> place(List<TimedWord> group, Template t) {
        List<String> shown = new ArrayList<>();
        List<Fonts.Choice> choices = new ArrayList<>();
        for (TimedWord w : group) {
            String text = t.uppercase() ? w.text().toUpperCase(Locale.ROOT) : w.text();
            Fonts.Choice choice = fonts.choose(text, true);
            shown.add(choice.text());
            choices.add(choice);
        }
        // a few pixels under the panel's inner width: placing words rounds each width up and the space to whole pixels
        int maxWidth = SAFE_RIGHT - SAFE_LEFT - 2 * PAD_X - 8;
        int size = t.captionSize();
        while (size > MIN_SIZE && widest(choices, size) > maxWidth) {
            size -= 4;
        }
        List<List<Integer>> lines = wrap(choices, size, maxWidth);
        // three long words need three lines at full size: a slightly smaller font first, a split only after that
        while (lines.size() > 2 && size > t.captionSize() * 0.8) {
            size -= 4;
            lines = wrap(choices, size, maxWidth);
        }
        if (lines.size() > 2 && group.size() > 1) {
            int half = (group.size() + 1) / 2;
            List<Caption> both = new ArrayList<>(place(group.subList(0, half), t));
            both.addAll(place(group.subList(half, group.size()), t));
            return both;
        }
        int lineHeight = (int) Math.round(size * 1.24);
        int blockHeight = lines.size() * lineHeight;
        int top = CENTRE_Y - blockHeight / 2;
        int space = (int) Math.round(fonts.width(choices.get(0).file(), " ", size));
        List<Caption.Word> placed = new ArrayList<>();
        int left = Integer.MAX_VALUE;
        int right = Integer.MIN_VALUE;
        for (int l = 0; l < lines.size(); l++) {
            List<Integer> line = lines.get(l);
            int width = lineWidth(choices, line, size, space);
            int x = (VideoRenderer.WIDTH - width) / 2;
            int baseline = top + l * lineHeight + (int) Math.round(size * 0.98);
            left = Math.min(left, x);
            right = Math.max(right, x + width);
            for (int i : line) {
                int w = (int) Math.ceil(fonts.width(choices.get(i).file(), choices.get(i).text(), size));
                TimedWord word = group.get(i);
                placed.add(new Caption.Word(choices.get(i).text(), choices.get(i).file(), x, baseline, w, word.start(), word.end()));
                x += w + space;
            }
        }
        if (placed.isEmpty() || left > right) {
            return List.of();
        }
        int[] box = {left - PAD_X, top - PAD_Y, right - left + 2 * PAD_X, blockHeight + 2 * PAD_Y};
        return List.of(new Caption(String.join(" ", shown).strip(), group.get(0).start(), last(group).end(), size, box, placed));
    }

    private double widest(List<Fonts.Choice> choices, int size) {
        return choices.stream().mapToDouble(c -> fonts.width(c.file(), c.text(), size)).max().orElse(0);
    }

    /** Greedy lines of word indexes; words with nothing drawable are left out. */
    private List<List<Integer>> wrap(List<Fonts.Choice> choices, int size, int maxWidth) {
        List<List<Integer>> lines = new ArrayList<>();
        List<Integer> line = new ArrayList<>();
        double width = 0;
        double space = fonts.width(choices.get(0).file(), " ", size);
        for (int i = 0; i < choices.size(); i++) {
            if (choices.get(i).text().isBlank()) {
                continue;
            }
            double w = fonts.width(choices.get(i).file(), choices.get(i).text(), size);
            if (!line.isEmpty() && width + space + w > maxWidth) {
                lines.add(line);
                line = new ArrayList<>();
                width = 0;
            }
            width += (line.isEmpty() ? 0 : space) + w;
            line.add(i);
        }
        if (!line.isEmpty()) {
            lines.add(line);
        }
        return lines;
    }

    private int lineWidth(List<Fonts.Choice> choices, List<Integer> line, int size, int space) {
        int width = 0;
        for (int i : line) {
            width += (int) Math.ceil(fonts.width(choices.get(i).file(), choices.get(i).text(), size));
        }
        return width + space * (line.size() - 1);
    }

    /** Each word highlighted from its start until the next word starts (the last one until the caption goes). */
    private static List<Caption.Word> highlightUntil(List<Caption.Word> words, double end) {
        List<Caption.Word> out = new ArrayList<>();
        for (int i = 0; i < words.size(); i++) {
            Caption.Word w = words.get(i);
            double until = i + 1 < words.size() ? words.get(i + 1).start() : Math.max(w.end(), Math.min(end, w.end() + 0.3));
            out.add(new Caption.Word(w.text(), w.font(), w.x(), w.baseline(), w.width(), w.start(), Math.min(until, end)));
        }
        return out;
    }
}
