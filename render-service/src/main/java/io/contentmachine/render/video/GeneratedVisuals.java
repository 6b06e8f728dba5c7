package io.contentmachine.render.video;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

import io.contentmachine.render.voice.TimedWord;

/**
 * The illustrated style drawn without any footage: per shot a composition (spotlight, diagonal split, sunburst or card)
 * in a palette of the template, the shot changing colours and composition at every cut; a large colour pictogram chosen
 * for the scene's subject (the visual prompt before its first comma) on every other shot, between them one for the
 * beat's concept or a word spoken in the shot; the subject as a headline fitted to its band ({@link HeadlineLayout}).
 * Compositions are SVG, drawn by rsvg-convert.
 */
public class GeneratedVisuals implements VisualSource {

    public static final String NAME = "generated";

    /**
     * Background, second background, accent, ink (headline colour). Palettes alternate dark and light: a cut between
     * two shots of similar lightness scores under 0.2 in ffmpeg's scene detection (blue to mint measured 0.16).
     */
    record Palette(String bg1, String bg2, String accent, String ink) {
    }

    private static final Map<String, List<Palette>> PALETTES = Map.of(
            "tiktok-bold", List.of(
                    new Palette("#4a0fb8", "#a3006d", "#ffe600", "#ffffff"),
                    new Palette("#ffe94d", "#ffc21a", "#5b1fd1", "#1a1a1a"),
                    new Palette("#002a8f", "#0057d9", "#ff4f9a", "#ffffff"),
                    new Palette("#8affd8", "#46f0b8", "#a3006d", "#1a1a1a"),
                    new Palette("#6e0030", "#c01f2f", "#00e5ff", "#ffffff"),
                    new Palette("#ffe0f4", "#ffb3e6", "#3a0ca3", "#1a1a1a")),
            "minimal", List.of(
                    new Palette("#f4f1ea", "#e6dfd0", "#ff6b4a", "#1f2328"),
                    new Palette("#2b2d42", "#3d405b", "#81b29a", "#f4f1ea"),
                    new Palette("#dfe7ef", "#c5d5e6", "#2f6fde", "#1f2328"),
                    new Palette("#1f2328", "#353b45", "#f4c542", "#f4f1ea"),
                    new Palette("#e9f5ec", "#cde8d5", "#1f8a4c", "#1f2328"),
                    new Palette("#3d2c2e", "#5a3e41", "#f2a65a", "#f4f1ea")),
            "news", List.of(
                    new Palette("#0b1d3a", "#123a6b", "#e10600", "#ffffff"),
                    new Palette("#f2f2f2", "#d5dbe3", "#e10600", "#0b1d3a"),
                    new Palette("#8a0000", "#e10600", "#ffd400", "#ffffff"),
                    new Palette("#e8edf3", "#c4cfdc", "#123a6b", "#0b1d3a"),
                    new Palette("#123a6b", "#1d5aa3", "#ffd400", "#ffffff"),
                    new Palette("#fff4cc", "#ffd400", "#0b1d3a", "#0b1d3a")));

    /** Pictograms when no word of the shot has one: by what the sentence does. */
    private static final List<String> GENERIC = List.of("💡", "🔍", "🧠", "✨", "🌍", "🎯", "📌", "⏳", "🧩", "🚀");
    private static final String QUESTION = "🤔";
    private static final String NUMBERS = "📊";

    private static final Set<String> STOP = Set.of("a", "an", "the", "and", "or", "of", "to", "in", "on", "at", "for", "with",
            "by", "from", "is", "are", "it", "its", "this", "that", "these", "those", "shot", "close", "up", "close-up", "wide",
            "light", "view", "vertical", "framing", "style", "visual", "about", "related", "detail", "soft", "warm", "colours",
            "colors", "cinematic", "illustration", "showing", "photo", "image", "video", "footage", "background");

    /** Spoken words too common to stand for a picture ("you" would always be a pointing finger). */
    private static final Set<String> COMMON = Set.of("you", "your", "first", "next", "time", "like", "new", "look", "know", "thing",
            "things", "here", "really", "going", "way", "day", "one", "two", "this", "that", "what", "who", "why", "how", "with",
            "about", "more", "most", "then", "now", "today", "something", "someone", "again", "later", "all", "out", "see", "make",
            "follow", "share", "comment", "save", "watch", "learned", "question", "questions", "part");

    private final String rsvgConvert;
    private final Pictograms pictograms;

    public GeneratedVisuals(String rsvgConvert, Pictograms pictograms) {
        this.rsvgConvert = rsvgConvert;
        this.pictograms = pictograms;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Optional<SceneVisual> find(SceneBrief scene, Path dir, RenderControl control) {
        List<Palette> palettes = PALETTES.getOrDefault(scene.template().id(), PALETTES.get("tiktok-bold"));
        List<String> nouns = nouns(scene.visualPrompt());
        String subject = subject(scene.visualPrompt());
        // the subject's own emoji ("honey bees": 🐝, then 🍯) on every other shot; between them the emoji of the beat's
        // concept (the prompt after its subject: "chart", "question mark") or of a word spoken in the shot
        List<Pictograms.Choice> subjectEmoji = pictograms.match(nouns(subject), scene.language());
        // the concept's first word only: "question mark" is ❓, while "mark" alone matched bookmark tabs
        List<Pictograms.Choice> conceptEmoji = pictograms.match(nouns(concept(scene.visualPrompt())).stream().limit(1).toList(), "en");
        List<Pictograms.Choice> sceneEmoji = pictograms.match(allWords(scene), scene.language());
        List<Shot> shots = new ArrayList<>();
        List<String> used = new ArrayList<>();
        List<Path> svgs = new ArrayList<>();
        try {
            for (int i = 0; i < scene.slots().size(); i++) {
                double[] slot = scene.slots().get(i);
                int n = scene.firstShot() + i;
                Palette palette = palettes.get(n % palettes.size());
                // spoken words choose pictures in English only: other languages have no list of words too common to
                // picture here ("personne" matched a person feeding a baby), so their pictures come from the prompt
                List<String> spoken = scene.language().equals("en") ? wordsIn(scene.words(), slot[0], slot[0] + slot[1]) : List.of();
                List<Pictograms.Choice> shotEmoji = pictograms.match(spoken, scene.language());
                String emoji = i % 2 == 0 && !subjectEmoji.isEmpty()
                        ? subjectEmoji.get((n / 2) % subjectEmoji.size()).emoji()
                        : pick(List.of(conceptEmoji, shotEmoji, subjectEmoji, sceneEmoji), used, spoken, n);
                used.add(emoji);
                String headline = subject.split(" ").length <= 3 && !subject.isBlank() ? subject.toUpperCase(Locale.ROOT)
                        : headline(nouns, spoken, i);
                Path card = dir.resolve(String.format(Locale.ROOT, "card-%03d.png", n));
                svgs.add(svg(card, n % 4, palette, headline, new Random(n * 7919L + scene.sequence()), dir));
                shots.add(new Shot(card, Motion.CARD, 0, pictograms.image(emoji, dir, control), 540, 900, headline, palette.ink(),
                        palette.accent()));
            }
        } catch (IOException e) {
            throw new RenderException("render", "cannot draw the scene's pictures: " + e.getMessage(), true);
        }
        // rsvg-convert is single-threaded: the scene's compositions are drawn side by side
        svgs.parallelStream().forEach(svg -> ProcessRunner.run(List.of(rsvgConvert, "-o",
                svg.getFileName().toString().replace(".svg", ".png"), svg.getFileName().toString()), dir, control, "render"));
        String detail = "pictograms " + String.join(" ", new LinkedHashSet<>(used)) + " (" + Pictograms.CREDIT + ")";
        return Optional.of(new SceneVisual(NAME, detail, shots));
    }

    /** The first emoji of the lists in turn that is not used yet, else one that says what the sentence does. */
    private static String pick(List<List<Pictograms.Choice>> lists, List<String> used, List<String> spoken, int n) {
        for (List<Pictograms.Choice> choices : lists) {
            for (Pictograms.Choice c : choices) {
                if (!used.contains(c.emoji())) {
                    return c.emoji();
                }
            }
        }
        String last = spoken.isEmpty() ? "" : spoken.get(spoken.size() - 1);
        if (last.endsWith("?") && !used.contains(QUESTION)) {
            return QUESTION;
        }
        if (spoken.stream().anyMatch(w -> w.matches(".*\\d.*")) && !used.contains(NUMBERS)) {
            return NUMBERS;
        }
        for (int k = 0; k < GENERIC.size(); k++) {
            String g = GENERIC.get((n + k) % GENERIC.size());
            if (!used.contains(g)) {
                return g;
            }
        }
        return GENERIC.get(n % GENERIC.size());
    }

    /** The prompt's noun spoken in the shot, else the prompt's nouns in turn. */
    private static String headline(List<String> nouns, List<String> spoken, int index) {
        if (nouns.isEmpty()) {
            return null;
        }
        for (String word : spoken) {
            String w = word.replaceAll("[^\\p{L}\\p{N}'-]", "").toLowerCase(Locale.ROOT);
            for (String noun : nouns) {
                if (w.equals(noun) || Pictograms.forms(w).contains(noun) || Pictograms.forms(noun).contains(w)) {
                    return noun.toUpperCase(Locale.ROOT);
                }
            }
        }
        return nouns.get(index % nouns.size()).toUpperCase(Locale.ROOT);
    }

    /** A visual prompt's subject: what comes before its first comma ("honey bees, close-up detail"), trimmed. */
    static String subject(String prompt) {
        return prompt == null ? "" : prompt.split(",", 2)[0].strip();
    }

    /** What a visual prompt says after its subject ("close-up detail"); empty without a comma. */
    static String concept(String prompt) {
        return prompt == null || !prompt.contains(",") ? "" : prompt.split(",", 2)[1];
    }

    /** The content words of a visual prompt, in order. */
    static List<String> nouns(String prompt) {
        LinkedHashSet<String> nouns = new LinkedHashSet<>();
        if (prompt != null) {
            for (String w : prompt.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}'-]+")) {
                if (w.length() >= 3 && !STOP.contains(w)) {
                    nouns.add(w);
                }
            }
        }
        return new ArrayList<>(nouns);
    }

    private static List<String> allWords(SceneBrief scene) {
        List<String> words = new ArrayList<>(nouns(scene.visualPrompt()));
        for (String w : scene.text().split("\\s+")) {
            words.add(w.replaceAll("[^\\p{L}\\p{N}'-]", ""));
        }
        return words;
    }

    private static List<String> wordsIn(List<TimedWord> words, double from, double to) {
        List<String> in = new ArrayList<>();
        for (TimedWord w : words) {
            String word = w.text().replaceAll("[^\\p{L}\\p{N}'-]", "");
            if (w.start() >= from - 0.05 && w.start() < to && !COMMON.contains(word.toLowerCase(Locale.ROOT))) {
                in.add(w.text());
            }
        }
        return in;
    }

    /** Writes the composition of {@code png} as SVG next to it; returns the SVG file. */
    private static Path svg(Path png, int layout, Palette p, String ghost, Random random, Path dir) throws IOException {
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\">%n",
                VideoRenderer.CARD_WIDTH, VideoRenderer.CARD_HEIGHT));
        svg.append(String.format(Locale.ROOT, "<defs><linearGradient id=\"g\" x1=\"0\" y1=\"0\" x2=\"0.6\" y2=\"1\">"
                + "<stop offset=\"0\" stop-color=\"%s\"/><stop offset=\"1\" stop-color=\"%s\"/></linearGradient>"
                + "<pattern id=\"dots\" width=\"54\" height=\"54\" patternUnits=\"userSpaceOnUse\">"
                + "<circle cx=\"27\" cy=\"27\" r=\"6\" fill=\"%s\" fill-opacity=\"0.14\"/></pattern></defs>%n",
                p.bg1(), p.bg2(), p.ink()));
        svg.append("<rect width=\"100%\" height=\"100%\" fill=\"url(#g)\"/>\n");
        // the frame sits at (MARGIN, MARGIN) of the card; shapes are placed in frame coordinates
        svg.append(String.format(Locale.ROOT, "<g transform=\"translate(%d,%d)\">%n", VideoRenderer.MARGIN, VideoRenderer.MARGIN));
        switch (layout) {
            case 0 -> {
                svg.append(String.format(Locale.ROOT, "<circle cx=\"540\" cy=\"900\" r=\"440\" fill=\"none\" stroke=\"%s\" "
                        + "stroke-opacity=\"0.45\" stroke-width=\"8\" stroke-dasharray=\"26 18\"/>%n", p.accent()));
                svg.append(String.format(Locale.ROOT, "<circle cx=\"540\" cy=\"900\" r=\"340\" fill=\"%s\"/>%n", p.accent()));
                for (int i = 0; i < 14; i++) {
                    svg.append(String.format(Locale.ROOT, "<circle cx=\"%d\" cy=\"%d\" r=\"%d\" fill=\"%s\" fill-opacity=\"0.35\"/>%n",
                            60 + random.nextInt(960), 520 + random.nextInt(1200), 8 + random.nextInt(22),
                            i % 2 == 0 ? p.accent() : p.ink()));
                }
            }
            case 1 -> {
                svg.append(String.format(Locale.ROOT, "<polygon points=\"-60,1360 1140,560 1140,2300 -60,2300\" fill=\"%s\"/>%n",
                        p.bg2()));
                svg.append(String.format(Locale.ROOT, "<polygon points=\"-60,1300 1140,500 1140,560 -60,1360\" fill=\"%s\"/>%n",
                        p.accent()));
                svg.append(String.format(Locale.ROOT, "<rect x=\"230\" y=\"590\" width=\"620\" height=\"620\" rx=\"90\" fill=\"%s\" "
                        + "fill-opacity=\"0.16\" transform=\"rotate(-8 540 900)\"/>%n", p.ink()));
                svg.append(String.format(Locale.ROOT, "<rect x=\"260\" y=\"620\" width=\"560\" height=\"560\" rx=\"80\" fill=\"none\" "
                        + "stroke=\"%s\" stroke-width=\"10\" transform=\"rotate(6 540 900)\"/>%n", p.accent()));
            }
            case 2 -> {
                StringBuilder rays = new StringBuilder();
                int count = 18;
                for (int i = 0; i < count; i += 2) {
                    double a = 2 * Math.PI * i / count;
                    double b = 2 * Math.PI * (i + 1) / count;
                    rays.append(String.format(Locale.ROOT, "M540,900 L%.0f,%.0f L%.0f,%.0f Z ", 540 + 2200 * Math.cos(a),
                            900 + 2200 * Math.sin(a), 540 + 2200 * Math.cos(b), 900 + 2200 * Math.sin(b)));
                }
                svg.append(String.format(Locale.ROOT, "<path d=\"%s\" fill=\"%s\" fill-opacity=\"0.55\"/>%n", rays, p.bg2()));
                svg.append(String.format(Locale.ROOT, "<circle cx=\"540\" cy=\"900\" r=\"330\" fill=\"%s\" fill-opacity=\"0.9\"/>%n",
                        p.accent()));
                svg.append(String.format(Locale.ROOT, "<circle cx=\"540\" cy=\"900\" r=\"372\" fill=\"none\" stroke=\"%s\" "
                        + "stroke-width=\"12\"/>%n", p.ink()));
            }
            default -> {
                svg.append("<rect x=\"-60\" y=\"-60\" width=\"1200\" height=\"2300\" fill=\"url(#dots)\"/>\n");
                svg.append("<rect x=\"184\" y=\"564\" width=\"740\" height=\"740\" rx=\"70\" fill=\"#000000\" fill-opacity=\"0.22\"/>\n");
                svg.append(String.format(Locale.ROOT, "<rect x=\"160\" y=\"530\" width=\"760\" height=\"740\" rx=\"70\" fill=\"%s\" "
                        + "stroke=\"%s\" stroke-width=\"12\"/>%n", p.bg2(), p.accent()));
                svg.append(String.format(Locale.ROOT, "<circle cx=\"900\" cy=\"560\" r=\"70\" fill=\"%s\"/>%n", p.accent()));
            }
        }
        if (ghost != null) {
            // the key word again, huge and faint, as texture behind the captions
            svg.append(String.format(Locale.ROOT, "<text x=\"540\" y=\"1640\" font-family=\"DejaVu Sans\" font-weight=\"bold\" "
                    + "font-size=\"%d\" fill=\"%s\" fill-opacity=\"0.13\" text-anchor=\"middle\" "
                    + "transform=\"rotate(-7 540 1560)\">%s</text>%n",
                    ghostSize(ghost), p.ink(), xml(ghost)));
        }
        svg.append("</g>\n</svg>\n");
        Path source = dir.resolve(png.getFileName().toString().replace(".png", ".svg"));
        Files.writeString(source, svg, StandardCharsets.UTF_8);
        return source;
    }

    /**
     * The faint key word's font size, so that it spans about the frame's width less a margin: DejaVu Sans Bold capitals
     * advance 0.78 em on average; 0.84 leaves room for wide letters (a word of W's would still run wider; it is texture).
     */
    static int ghostSize(String ghost) {
        int letters = Math.max(1, ghost.codePointCount(0, ghost.length()));
        return Math.max(40, Math.min(260, (int) ((VideoRenderer.WIDTH - 120) / (0.84 * letters))));
    }

    static String xml(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
