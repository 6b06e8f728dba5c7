package io.contentmachine.render.video;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Pictograms chosen by the CLDR annotations: the emoji named like the subject noun comes first, plurals included. */
class PictogramsTest {

    private final Pictograms pictograms = new Pictograms(Path.of("/usr/share/unicode/cldr/common/annotations"), "pango-view",
            Path.of("target", "pictograms"));

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"honeybees|🐝", "honey bees|🐝", "cats|🐈", "octopuses|🐙", "feet|🦶", "black holes|🕳",
        "sourdough bread|🍞", "mice|🐁"})
    void theSubjectsOwnEmojiComesFirst(String subject, String emoji) {
        List<Pictograms.Choice> choices = pictograms.match(List.of(subject.split(" ")), "en");
        assertEquals(emoji, choices.get(0).emoji(), subject + ": " + choices);
    }
}
