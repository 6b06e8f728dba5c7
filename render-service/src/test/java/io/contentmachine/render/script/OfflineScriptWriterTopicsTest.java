package io.contentmachine.render.script;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The offline writer over varied topics (questions, instructions, "how to", names, multiword nouns, four languages): the
 * subject it picks, and a script a person could post — no adverb or question word as a thing, no sentence twice, every
 * sentence punctuated, three to six beats, the requested length at the writer's speech rate.
 */
class OfflineScriptWriterTopicsTest {

    /** Words that must never be a script's subject (the old writer said "This changes how you see always."). */
    private static final Set<String> NEVER_SUBJECTS = Set.of("always", "have", "has", "do", "does", "why", "how", "what", "really",
            "actually", "never", "make", "makes", "happens", "is", "are", "the", "to", "explain", "three", "por", "qué", "tienen",
            "pourquoi", "ont", "warum", "drei", "funcionan", "cómo", "ten", "10", "like", "five");

    private final OfflineScriptWriter writer = new OfflineScriptWriter();

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "en|Why cats always land on their feet|cats",
        "en|Why octopuses have three hearts|octopuses",
        "en|How honey bees make honey|honey bees",
        "en|What happens inside black holes|black holes",
        "en|Why the sky is blue|the sky",
        "en|How to make sourdough bread at home|sourdough bread",
        "en|The history of the Roman Empire|the Roman Empire",
        "en|Marie Curie's discoveries|Marie Curie",
        "en|Explain quantum computing like I'm five|quantum computing",
        "en|Do dogs really dream?|dogs",
        "en|10 facts about the Moon|the Moon",
        "en|Is coffee bad for you|coffee",
        "en|Why cats actually purr|cats",
        "en|How airplanes stay in the air|airplanes",
        "en|What makes the sky blue|the sky",
        "es|Por qué los pulpos tienen tres corazones|los pulpos",
        "es|Cómo funcionan los agujeros negros|los agujeros negros",
        "fr|Pourquoi les pieuvres ont trois cœurs|les pieuvres",
        "de|Warum Oktopusse drei Herzen haben|Oktopusse"})
    void writesAScriptAboutTheTopicsSubject(String language, String topic, String expected) {
        String subject = OfflineScriptWriter.subject(topic, language);
        assertEquals(expected, subject, "subject of '" + topic + "'");
        String bare = OfflineScriptWriter.bare(subject);
        for (String word : bare.toLowerCase(Locale.ROOT).split(" ")) {
            assertFalse(NEVER_SUBJECTS.contains(word), "'" + word + "' is no subject (" + topic + ")");
        }
        for (int seconds : new int[] {15, 30, 60}) {
            ScriptPlan plan = writer.write(topic, seconds, language);
            List<String> sentences = sentences(plan);
            String where = language + " '" + topic + "' " + seconds + " s: ";

            Set<String> seen = new HashSet<>();
            for (String sentence : sentences) {
                assertTrue(seen.add(sentence), where + "said twice: " + sentence);
                assertTrue(sentence.matches("(?s).*[.!?]$"), where + "not punctuated: " + sentence);
                assertTrue(Character.isUpperCase(sentence.codePointAt(0)) || sentence.startsWith("¿"), where + "no capital: " + sentence);
                assertNull(OfflineScriptWriter.bannedPhrase(sentence), where + sentence);
                assertFalse(sentence.contains("{") || sentence.contains("%"), where + "placeholder left: " + sentence);
            }
            assertTrue(String.join(" ", sentences).contains(subject), where + "never names " + subject);
            assertTrue(OfflineScriptWriter.words(plan.hook()).size() <= 12, where + plan.hook());
            assertTrue(plan.hook().contains(subject), where + "the hook names the subject: " + plan.hook());
            // hook scene, 3 to 6 beats, call to action
            int beats = plan.scenes().size() - 2;
            assertTrue(beats >= 3 && beats <= 6, where + beats + " beats");

            double expectedWords = seconds * OfflineScriptWriter.WORDS_PER_SECOND;
            assertTrue(Math.abs(plan.wordCount() - expectedWords) / expectedWords <= 0.10,
                    where + plan.wordCount() + " words, expected about " + expectedWords);
            for (ScriptPlan.PlannedScene scene : plan.scenes()) {
                assertTrue(scene.visualPrompt().startsWith(bare + ", "), where + "prompt: " + scene.visualPrompt());
            }
            assertTrue(plan.hashtags().contains("#" + bare.replace(" ", "").toLowerCase(Locale.ROOT)),
                    where + plan.hashtags());
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"en|Why octopuses have three hearts", "en|How to make sourdough bread at home",
        "en|The history of the Roman Empire", "es|Por qué los pulpos tienen tres corazones", "fr|Pourquoi les pieuvres ont trois cœurs",
        "de|Warum Oktopusse drei Herzen haben"})
    void longVideosRepeatNoSentence(String language, String topic) {
        for (int seconds : new int[] {45, 90}) {
            List<String> sentences = sentences(writer.write(topic, seconds, language));
            assertEquals(sentences.size(), new HashSet<>(sentences).size(), seconds + " s: " + sentences);
        }
    }

    private static List<String> sentences(ScriptPlan plan) {
        List<String> sentences = new ArrayList<>();
        for (ScriptPlan.PlannedScene scene : plan.scenes()) {
            for (String s : scene.text().split("(?<=[.!?])\\s+(?=[\\p{Lu}¿])")) {
                sentences.add(s.strip());
            }
        }
        return sentences;
    }
}
