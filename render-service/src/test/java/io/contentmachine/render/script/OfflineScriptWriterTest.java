package io.contentmachine.render.script;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

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

    @ParameterizedTest
    @CsvSource({"en,Why octopuses have three hearts,octopuses", "es,Por qué los pulpos tienen tres corazones,pulpos",
            "fr,Pourquoi les pieuvres ont trois cœurs,pieuvres", "de,Warum Oktopusse drei Herzen haben,oktopusse",
            "en,How bees find their way home,bees"})
    void scriptFollowsTheRules(String language, String topic, String noun) {
        for (int seconds : new int[] {15, 30, 60}) {
            ScriptPlan plan = writer.write(topic, seconds, language);
            assertEquals("offline", plan.writer());
            assertEquals(null, plan.fallbackReason());
            List<String> sentences = new ArrayList<>();
            plan.scenes().forEach(s -> sentences.addAll(Arrays.asList(s.text().split("(?<=[.!?])\\s+"))));
            String hook = sentences.get(0);
            assertEquals(plan.hook(), hook);
            assertTrue(OfflineScriptWriter.words(hook).size() <= 12, hook);
            assertFalse(hook.toLowerCase(Locale.ROOT).contains("in this video"), hook);
            // the last 15% of the words are the call to action
            List<String> calls = OfflineScriptWriter.callsToAction(language).stream()
                    .map(c -> c.replace("{np}", OfflineScriptWriter.subject(topic, language)).toLowerCase(Locale.ROOT)).toList();
            String lastScene = plan.scenes().get(plan.scenes().size() - 1).text();
            int callWords = 0;
            for (String sentence : lastScene.split("(?<=[.!?])\\s+")) {
                assertTrue(calls.contains(sentence.toLowerCase(Locale.ROOT)), "not a call to action: " + sentence + " (" + calls + ")");
                callWords += OfflineScriptWriter.words(sentence).size();
            }
            assertTrue(callWords >= 0.15 * plan.wordCount(), callWords + " of " + plan.wordCount() + " words");
            // every other sentence names the topic's noun or asks a question
            for (String sentence : sentences.subList(1, sentences.size())) {
                assertTrue(sentence.toLowerCase(Locale.ROOT).contains(noun) || sentence.endsWith("?")
                        || calls.contains(sentence.toLowerCase(Locale.ROOT)),
                        "names nothing: " + sentence);
            }
            for (ScriptPlan.PlannedScene scene : plan.scenes()) {
                assertNull(OfflineScriptWriter.bannedPhrase(scene.text()), scene.text());
            }
            assertNull(OfflineScriptWriter.bannedPhrase(plan.description()));
            assertFalse(plan.description().contains("#"), "hashtags only in the hashtag list: " + plan.description());
            assertTrue(plan.hashtags().contains("#" + noun), plan.hashtags().toString());
        }
    }

    @Test
    void bannedListHoldsTodaysFiller() {
        assertEquals("is more interesting than it first looks",
                OfflineScriptWriter.bannedPhrase("Start with the basics: octopuses is more interesting than it first looks."));
        assertEquals("in this video", OfflineScriptWriter.bannedPhrase("In this video we look at bees."));
        assertNull(OfflineScriptWriter.bannedPhrase("Octopuses pump blue blood with three hearts."));
    }

    @Test
    void topicInAnotherScriptIsQuotedNotRead() {
        ScriptPlan plan = writer.write("日本の城の歴史", 20, "fr-FR");
        assertEquals("« 日本の城の歴史 »", plan.title());
        assertTrue(plan.description().contains("« 日本の城の歴史 »"), plan.description());
        for (ScriptPlan.PlannedScene scene : plan.scenes()) {
            assertFalse(scene.text().contains("日本"), scene.text());
        }
        assertTrue(plan.scenes().stream().anyMatch(s -> s.text().contains("ce sujet")));
    }

    @Test
    void aLanguageWithoutPhrasesGetsEnglishAndSaysSo() {
        ScriptPlan plan = writer.write("Why octopuses have three hearts", 15, "it-IT");
        assertEquals("the offline writer has no it-IT; wrote English", plan.fallbackReason());
    }

    @Test
    void shortenedKeepsHookAndCallToAction() {
        ScriptPlan plan = writer.write("Why octopuses have three hearts", 60, "en");
        ScriptPlan shorter = plan.shortened(30);
        assertTrue(shorter.wordCount() <= plan.wordCount() - 30 && shorter.wordCount() >= plan.wordCount() - 50,
                plan.wordCount() + " -> " + shorter.wordCount());
        assertEquals(plan.scenes().get(0).text(), shorter.scenes().get(0).text());
        assertEquals(plan.scenes().get(plan.scenes().size() - 1).text(), shorter.scenes().get(shorter.scenes().size() - 1).text());
        for (int i = 0; i < shorter.scenes().size(); i++) {
            assertEquals(i + 1, shorter.scenes().get(i).sequence());
        }
    }
}
