package io.contentmachine.render.video;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import io.contentmachine.render.voice.TimedWord;
import org.junit.jupiter.api.Test;

/** Caption layout alone, over many word mixes: every caption in the safe area, 2-5 words, at most two lines. */
class CaptionLayoutTest {

    private static final String[] WORDS = {"where", "does", "octopuses", "fit", "in", "the", "bigger", "picture?", "Compare",
        "extraordinarily", "hearts,", "blue", "blood.", "Oktopusse", "Wahrheit", "über", "déjà", "vu", "pieuvres", "100%", "C:\\new\\path;",
        "你好世界", "supercalifragilistic", "a", "I", "understanding", "photosynthesis", "Schifffahrtsgesellschaft"};

    private final CaptionLayout layout = new CaptionLayout(new Fonts("/usr/share/fonts/truetype/dejavu",
            "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"));

    @Test
    void everyCaptionFitsTheSafeArea() {
        Random random = new Random(14);
        for (Template template : Template.ALL) {
            List<TimedWord> words = new ArrayList<>();
            double t = 0;
            for (int i = 0; i < 600; i++) {
                String w = WORDS[random.nextInt(WORDS.length)];
                words.add(new TimedWord(w, t, t + 0.3));
                t += 0.32;
            }
            List<Caption> captions = layout.layout(words, template, t + 1);
            assertEquals(words.size(), captions.stream().mapToInt(c -> c.words().size()).sum(), "every word shown once");
            for (Caption c : captions) {
                assertTrue(CaptionLayout.inSafeArea(c), template.id() + ": '" + c.text() + "' at " + List.of(c.box()[0], c.box()[1],
                        c.box()[2], c.box()[3]));
                assertTrue(c.words().size() <= 5, c.text());
                assertTrue(c.words().stream().mapToInt(Caption.Word::baseline).distinct().count() <= 2, c.text());
                for (Caption.Word w : c.words()) {
                    assertTrue(w.x() >= c.box()[0] && w.x() + w.width() <= c.box()[0] + c.box()[2], "word inside its panel: " + w);
                }
            }
        }
    }
}
