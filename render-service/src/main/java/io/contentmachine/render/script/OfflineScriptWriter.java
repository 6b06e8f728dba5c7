package io.contentmachine.render.script;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes an English explainer script from a topic without any model: deterministic (the same topic and length give
 * the same script), sized so that the spoken words fill the requested length at the voice's pace.
 */
public class OfflineScriptWriter {

    /** Spoken words per second, pauses between sentences and scenes included. */
    public static final double WORDS_PER_SECOND = 2.5;

    private static final int SCENE_WORDS = 16;
    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}][\\p{L}\\p{N}'’-]*");
    private static final Set<String> STOP = Set.of("a", "an", "the", "and", "or", "but", "of", "to", "in", "on", "at", "for",
            "with", "by", "from", "is", "are", "was", "were", "be", "been", "it", "its", "this", "that", "these", "those",
            "why", "how", "what", "when", "where", "who", "which", "do", "does", "did", "have", "has", "had", "you", "your",
            "we", "our", "they", "their", "about", "into", "than", "then", "so", "not", "no", "can", "will", "just", "more",
            "most", "very", "really", "there", "here", "as", "if", "all", "any", "some", "my", "me", "i");

    private static final List<String> HOOKS = List.of(
            "Here is something about %s that most people never notice.",
            "You have heard of %s, but probably not like this.",
            "Give me a minute and %s will never look the same.",
            "Everyone talks about %s. Almost nobody explains it.");

    private static final List<String> BODY = List.of(
            "Start with the basics: %2$s is more interesting than it first looks.",
            "The first thing to know is that %2$s did not appear out of nowhere.",
            "People have studied %2$s for a long time, and the details keep surprising them.",
            "One simple way to picture it is to imagine %2$s on an ordinary day.",
            "The key idea is small, but it changes how you see %2$s.",
            "A common mistake is to think %2$s is simple. It is not.",
            "Experts point to a few causes, and each one matters more than you would guess.",
            "Look a little closer and a clear pattern starts to appear.",
            "Here is the part that surprises most people the first time they hear it.",
            "That is why %2$s keeps coming up in so many conversations.",
            "It also connects to things you see and use every single day.",
            "Small changes here can lead to surprisingly big effects later on.",
            "Numbers help: even a tiny difference adds up over months and years.",
            "Think about what would happen if %2$s simply did not exist.",
            "Now compare that with what most of us expected at the start.",
            "The history behind %2$s is full of lucky accidents and stubborn people.",
            "Scientists still argue about some of the details, and that is healthy.",
            "If you remember one thing, remember that context changes everything.",
            "The best part is that you can see this for yourself with a little attention.",
            "And once you notice it, you start seeing %2$s everywhere.");

    private static final List<String> OUTROS = List.of(
            "So next time %2$s comes up, you will know the real story. Follow for more.",
            "That is %2$s in a nutshell. Share this with someone curious.",
            "Now you know more about %2$s than most people. Follow for part two.");

    private static final List<String> PICTURES = List.of(
            "close-up shot of %s, soft cinematic light",
            "wide establishing shot related to %s, vertical framing",
            "hands-on detail illustrating %s, shallow depth of field",
            "bold infographic style visual about %s",
            "slow motion b-roll evoking %s, warm colours",
            "aerial view connected to %s, dramatic sky");

    public ScriptPlan write(String rawTopic, int lengthSeconds) {
        String topic = clean(rawTopic);
        Random random = new Random(seed(topic, lengthSeconds));
        List<String> keywords = keywords(topic);
        String spokenTopic = inSentence(shorten(topic, 8));
        String subject = keywords.stream().limit(4).filter(k -> !k.endsWith("ly"))
                .max(java.util.Comparator.comparingInt(String::length)).orElse(spokenTopic);
        int targetWords = (int) Math.round(lengthSeconds * WORDS_PER_SECOND);

        String hook = String.format(Locale.ROOT, pick(HOOKS, random), spokenTopic);
        String outro = String.format(Locale.ROOT, pick(OUTROS, random), spokenTopic, subject);
        List<String> sentences = new ArrayList<>();
        sentences.add(hook);
        int words = words(hook).size() + words(outro).size();
        List<String> body = new ArrayList<>(BODY);
        java.util.Collections.shuffle(body, random);
        int next = 0;
        while (words < targetWords) {
            String sentence = String.format(Locale.ROOT, body.get(next % body.size()), spokenTopic, subject);
            int count = words(sentence).size();
            if (words + count > targetWords * 1.05 && words >= targetWords * 0.9) {
                break;
            }
            if (words + count > targetWords * 1.05) {
                sentence = trimTo(sentence, targetWords - words);
                count = words(sentence).size();
            }
            sentences.add(sentence);
            words += count;
            next++;
        }
        sentences.add(outro);

        List<ScriptPlan.PlannedScene> scenes = new ArrayList<>();
        StringBuilder scene = new StringBuilder();
        for (int i = 0; i < sentences.size(); i++) {
            scene.append(scene.length() == 0 ? "" : " ").append(sentences.get(i));
            boolean last = i == sentences.size() - 1;
            boolean full = words(scene.toString()).size() >= SCENE_WORDS || i == 0;
            if (last || full) {
                String text = scene.toString();
                int n = scenes.size();
                String picture = String.format(Locale.ROOT, PICTURES.get(Math.floorMod(n + (int) seed(topic, 0), PICTURES.size())), subject);
                scenes.add(new ScriptPlan.PlannedScene(n + 1, text, round(words(text).size() / WORDS_PER_SECOND), picture));
                scene.setLength(0);
            }
        }

        List<String> tags = new ArrayList<>(keywords.subList(0, Math.min(6, keywords.size())));
        tags.add("shorts");
        tags.add("explained");
        List<String> hashtags = new ArrayList<>();
        for (String tag : tags) {
            hashtags.add("#" + tag.replaceAll("[^\\p{L}\\p{N}]", ""));
        }
        String description = hook + " A " + lengthSeconds + " second explainer about " + spokenTopic + ". "
                + String.join(" ", hashtags);
        return new ScriptPlan(title(topic), description, hook, List.copyOf(new LinkedHashSet<>(tags)),
                List.copyOf(new LinkedHashSet<>(hashtags)), scenes, "offline", null);
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

    private static List<String> keywords(String topic) {
        LinkedHashSet<String> keys = new LinkedHashSet<>();
        for (String w : words(topic)) {
            String lower = w.toLowerCase(Locale.ROOT);
            if (!STOP.contains(lower) && (lower.length() >= 3 || !lower.chars().allMatch(c -> c < 128))) {
                keys.add(lower);
            }
        }
        return new ArrayList<>(keys);
    }

    private static String clean(String topic) {
        String text = topic == null ? "" : topic.replaceAll("[\\p{Cc}\\p{Cf}&&[^\\u200d]]", " ").replaceAll("\\s+", " ").strip();
        return text.replaceAll("[.!?]+$", "");
    }

    /** "Why octopuses..." reads "why octopuses..." mid-sentence; "NASA ..." and "iPhone ..." stay as they are. */
    private static String inSentence(String text) {
        if (text.length() > 1 && Character.isUpperCase(text.charAt(0)) && Character.isLowerCase(text.charAt(1))) {
            return Character.toLowerCase(text.charAt(0)) + text.substring(1);
        }
        return text;
    }

    private static String shorten(String topic, int maxWords) {
        String[] parts = topic.split(" ");
        return parts.length <= maxWords ? topic : String.join(" ", Arrays.copyOf(parts, maxWords));
    }

    private static String trimTo(String sentence, int maxWords) {
        String[] parts = sentence.split(" ");
        int keep = Math.max(3, Math.min(parts.length, maxWords));
        String cut = String.join(" ", Arrays.copyOf(parts, keep)).replaceAll("[,:;]+$", "");
        return cut.endsWith(".") ? cut : cut + ".";
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
