package io.contentmachine.render.script;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes an explainer script from a topic without any model, in the voice's language (en, es, fr, de; another language
 * gets English and says so): deterministic (the same topic, length and language give the same script), sized so that
 * the spoken words fill the requested length. It knows no facts, so it frames honestly: a hook, the topic's question,
 * three to six beats (what to look at, the usual answer, what happens step by step, a comparison, how we know), a
 * closing line and a call to action. Its rules, which tests check: the subject is the topic's noun phrase ({@link
 * #subject}), never an adverb, verb or question word; the first sentence is a hook of at most nine words (spoken within
 * 3 s), never "In this video"; every other sentence names the subject or the topic, or is a question; no sentence twice;
 * at least the last 15% of the words are a call to action; no phrase of {@link Phrasebook#BANNED}; hashtags only in the
 * hashtag list. A topic in a script the voice cannot read (e.g. Japanese for a French voice) is not read aloud: the
 * narration says "this topic" and the title and description quote it.
 */
public class OfflineScriptWriter {

    /** Spoken words per second, pauses between sentences and scenes included. */
    public static final double WORDS_PER_SECOND = 2.5;
    /** Share of the words, at the end, that is the call to action. */
    public static final double CALL_SHARE = 0.15;
    public static final List<String> LANGUAGES = List.of("en", "es", "fr", "de");

    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}][\\p{L}\\p{N}'’-]*");
    private static final int SUBJECT_WORDS = 3;

    /** Nouns that head a phrase about something else: "the history of X" is about X. */
    private static final Set<String> FRAME_NOUNS = Set.of("history", "science", "story", "secret", "secrets", "life", "rise", "fall",
            "origin", "origins", "truth", "myth", "myths", "fact", "facts", "things", "reasons", "ways", "tips", "mystery", "physics",
            "chemistry", "biology", "psychology", "future", "anatomy", "benefits", "dangers", "evolution", "historia", "ciencia",
            "secreto", "histoire", "geschichte", "geheimnis");
    private static final Set<String> FRAME_LINKS = Set.of("of", "about", "behind", "de", "del", "des", "du", "sur", "sobre", "über",
            "von", "der");
    private static final Set<String> ARTICLES = Set.of("the", "a", "an", "el", "la", "los", "las", "un", "una", "unos", "unas", "le",
            "les", "l'", "une", "der", "die", "das", "den", "dem", "ein", "eine", "einen", "einem", "einer");
    /**
     * English verbs and predicate adjectives that end a subject ("how a rainbow forms", "is coffee bad"); a plural noun
     * ends it too ("honey bees make honey"), so only verbs after a singular noun need to be listed.
     */
    private static final Set<String> VERBS = Set.of("is", "are", "was", "were", "be", "has", "have", "had", "do", "does", "did",
            "can", "could", "will", "would", "should", "may", "might", "must", "form", "forms", "work", "works", "fly", "flies",
            "happen", "happens", "grow", "grows", "start", "starts", "begin", "begins", "end", "ends", "live", "lives", "die", "dies",
            "sleep", "sleeps", "dream", "dreams", "move", "moves", "change", "changes", "land", "lands", "stay", "stays", "float",
            "floats", "glow", "glows", "exist", "exists", "matter", "matters", "make", "makes", "get", "gets", "go", "goes",
            "become", "becomes", "need", "needs", "keep", "keeps", "feel", "feels", "see", "sees", "eat", "eats", "turn", "turns",
            "bad", "good", "better", "worse", "healthy", "dangerous", "safe", "real", "true", "possible", "important", "blue",
            "red", "green", "black", "white", "hot", "cold", "big", "small", "hard", "easy", "so", "like");

    /** Whether this writer writes {@code language} (a BCP 47 tag such as fr-FR) rather than falling back to English. */
    public static boolean writes(String language) {
        return language != null && LANGUAGES.contains(language.split("[-_]")[0].toLowerCase(Locale.ROOT));
    }

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
        String subject = readable ? subject(topic, lang) : book.thisTopic();
        Filler filler = new Filler(readable ? inSentence(shorten(topic, 10)) : book.thisTopic(), subject, lengthSeconds);
        int targetWords = (int) Math.round(lengthSeconds * WORDS_PER_SECOND);

        double most = targetWords * 1.05;
        String hook = filler.fill(pick(book.hooks(), random));
        List<String> calls = new ArrayList<>(book.calls());
        Collections.shuffle(calls, random);
        List<Beat> beats = beats(book, readable ? framing(topic, book) : null, lengthSeconds, random);
        List<String> outro = outro(calls, filler, most);
        int words = words(hook).size() + count(outro);
        for (Beat beat : beats) {
            words += beat.add(filler.fill(beat.lines.remove(0)));
        }
        // a short video has room for little more than the leads: when they overshoot, the shortest hook and calls are
        // taken and the topic's own question gives way to its beat's shorter first line
        if (words > most) {
            hook = book.hooks().stream().map(filler::fill).min(Comparator.comparingInt(h -> words(h).size())).orElse(hook);
            calls.sort(Comparator.comparingInt(c -> words(filler.fill(c)).size()));
            outro = outro(calls, filler, most);
            Beat first = beats.get(0);
            if (first.lines.size() > 0 && words(filler.fill(first.lines.get(0))).size() < words(first.said.get(0)).size()) {
                first.said.set(0, filler.fill(first.lines.remove(0)));
            }
            words = words(hook).size() + count(outro) + beats.stream().mapToInt(beat -> count(beat.said)).sum();
        }
        String closing = filler.fill(pick(book.closings(), random));
        if (words + words(closing).size() <= most) {
            words += words(closing).size();
        } else {
            closing = null;
        }
        // follow-ups, one per beat in turn, until the length is reached; a sentence that would overshoot is skipped
        for (boolean added = true; added && words < targetWords * 0.97; ) {
            added = false;
            for (Beat beat : beats) {
                if (beat.lines.isEmpty() || words >= targetWords * 0.97) {
                    continue;
                }
                String sentence = filler.fill(beat.lines.remove(0));
                if (words + words(sentence).size() <= most) {
                    words += beat.add(sentence);
                    added = true;
                }
            }
        }
        if (closing != null) {
            beats.get(beats.size() - 1).add(closing);
        }

        String noun = readable ? bare(subject) : topic;
        List<ScriptPlan.PlannedScene> scenes = new ArrayList<>();
        scenes.add(scene(1, hook, noun, "close-up"));
        for (Beat beat : beats) {
            scenes.add(scene(scenes.size() + 1, String.join(" ", beat.said), noun, beat.concept));
        }
        scenes.add(scene(scenes.size() + 1, String.join(" ", outro), noun, "thumbs up"));

        List<String> keywords = keywords(topic, book);
        List<String> tags = new ArrayList<>();
        if (readable) {
            tags.add(noun.toLowerCase(Locale.ROOT));
        }
        tags.addAll(keywords.subList(0, Math.min(6, keywords.size())));
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

    /**
     * Calls to action that are {@link #CALL_SHARE} of the longest script allowed: the first call long enough on its own,
     * else calls in the given order until they are.
     */
    private static List<String> outro(List<String> calls, Filler filler, double mostWords) {
        int need = (int) Math.ceil(mostWords * CALL_SHARE);
        for (String call : calls) {
            if (words(filler.fill(call)).size() >= need) {
                return List.of(filler.fill(call));
            }
        }
        List<String> outro = new ArrayList<>();
        int callWords = 0;
        for (String call : calls) {
            if (callWords >= need) {
                break;
            }
            String sentence = filler.fill(call);
            outro.add(sentence);
            callWords += words(sentence).size();
        }
        return outro;
    }

    private static int count(List<String> sentences) {
        return sentences.stream().mapToInt(sentence -> words(sentence).size()).sum();
    }

    /** One beat as it is written: the sentences said so far, those left, and what its pictures show. */
    private static final class Beat {
        private final List<String> lines;
        private final List<String> said = new ArrayList<>();
        private final String concept;

        Beat(List<String> lines, String concept) {
            this.lines = lines;
            this.concept = concept;
        }

        int add(String sentence) {
            said.add(sentence);
            return words(sentence).size();
        }
    }

    /**
     * The beats of a video of {@code seconds}: three for the shortest, one more per 10 s up to six; the first frames the
     * topic (when it is read aloud), the others are drawn from the rest and kept in the book's order, which tells a story.
     */
    private static List<Beat> beats(Phrasebook book, Phrasebook.Framing framing, int seconds, Random random) {
        int count = Math.max(3, Math.min(book.beats().size(), seconds / 10));
        List<Integer> others = new ArrayList<>();
        for (int i = 1; i < book.beats().size(); i++) {
            others.add(i);
        }
        Collections.shuffle(others, random);
        List<Integer> chosen = new ArrayList<>(others.subList(0, count - 1));
        Collections.sort(chosen);
        chosen.add(0, 0);
        List<Beat> beats = new ArrayList<>();
        for (int i : chosen) {
            List<String> lines = new ArrayList<>(book.beats().get(i));
            List<String> followUps = new ArrayList<>(lines.subList(1, lines.size()));
            Collections.shuffle(followUps, random);
            String lead = i == 0 && framing != null ? book.framing().get(framing) : lines.get(0);
            if (i == 0 && framing != null) {
                // the topic's own question leads; the beat's first line becomes a follow-up
                followUps.add(0, lines.get(0));
            }
            lines.clear();
            lines.add(lead);
            lines.addAll(followUps);
            beats.add(new Beat(lines, Phrasebook.BEAT_CONCEPTS.get(i)));
        }
        return beats;
    }

    /** Fills a phrase's placeholders; the subject is capitalised where it starts a sentence. */
    private record Filler(String topic, String subject, int seconds) {

        String fill(String phrase) {
            String capital = subject.isEmpty() ? subject : subject.substring(0, 1).toUpperCase(Locale.ROOT) + subject.substring(1);
            String filled = phrase.replace("{Np}", capital).replace("{np}", subject).replace("{topic}", topic)
                    .replace("{seconds}", String.valueOf(seconds)).replace("??", "?").replace(".?", "?");
            // an article after a preposition contracts: "de les pieuvres" is "des pieuvres", "de el" is "del"
            return filled.replace(" de les ", " des ").replace(" de le ", " du ").replace(" à les ", " aux ").replace(" à le ", " au ")
                    .replace(" de el ", " del ").replace(" a el ", " al ");
        }
    }

    /** How the topic reads: a question, a how-to, an instruction, or just a subject. */
    static Phrasebook.Framing framing(String topic, Phrasebook book) {
        List<String> w = words(topic.toLowerCase(Locale.ROOT));
        if (w.isEmpty()) {
            return Phrasebook.Framing.SUBJECT;
        }
        if (w.size() > 1 && w.get(0).equals("how") && w.get(1).equals("to")) {
            return Phrasebook.Framing.HOW_TO;
        }
        if (topic.endsWith("?") || QUESTION_WORDS.contains(w.get(0))) {
            return Phrasebook.Framing.QUESTION;
        }
        return book.leads().contains(w.get(0)) ? Phrasebook.Framing.IMPERATIVE : Phrasebook.Framing.SUBJECT;
    }

    private static final Set<String> QUESTION_WORDS = Set.of("why", "how", "what", "when", "where", "who", "which", "do", "does",
            "did", "is", "are", "can", "could", "should", "will", "would", "por", "cómo", "qué", "cuál", "cuándo", "dónde", "quién",
            "pourquoi", "comment", "quand", "où", "qui", "est-ce", "warum", "wie", "was", "wann", "wo", "wer", "weshalb");

    /**
     * The topic's subject noun phrase, as written: question words, instructions ("how to make", "explain"), articles,
     * numbers, adverbs and other stop words are skipped; it ends at a verb, a stop word, after a plural noun or a
     * possessive, or at three words; "the history of X" is about X. An English subject keeps its "the" ("the sky").
     * When no word qualifies, the topic's first words.
     */
    static String subject(String topic, String language) {
        Phrasebook book = Phrasebook.ALL.getOrDefault(language, Phrasebook.ALL.get("en"));
        boolean english = book.language().equals("en");
        List<String> tokens = words(topic);
        List<String> lower = tokens.stream().map(t -> t.toLowerCase(Locale.ROOT).replace('’', '\'')).toList();
        int i = 0;
        // leading question words and instructions, and the verb after "to" ("how to make sourdough bread")
        while (i < tokens.size() && (book.leads().contains(lower.get(i)) || book.stop().contains(lower.get(i)))) {
            i += lower.get(i).equals("to") ? 2 : 1;
        }
        if (!english) {
            // a verb comes before the article in "Cómo funcionan los agujeros negros": the subject follows an article
            for (int k = i; k < Math.min(tokens.size() - 1, i + 3); k++) {
                if (ARTICLES.contains(lower.get(k)) && content(lower.get(k + 1), book)) {
                    i = k + 1;
                    break;
                }
            }
        }
        for (int guard = 0; guard < 3; guard++) {
            while (i < tokens.size() && !content(lower.get(i), book)) {
                i++;
            }
            if (i >= tokens.size()) {
                return shorten(topic, 3);
            }
            int start = i;
            int end = i;
            while (end < tokens.size() && end - start < SUBJECT_WORDS && content(lower.get(end), book)
                    && !(english && end > start && verb(lower.get(end)))) {
                boolean possessive = lower.get(end).endsWith("'s");
                end++;
                if (possessive || (english && plural(lower.get(end - 1)) && (end >= tokens.size() || !capitalised(tokens.get(end))))) {
                    break;
                }
            }
            List<String> phrase = new ArrayList<>(tokens.subList(start, end));
            String last = phrase.get(phrase.size() - 1).toLowerCase(Locale.ROOT);
            if (FRAME_NOUNS.contains(last) && end + 1 < tokens.size() && FRAME_LINKS.contains(lower.get(end))) {
                i = end + 1;
                continue;
            }
            phrase.set(phrase.size() - 1, phrase.get(phrase.size() - 1).replaceFirst("['’]s$", ""));
            if (start == 0 && !book.language().equals("de") && phrase.size() == 1 && !tokens.get(0).endsWith("'s")) {
                // a capital that only starts the sentence ("Octopuses are...") is dropped; German nouns keep theirs
                phrase.set(0, inSentence(phrase.get(0)));
            }
            String noun = String.join(" ", phrase);
            // the article stays where the language needs it: "the sky", "les pieuvres", "los pulpos" (German reads without)
            boolean article = start > 0 && (english ? lower.get(start - 1).equals("the")
                    : !book.language().equals("de") && ARTICLES.contains(lower.get(start - 1)));
            return article ? lower.get(start - 1) + " " + noun : noun;
        }
        return shorten(topic, 3);
    }

    /** A subject without its article ("the sky" is "sky" in a visual prompt or a hashtag). */
    static String bare(String subject) {
        int space = subject.indexOf(' ');
        return space > 0 && ARTICLES.contains(subject.substring(0, space).toLowerCase(Locale.ROOT)) ? subject.substring(space + 1)
                : subject;
    }

    /** An English verb or predicate after the subject's first word: listed, or a past tense ("the big bang happened"). */
    private static boolean verb(String lowerWord) {
        return VERBS.contains(lowerWord) || (lowerWord.endsWith("ed") && lowerWord.length() > 4 && !lowerWord.endsWith("eed"));
    }

    private static boolean content(String lowerWord, Phrasebook book) {
        return Character.isLetter(lowerWord.codePointAt(0)) && !book.stop().contains(lowerWord) && !ARTICLES.contains(lowerWord)
                && !Phrasebook.ALL.get("en").stop().contains(lowerWord) && !adverb(lowerWord, book);
    }

    /** English adverbs in -ly ("actually", "really"); nouns like "family" or "butterfly" are longer or listed. */
    private static boolean adverb(String lowerWord, Phrasebook book) {
        return book.language().equals("en") && lowerWord.endsWith("ly") && lowerWord.length() > 5
                && !Set.of("family", "butterfly", "dragonfly", "assembly", "anomaly", "monopoly", "italy").contains(lowerWord);
    }

    /** A regular English plural: "bees", "octopuses", not "glass", "virus", "physics", nor a possessive. */
    private static boolean plural(String lowerWord) {
        return lowerWord.endsWith("s") && !lowerWord.endsWith("ss") && !lowerWord.endsWith("us") && !lowerWord.endsWith("is")
                && !lowerWord.endsWith("ics") && !lowerWord.endsWith("'s") && lowerWord.length() > 3;
    }

    private static boolean capitalised(String word) {
        return Character.isUpperCase(word.codePointAt(0));
    }

    private static ScriptPlan.PlannedScene scene(int sequence, String text, String noun, String concept) {
        return new ScriptPlan.PlannedScene(sequence, text, round(words(text).size() / WORDS_PER_SECOND), noun + ", " + concept);
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

    private static List<String> keywords(String topic, Phrasebook book) {
        LinkedHashSet<String> keys = new LinkedHashSet<>();
        for (String w : words(topic)) {
            String lower = w.toLowerCase(Locale.ROOT);
            if (!book.stop().contains(lower) && !Phrasebook.ALL.get("en").stop().contains(lower) && !VERBS.contains(lower)
                    && !book.leads().contains(lower)
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
