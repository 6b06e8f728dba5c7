package io.contentmachine.render.script;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes an explainer script from a topic without any model, in the voice's language (en, es, fr, de; another language
 * gets English and says so): deterministic (the same topic, length and language give the same script), sized so that
 * the spoken words fill the requested length. Its rules, which tests check: the first sentence is a hook of at most
 * eight words (spoken within 3 s), never "In this video"; every other sentence names the topic's noun or is a
 * question; at least the last 15% of the words are a call to action; no phrase of {@link Phrasebook#BANNED}; hashtags
 * only in the hashtag list. A topic in a script the voice cannot read (e.g. Japanese for a French voice) is not read
 * aloud: the narration says "this topic" and the title and description quote it.
 */
public class OfflineScriptWriter {

    /** Spoken words per second, pauses between sentences and scenes included. */
    public static final double WORDS_PER_SECOND = 2.5;
    /** Share of the words, at the end, that is the call to action. */
    public static final double CALL_SHARE = 0.15;
    public static final List<String> LANGUAGES = List.of("en", "es", "fr", "de");

    private static final int SCENE_WORDS = 16;
    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}][\\p{L}\\p{N}'’-]*");

    /** English visual concepts that a stock library or an owner's tags can match, added to each scene's nouns. */
    private static final List<String> CONCEPTS = List.of("close-up detail", "wide landscape", "hands at work", "chart",
            "old book", "magnifying glass", "city street", "nature", "laboratory", "map");

    public ScriptPlan write(String rawTopic, int lengthSeconds) {
        return write(rawTopic, lengthSeconds, "en");
    }

    public ScriptPlan write(String rawTopic, int lengthSeconds, String language) {
        String lang = language == null ? "en" : language.split("[-_]")[0].toLowerCase(Locale.ROOT);
        String fallback = null;
        if (!LANGUAGES.contains(lang)) {
            fallback = "the offline writer has no " + language + "; wrote English";
            lang = "en";
        }
        Phrasebook book = Phrasebook.ALL.get(lang);
        String topic = clean(rawTopic);
        Random random = new Random(seed(topic + "/" + lang, lengthSeconds));
        boolean readable = readable(topic);
        List<String> keywords = keywords(topic, book);
        String subject = readable ? subject(keywords, topic) : book.thisTopic();
        int targetWords = (int) Math.round(lengthSeconds * WORDS_PER_SECOND);

        String hook = fill(pick(book.hooks(), random), topic, subject);
        List<String> calls = new ArrayList<>(book.calls());
        Collections.shuffle(calls, random);
        List<String> outro = new ArrayList<>();
        int callWords = 0;
        for (String call : calls) {
            if (callWords >= Math.ceil(targetWords * CALL_SHARE)) {
                break;
            }
            String sentence = fill(call, topic, subject);
            outro.add(sentence);
            callWords += words(sentence).size();
        }
        List<String> sentences = new ArrayList<>();
        sentences.add(hook);
        int words = words(hook).size() + callWords;
        List<String> body = new ArrayList<>(book.body());
        Collections.shuffle(body, random);
        for (int next = 0; words < targetWords; next++) {
            String sentence = fill(body.get(next % body.size()), topic, subject);
            int count = words(sentence).size();
            if (words + count > targetWords * 1.05 && words >= targetWords * 0.9) {
                break;
            }
            sentences.add(sentence);
            words += count;
        }

        List<ScriptPlan.PlannedScene> scenes = new ArrayList<>();
        List<String> nouns = keywords.stream().limit(3).toList();
        StringBuilder scene = new StringBuilder();
        for (int i = 0; i < sentences.size(); i++) {
            scene.append(scene.length() == 0 ? "" : " ").append(sentences.get(i));
            boolean last = i == sentences.size() - 1;
            if (last || i == 0 || words(scene.toString()).size() >= SCENE_WORDS) {
                scenes.add(scene(scenes.size() + 1, scene.toString(), nouns, random));
                scene.setLength(0);
            }
        }
        scenes.add(scene(scenes.size() + 1, String.join(" ", outro), nouns, random));

        List<String> tags = new ArrayList<>(keywords.subList(0, Math.min(6, keywords.size())));
        tags.add("shorts");
        tags.add("explained");
        List<String> hashtags = new ArrayList<>();
        for (String tag : tags) {
            String h = tag.replaceAll("[^\\p{L}\\p{N}]", "");
            if (!h.isEmpty()) {
                hashtags.add("#" + h);
            }
        }
        String quoted = book.quotes()[0] + topic + book.quotes()[1];
        String description = hook + " "
                + String.format(Locale.ROOT, book.description(), lengthSeconds, readable ? inSentence(topic) : quoted);
        String title = title(readable ? topic : quoted);
        return new ScriptPlan(title, description, hook, List.copyOf(new LinkedHashSet<>(tags)), List.copyOf(new LinkedHashSet<>(hashtags)),
                scenes, "offline", fallback);
    }

    private static ScriptPlan.PlannedScene scene(int sequence, String text, List<String> nouns, Random random) {
        List<String> prompt = new ArrayList<>(nouns);
        prompt.add(CONCEPTS.get(random.nextInt(CONCEPTS.size())));
        return new ScriptPlan.PlannedScene(sequence, text, round(words(text).size() / WORDS_PER_SECOND), String.join(", ", prompt));
    }

    /** The words of a text as spoken (letters and digits runs). */
    public static List<String> words(String text) {
        List<String> words = new ArrayList<>();
        Matcher m = WORD.matcher(text);
        while (m.find()) {
            words.add(m.group());
        }
        return words;
    }

    /** Does a phrase of {@link Phrasebook#BANNED} occur in {@code text}? (The rule tests ask it too.) */
    public static String bannedPhrase(String text) {
        String lower = text.toLowerCase(Locale.ROOT).replace('’', '\'');
        return Phrasebook.BANNED.stream().filter(lower::contains).findFirst().orElse(null);
    }

    /** The offline writer's call-to-action sentences in {@code language} (rule tests find them at the end). */
    public static List<String> callsToAction(String language) {
        return Phrasebook.ALL.getOrDefault(language, Phrasebook.ALL.get("en")).calls();
    }

    static String title(String topic) {
        String title = topic.isEmpty() ? "A short explainer" : Character.toUpperCase(topic.charAt(0)) + topic.substring(1);
        if (title.length() <= 100) {
            return title;
        }
        String cut = title.substring(0, 99);
        int space = cut.lastIndexOf(' ');
        if (space > 60) {
            cut = cut.substring(0, space);
        }
        if (Character.isHighSurrogate(cut.charAt(cut.length() - 1))) {
            cut = cut.substring(0, cut.length() - 1);
        }
        return cut.strip() + "…";
    }

    /** Can a Latin-script voice read it? Most of its letters are Latin (digits, punctuation and emoji do not count). */
    static boolean readable(String topic) {
        long letters = topic.codePoints().filter(Character::isLetter).count();
        long latin = topic.codePoints().filter(Character::isLetter)
                .filter(cp -> Character.UnicodeScript.of(cp) == Character.UnicodeScript.LATIN).count();
        return letters > 0 && latin * 2 > letters;
    }

    /** "Why octopuses..." reads "why octopuses..." mid-sentence; "NASA ..." and "iPhone ..." stay as they are. */
    private static String inSentence(String text) {
        if (text.length() > 1 && Character.isUpperCase(text.charAt(0)) && Character.isLowerCase(text.charAt(1))) {
            return Character.toLowerCase(text.charAt(0)) + text.substring(1);
        }
        return text;
    }

    private static String fill(String sentence, String topic, String subject) {
        return String.format(Locale.ROOT, sentence, shorten(topic, 6), subject);
    }

    /** The topic's main noun: the longest of its first content words (adverbs left out), short enough for a hook. */
    private static String subject(List<String> keywords, String topic) {
        String key = keywords.stream().limit(4).filter(k -> !k.endsWith("ly") && Character.isLetter(k.codePointAt(0)))
                .max(Comparator.comparingInt(String::length)).orElse(null);
        if (key == null) {
            return shorten(topic, 3);
        }
        // as written in the topic: German nouns and names keep their capital
        return words(topic).stream().filter(w -> w.toLowerCase(Locale.ROOT).equals(key)).findFirst().orElse(key);
    }

    private static List<String> keywords(String topic, Phrasebook book) {
        LinkedHashSet<String> keys = new LinkedHashSet<>();
        for (String w : words(topic)) {
            String lower = w.toLowerCase(Locale.ROOT);
            if (!book.stop().contains(lower) && !Phrasebook.ALL.get("en").stop().contains(lower)
                    && (lower.length() >= 3 || !lower.chars().allMatch(c -> c < 128))) {
                keys.add(lower);
            }
        }
        return new ArrayList<>(keys);
    }

    private static String clean(String topic) {
        String text = topic == null ? "" : topic.replaceAll("[\\p{Cc}\\p{Cf}&&[^\\u200d]]", " ").replaceAll("\\s+", " ").strip();
        return text.replaceAll("[.!?]+$", "");
    }

    private static String shorten(String topic, int maxWords) {
        String[] parts = topic.split(" ");
        return parts.length <= maxWords ? topic : String.join(" ", Arrays.copyOf(parts, maxWords));
    }

    private static String pick(List<String> options, Random random) {
        return options.get(random.nextInt(options.size()));
    }

    private static long seed(String topic, int length) {
        long h = 1125899906842597L;
        for (int i = 0; i < topic.length(); i++) {
            h = 31 * h + topic.charAt(i);
        }
        return h * 31 + length;
    }

    private static double round(double seconds) {
        return Math.round(seconds * 10) / 10.0;
    }
}
