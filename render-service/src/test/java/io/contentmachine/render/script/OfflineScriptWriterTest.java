package io.contentmachine.render.script;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class OfflineScriptWriterTest {

    private final OfflineScriptWriter writer = new OfflineScriptWriter();

    @Test
    void sameInputGivesTheSameScript() {
        ScriptPlan a = writer.write("Why octopuses have three hearts", 30);
        ScriptPlan b = new OfflineScriptWriter().write("Why octopuses have three hearts", 30);
        assertEquals(a, b);
        assertNotEquals(a, writer.write("How bees navigate by the sun", 30));
    }

    @ParameterizedTest
    @ValueSource(ints = {15, 30, 45, 60, 90, 180})
    void spokenLengthMatchesTheRequestWithinTenPercent(int seconds) {
        ScriptPlan plan = writer.write("Why octopuses have three hearts", seconds);
        double words = plan.wordCount();
        double expected = seconds * OfflineScriptWriter.WORDS_PER_SECOND;
        assertTrue(Math.abs(words - expected) / expected <= 0.10, words + " words for " + seconds + " s (expected ~" + expected + ")");
        assertTrue(Math.abs(plan.estimatedSeconds() - seconds) / seconds <= 0.10, plan.estimatedSeconds() + " s estimated");
        for (ScriptPlan.PlannedScene scene : plan.scenes()) {
            assertFalse(scene.text().isBlank());
            assertFalse(scene.visualPrompt().isBlank());
            assertTrue(scene.estimatedSeconds() > 0);
        }
        assertEquals(1, plan.scenes().get(0).sequence());
        assertEquals(plan.scenes().size(), plan.scenes().get(plan.scenes().size() - 1).sequence());
    }

    @Test
    void titleIsAtMostOneHundredCharactersAndMetadataIsFilled() {
        String topic = "The surprisingly long history of ".repeat(14) + "bread";
        ScriptPlan plan = writer.write(topic, 60);
        assertTrue(plan.title().length() <= 100, plan.title());
        assertTrue(plan.title().startsWith("The surprisingly long history"));
        assertFalse(plan.description().isBlank());
        assertFalse(plan.hook().isBlank());
        assertTrue(plan.tags().contains("history"), plan.tags().toString());
        assertTrue(plan.hashtags().stream().allMatch(h -> h.startsWith("#") && h.length() > 1), plan.hashtags().toString());
        assertEquals("offline", plan.writer());
        // a long topic must not blow up the spoken length
        double expected = 60 * OfflineScriptWriter.WORDS_PER_SECOND;
        assertTrue(Math.abs(plan.wordCount() - expected) / expected <= 0.10, plan.wordCount() + " words");
    }

    @Test
    void hostileTopicStillMakesAScript() {
        ScriptPlan plan = writer.write("It's 100% \"real\": C:\\path; 你好世界 😀 🚀 'quotes' {x} [y]", 15);
        assertTrue(plan.title().contains("100%"));
        assertTrue(plan.scenes().size() >= 1);
        assertTrue(plan.hashtags().stream().noneMatch(h -> h.contains("\"") || h.contains("\\")), plan.hashtags().toString());
    }
}
