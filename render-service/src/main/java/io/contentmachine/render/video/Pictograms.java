package io.contentmachine.render.video;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Chooses emoji by meaning and draws them as colour images. The meaning comes from the Unicode CLDR annotations (Debian
 * unicode-cldr-core: a short name and keywords per emoji, in each language), matched against a scene's nouns; the image
 * from the Noto Color Emoji font (SIL OFL 1.1) through pango-view, because ffmpeg's drawtext cannot draw colour glyphs.
 * Images are kept in a cache folder, so each emoji is drawn once per machine.
 */
public class Pictograms {

    /** Credit for the provenance: what the pictograms are made of. */
    public static final String CREDIT = "Noto Color Emoji (SIL OFL 1.1), chosen by Unicode CLDR annotations";

    private static final Pattern ANNOTATION = Pattern.compile("<annotation cp=\"([^\"]+)\"( type=\"tts\")?>([^<]*)</annotation>");

    private final Path cldrDir;
    private final String pangoView;
    private final Path cache;
    private final Map<String, Index> indexes = new ConcurrentHashMap<>();

    public Pictograms(Path cldrDir, String pangoView, Path cache) {
        this.cldrDir = cldrDir;
        this.pangoView = pangoView;
        this.cache = cache;
    }

    /** An emoji and why it was chosen (the word it matched, or "generic"). */
    public record Choice(String emoji, String matched) {
    }

    /** Emoji names and keywords of one language; empty when its annotation file is missing. */
    private record Index(Map<String, String> byName, Map<String, List<String>> byKeyword, Map<String, String> names) {
    }

    /**
     * The best emoji for each word that has one, without repeats, strongest match first: an emoji whose short name is the
     * word ("cat"), then one whose name contains the word ("honeybee" for "bee"), then one that has the word among its
     * keywords; plurals are tried in their singular forms ("octopuses", "feet"). Among equally strong matches the later
     * word comes first: in an English noun phrase ("honey bees") the last noun is the thing itself.
     */
    public List<Choice> match(List<String> words, String language) {
        Map<String, Choice> found = new LinkedHashMap<>();
        Map<String, Integer> strength = new HashMap<>();
        Map<String, Integer> position = new HashMap<>();
        for (String lang : language.equals("en") ? List.of("en") : List.of(language, "en")) {
            Index index = index(lang);
            for (int p = 0; p < words.size(); p++) {
                String w = fold(words.get(p));
                if (w.length() < 3 || found.values().stream().anyMatch(c -> c.matched().equals(w))) {
                    continue;
                }
                Choice best = null;
                int bestStrength = Integer.MAX_VALUE;
                for (String form : forms(w)) {
                    String named = index.byName().get(form);
                    if (named != null && !found.containsKey(named)) {
                        best = new Choice(named, w);
                        bestStrength = 0;
                        break;
                    }
                    for (String emoji : index.byKeyword().getOrDefault(form, List.of())) {
                        int s = index.names().getOrDefault(emoji, "").contains(form) ? 1 : 2;
                        if (s < bestStrength && !found.containsKey(emoji)) {
                            best = new Choice(emoji, w);
                            bestStrength = s;
                        }
                    }
                }
                if (best != null) {
                    found.put(best.emoji(), best);
                    strength.put(best.emoji(), bestStrength);
                    position.put(best.emoji(), p);
                }
            }
        }
        List<Choice> choices = new ArrayList<>(found.values());
        choices.sort(Comparator.comparingInt((Choice c) -> strength.get(c.emoji())).thenComparing(c -> -position.get(c.emoji())));
        return choices;
    }

    /** The PNG of {@code emoji} (about 460 px high, transparent background), drawn on first use. */
    public Path image(String emoji, Path dir, RenderControl control) throws IOException {
        Files.createDirectories(cache);
        String name = emoji.codePoints().mapToObj(cp -> Integer.toHexString(cp)).reduce((a, b) -> a + "-" + b).orElse("x") + ".png";
        Path file = cache.resolve(name);
        if (Files.isRegularFile(file)) {
            return file;
        }
        Path text = dir.resolve("emoji.txt");
        Path tmp = dir.resolve("emoji-new.png");
        Files.writeString(text, emoji, StandardCharsets.UTF_8);
        ProcessRunner.run(List.of(pangoView, "-q", "--font=Noto Color Emoji 280", "--margin=0", "--background=transparent",
                "--output=" + tmp.getFileName(), text.getFileName().toString()), dir, control, "render");
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return file;
    }

    private Index index(String language) {
        return indexes.computeIfAbsent(language, this::load);
    }

    private Index load(String language) {
        Map<String, String> byName = new HashMap<>();
        Map<String, List<String>> byKeyword = new HashMap<>();
        Map<String, String> names = new HashMap<>();
        Path file = cldrDir.resolve(language + ".xml");
        if (!Files.isRegularFile(file)) {
            return new Index(byName, byKeyword, names);
        }
        try {
            Matcher m = ANNOTATION.matcher(Files.readString(file, StandardCharsets.UTF_8));
            while (m.find()) {
                String emoji = m.group(1);
                if (!pictographic(emoji)) {
                    continue;
                }
                if (m.group(2) != null) {
                    byName.putIfAbsent(fold(m.group(3)), emoji);
                    names.putIfAbsent(emoji, fold(m.group(3)));
                } else {
                    for (String keyword : m.group(3).split("\\|")) {
                        byKeyword.computeIfAbsent(fold(keyword), k -> new ArrayList<>()).add(emoji);
                    }
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return new Index(byName, byKeyword, names);
    }

    /** Emoji that Noto Color Emoji draws as a picture (not arrows, letters, maths or flags). */
    static boolean pictographic(String emoji) {
        int cp = emoji.codePointAt(0);
        return (cp >= 0x1F300 && cp <= 0x1FAFF) || (cp >= 0x2600 && cp <= 0x27BF) || cp == 0x231B || cp == 0x23F0;
    }

    /** Lower case, trimmed, composed (NFC) as the CLDR files write accents. */
    static String fold(String word) {
        return Normalizer.normalize(word.strip().toLowerCase(Locale.ROOT), Normalizer.Form.NFC);
    }

    /** English plurals that no ending rule undoes. */
    private static final Map<String, String> IRREGULAR = Map.of("feet", "foot", "mice", "mouse", "geese", "goose", "teeth", "tooth",
            "people", "person", "children", "child", "leaves", "leaf", "wolves", "wolf", "knives", "knife", "women", "woman");

    /** The word, then its likely singular forms (English, French, Spanish, German endings). */
    static List<String> forms(String word) {
        List<String> forms = new ArrayList<>(List.of(word));
        if (IRREGULAR.containsKey(word)) {
            forms.add(IRREGULAR.get(word));
        }
        for (String ending : List.of("es", "s", "x", "en", "n", "e")) {
            if (word.length() > ending.length() + 2 && word.endsWith(ending)) {
                forms.add(word.substring(0, word.length() - ending.length()));
            }
        }
        if (word.endsWith("ies") && word.length() > 4) {
            forms.add(word.substring(0, word.length() - 3) + "y");
        }
        return forms;
    }
}
