package io.contentmachine.render.video;

import java.util.List;
import java.util.Optional;

/**
 * A visual style. Templates differ in background (gradient colours and how it drifts), caption style (font, size,
 * colours, box, position, words per group), title card and progress bar.
 */
public record Template(String id, String name, String[] gradient, int panX, int panY, double panPeriod,
        boolean boldCaptions, int captionSize, String captionColor, String captionBorder, String captionBox, double captionY,
        boolean uppercase, int wordsPerGroup, TitleStyle titleStyle, String barColor, int barY, int barHeight) {

    public static final String DEFAULT = "tiktok-bold";

    /** How the title is shown during the first seconds. */
    public enum TitleStyle { CARD, PLAIN, BANNER }

    public static final List<Template> ALL = List.of(
            new Template("tiktok-bold", "TikTok bold", new String[] {"0x7b2ff7", "0xf107a3", "0xff8a00"}, 48, 80, 4.0,
                    true, 92, "white", "black", null, 0.52, true, 3, TitleStyle.CARD, "0xffe600", 1880, 24),
            new Template("minimal", "Minimal", new String[] {"0xf4f1ea", "0xdfe7ef", "0xf4f1ea"}, 40, 60, 6.0,
                    false, 64, "0x1f2328", null, null, 0.70, false, 5, TitleStyle.PLAIN, "0x1f2328", 0, 8),
            new Template("news", "News", new String[] {"0x0b1d3a", "0x123a6b", "0x0b1d3a"}, 120, 0, 8.0,
                    true, 58, "white", null, "0xb00020@0.92", 0.80, false, 5, TitleStyle.BANNER, "0xe10600", 1904, 16));

    public static Optional<Template> byId(String id) {
        return ALL.stream().filter(t -> t.id().equals(id)).findFirst();
    }
}
