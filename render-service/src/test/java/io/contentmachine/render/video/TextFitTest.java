package io.contentmachine.render.video;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Text stays inside its card: the headline layout fits any subject to its band, the text layer finds a text that would
 * cross its card, and libass, drawing the layer's script, puts no pixel of a text outside the box the layout measured.
 */
class TextFitTest {

    private static final List<String> HEADLINES = List.of("OCTOPUSES", "HONEY BEES", "ROMAN EMPIRE", "SCHIFFFAHRTSGESELLSCHAFT",
            "SUPERCALIFRAGILISTICEXPIALIDOCIOUS", "QUANTUM COMPUTING EXPLAINED SIMPLY", "日本の城の歴史と天守閣の秘密", "WWWWWWWWWWWWWW",
            "A", "ÉLÉPHANTS D'AFRIQUE", "LOS AGUJEROS NEGROS SUPERMASIVOS");

    private final Fonts fonts = new Fonts("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc");

    @Test
    void everyHeadlineFitsItsBand() {
        HeadlineLayout layout = new HeadlineLayout(fonts);
        for (String headline : HEADLINES) {
            TextLayer text = new TextLayer(fonts);
            List<HeadlineLayout.Line> lines = layout.fit(headline);
            assertFalse(lines.isEmpty(), headline);
            assertTrue(lines.size() <= 2, headline + ": " + lines);
            for (HeadlineLayout.Line line : lines) {
                text.text(1, 0, 1, line.text(), line.font(), line.size(), line.x(), line.baseline(), "white", null, 0, null,
                        HeadlineLayout.BAND);
            }
            assertEquals(List.of(), text.outside(), headline);
        }
        // a short subject stays on one line at full size; a long one is smaller or on two lines, never cut while it fits
        assertEquals(List.of(HeadlineLayout.MAX_SIZE), layout.fit("OCTOPUSES").stream().map(HeadlineLayout.Line::size).toList());
        assertEquals(2, layout.fit("QUANTUM COMPUTING EXPLAINED SIMPLY").size());
        assertFalse(layout.fit("QUANTUM COMPUTING EXPLAINED SIMPLY").stream().anyMatch(l -> l.text().endsWith("…")));
    }

    @Test
    void aTextWiderThanItsCardIsFound() {
        TextLayer text = new TextLayer(fonts);
        Path bold = fonts.choose("OCTOPUSES", true).file();
        text.text(1, 0, 1, "OCTOPUSES", bold, 124, 40, 430, "white", null, 0, null, HeadlineLayout.BAND);
        text.text(5, 0, 1, "INSIDE", bold, 60, 300, 1300, "white", "black", 4, null, new int[] {250, 1200, 600, 200});
        assertEquals(1, text.outside().size(), text.outside().toString());
        assertTrue(text.outside().get(0).toString().startsWith("'OCTOPUSES'"), text.outside().toString());
    }

    /** libass draws the text where the layout measured it: every lit pixel lies inside the measured box (2 px slack). */
    @ParameterizedTest
    @ValueSource(strings = {"HONEY BEES", "SCHIFFFAHRTSGESELLSCHAFT", "日本の城の歴史と天守閣の秘密", "ÉLÉPHANTS D'AFRIQUE"})
    void drawnPixelsStayInTheMeasuredBox(String headline, @TempDir Path dir) throws Exception {
        TextLayer text = new TextLayer(fonts);
        int left = Integer.MAX_VALUE;
        int right = 0;
        int top = Integer.MAX_VALUE;
        int bottom = 0;
        for (HeadlineLayout.Line line : new HeadlineLayout(fonts).fit(headline)) {
            text.text(1, 0, 5, line.text(), line.font(), line.size(), line.x(), line.baseline(), "white", null, 0, null,
                    HeadlineLayout.BAND);
            int lineTop = text.top(line.font(), line.size(), line.baseline());
            left = Math.min(left, line.x());
            right = Math.max(right, line.x() + line.width());
            top = Math.min(top, lineTop);
            bottom = Math.max(bottom, lineTop + (int) Math.ceil(fonts.assSize(line.font(), line.size())));
        }
        Files.writeString(dir.resolve("text.ass"), text.script(), StandardCharsets.UTF_8);
        ProcessRunner.run(List.of("ffmpeg", "-hide_banner", "-nostdin", "-y", "-v", "error", "-f", "lavfi", "-i",
                "color=c=black:s=" + VideoRenderer.WIDTH + "x" + VideoRenderer.HEIGHT + ":d=1", "-vf", "ass=filename=text.ass",
                "-frames:v", "1", "frame.png"), dir, RenderControl.unlimited(), "test");
        BufferedImage frame = ImageIO.read(dir.resolve("frame.png").toFile());
        int[] lit = {Integer.MAX_VALUE, Integer.MAX_VALUE, -1, -1};
        for (int y = 0; y < frame.getHeight(); y++) {
            for (int x = 0; x < frame.getWidth(); x++) {
                if ((frame.getRGB(x, y) & 0xff) > 96) {
                    lit[0] = Math.min(lit[0], x);
                    lit[1] = Math.min(lit[1], y);
                    lit[2] = Math.max(lit[2], x);
                    lit[3] = Math.max(lit[3], y);
                }
            }
        }
        String where = headline + ": lit x " + lit[0] + ".." + lit[2] + ", y " + lit[1] + ".." + lit[3] + "; measured x " + left + ".."
                + right + ", y " + top + ".." + bottom;
        assertTrue(lit[2] > 0, "nothing drawn: " + where);
        assertTrue(lit[0] >= left - 2 && lit[2] <= right + 2 && lit[1] >= top - 2 && lit[3] <= bottom + 2, where);
        int[] band = HeadlineLayout.BAND;
        assertTrue(lit[0] >= band[0] && lit[2] <= band[0] + band[2] && lit[1] >= band[1] && lit[3] <= band[1] + band[3], where);
        // and the text is not drawn much smaller than measured (which would make the check above meaningless)
        assertTrue(lit[2] - lit[0] >= (right - left) * 0.9, where);
    }
}
