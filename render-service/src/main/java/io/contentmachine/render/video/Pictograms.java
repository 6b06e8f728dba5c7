package io.contentmachine.render.video;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
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
    private record Index(Map<String, String> byName, Map<String, List<String>> byKeyword) {
    }

    /**
     * The best emoji for each word that has one, in the order of the words, without repeats. A word matches an emoji whose
     * short name is the word (best), or one of whose keywords is the word; plurals are tried in their singular form.
     */
    public List<Choice> match(List<String> words, String language) {
        Map<String, Choice> found = new LinkedHashMap<>();
        for (String lang : language.equals("en") ? List.of("en") : List.of(language, "en")) {
            Index index = index(lang);
            for (String word : words) {
                String w = fold(word);
                if (w.length() < 3 || found.values().stream().anyMatch(c -> c.matched().equals(w))) {
                    continue;
                }
                for (String form : forms(w)) {
                    String emoji = Optional.ofNullable(index.byName().get(form))
                            .orElseGet(() -> index.byKeyword().getOrDefault(form, List.of()).stream().findFirst().orElse(null));
                    if (emoji != null && !found.containsKey(emoji)) {
                        found.put(emoji, new Choice(emoji, w));
                        break;
                    }
                }
            }
        }
        return new ArrayList<>(found.values());
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
        Path file = cldrDir.resolve(language + ".xml");
        if (!Files.isRegularFile(file)) {
            return new Index(byName, byKeyword);
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
                } else {
                    for (String keyword : m.group(3).split("\\|")) {
                        byKeyword.computeIfAbsent(fold(keyword), k -> new ArrayList<>()).add(emoji);
                    }
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return new Index(byName, byKeyword);
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

    /** The word, then its likely singular forms (English, French, Spanish, German endings). */
    static List<String> forms(String word) {
        List<String> forms = new ArrayList<>(List.of(word));
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
