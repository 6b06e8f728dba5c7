package io.contentmachine.publish.platform;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.contentmachine.events.types.VideoMetadata;

/**
 * The text rules every platform's metadata adaptation shares ({@link PlatformApi#adapt}): one-line titles, hashtags as the
 * platforms read them (each once: the ones a text already carries are not added again), and cuts that keep a suffix,
 * each in the platform's own {@link TextLimit} unit and only between grapheme clusters.
 */
public final class MetadataText {

    /** A hashtag inside a text, as the platforms read one: '#' then letters, digits or underscores. */
    private static final Pattern HASHTAG = Pattern.compile("(?<![\\p{L}\\p{N}_&])#([\\p{L}\\p{N}_]+)");

    private MetadataText() {
    }

    /**
     * Hashtags normalised to "#word" (no spaces, no duplicates, case-insensitively), leaving out the ones {@code texts}
     * already carry; at most {@code max} in all, those in the texts counted.
     */
    public static List<String> hashtags(VideoMetadata metadata, int max, String... texts) {
        Set<String> present = new LinkedHashSet<>();
        for (String text : texts) {
            Matcher found = HASHTAG.matcher(text);
            while (found.find()) {
                present.add(found.group(1).toLowerCase(Locale.ROOT));
            }
        }
        int room = max - present.size();
        Set<String> seen = new LinkedHashSet<>();
        List<String> out = new ArrayList<>();
        for (String raw : metadata.getHashtags() == null ? List.<String>of() : metadata.getHashtags()) {
            if (raw == null) {
                continue;
            }
            String tag = raw.strip().replaceAll("^#+", "").replaceAll("[\\s#<>]+", "");
            // compared as the platforms read them: "#ocean-life" is #ocean, so it is not added beside #ocean
            Matcher word = HASHTAG.matcher("#" + tag);
            String key = (word.lookingAt() ? word.group(1) : tag).toLowerCase(Locale.ROOT);
            if (!tag.isEmpty() && !present.contains(key) && seen.add(key) && out.size() < room) {
                out.add("#" + tag);
            }
        }
        return out;
    }

    /** {@code body + separator + suffix} within the limit: the body is cut first; the suffix alone is cut only if it must be. */
    public static String fitWithSuffix(String body, String suffix, String separator, TextLimit unit, int limit) {
        if (suffix.isEmpty()) {
            return unit.cut(body, limit).strip();
        }
        if (body.isEmpty()) {
            return cutWords(suffix, unit, limit);
        }
        int room = limit - unit.length(suffix) - unit.length(separator);
        if (room <= 0) {
            return unit.cut(body, limit).strip();
        }
        String cut = unit.cut(body, room).strip();
        return cut.isEmpty() ? cutWords(suffix, unit, limit) : cut + separator + suffix;
    }

    /** Cuts a space-separated list (hashtags) at a whole item. */
    public static String cutWords(String words, TextLimit unit, int limit) {
        if (unit.length(words) <= limit) {
            return words;
        }
        String cut = unit.cut(words, limit);
        int space = cut.lastIndexOf(' ');
        return space > 0 ? cut.substring(0, space) : "";
    }

    public static String title(VideoMetadata metadata) {
        return text(metadata.getTitle());
    }

    public static String text(String value) {
        return value == null ? "" : value.strip();
    }

    public static String oneLine(String value) {
        return value.replaceAll("[\\r\\n\\t]+", " ").replaceAll(" {2,}", " ").strip();
    }

    public static String noAngles(String value) {
        return value.replace("<", "").replace(">", "");
    }

    public static String join(String separator, String a, String b) {
        if (a.isEmpty()) {
            return b;
        }
        return b.isEmpty() ? a : a + separator + b;
    }
}
