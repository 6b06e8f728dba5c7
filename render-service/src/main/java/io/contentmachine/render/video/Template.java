package io.contentmachine.render.video;

import java.util.List;
import java.util.Optional;

/**
 * A visual style. Templates differ in palettes (see {@link GeneratedVisuals}), caption style (size, case, border, the
 * panel behind a caption and the box behind the spoken word), words per caption, title card and progress bar.
 */
public record Template(String id, String name, int captionSize, String captionBorder, String panelColor, String highlightBox,
        String highlightText, boolean uppercase, int wordsPerGroup, TitleStyle titleStyle, String barColor, int barY, int barHeight) {

    public static final String DEFAULT = "tiktok-bold";

    /** How the title is shown during the first seconds. */
    public enum TitleStyle { CARD, PLAIN, BANNER }

    public static final List<Template> ALL = List.of(
            new Template("tiktok-bold", "TikTok bold", 78, "black", "black@0.42", "0xffe600", "0x1a1a1a", true, 3,
                    TitleStyle.CARD, "0xffe600", 1880, 24),
            new Template("minimal", "Minimal", 66, null, "0x1f2328@0.72", "0xff6b4a", "white", false, 4,
                    TitleStyle.PLAIN, "0x1f2328", 0, 8),
            new Template("news", "News", 64, null, "0x0b1d3a@0.85", "0xe10600", "white", false, 4,
                    TitleStyle.BANNER, "0xe10600", 1904, 16));

    public static Optional<Template> byId(String id) {
        return ALL.stream().filter(t -> t.id().equals(id)).findFirst();
    }
}
