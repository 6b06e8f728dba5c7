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
 * Adapts one platform-neutral {title, description, tags, hashtags} to each platform's limits, each counted in the
 * platform's own unit (shared/PLATFORM-APIS.md) and cut only between grapheme clusters. A hashtag appears once: the
 * ones the text already carries are not added again.
 */
public final class MetadataAdapter {

    public static final int YOUTUBE_TITLE_CODE_POINTS = 100;
    public static final int YOUTUBE_DESCRIPTION_BYTES = 5000;
    public static final int YOUTUBE_TAGS_CHARS = 500;
    public static final int TIKTOK_TITLE_PART_UTF16 = 100;
    public static final int TIKTOK_HASHTAGS = 5;
    public static final int TIKTOK_POST_TITLE_UTF16 = 2200;
    public static final int INSTAGRAM_CAPTION_CODE_POINTS = 2200;
    public static final int INSTAGRAM_HASHTAGS = 30;

    private static final String UNTITLED = "Untitled video";
    /** A hashtag inside a text, as the platforms read one: '#' then letters, digits or underscores. */
    private static final Pattern HASHTAG = Pattern.compile("(?<![\\p{L}\\p{N}_&])#([\\p{L}\\p{N}_]+)");

    private MetadataAdapter() {
    }

    /** YouTube: title ≤ 100 code points, description ≤ 5000 UTF-8 bytes (hashtags kept at its end), tags ≤ 500 chars; no '<' or '>'. */
    public static PlatformMetadata youtube(VideoMetadata metadata) {
        String title = TextLimit.CODE_POINTS.cut(noAngles(oneLine(title(metadata))), YOUTUBE_TITLE_CODE_POINTS).strip();
        if (title.isEmpty()) {
            title = UNTITLED;
        }
        String body = noAngles(text(metadata.getDescription()));
        String hashtags = String.join(" ", hashtags(metadata, Integer.MAX_VALUE, body));
        String description = fitWithSuffix(body, noAngles(hashtags), "\n\n", TextLimit.UTF8_BYTES, YOUTUBE_DESCRIPTION_BYTES);
        return new PlatformMetadata(title, description, youtubeTags(metadata.getTags()), null);
    }

    /** TikTok: title part ≤ 100 UTF-16 units, then at most 5 hashtags; the whole post title ≤ 2200 UTF-16 units. */
    public static PlatformMetadata tiktok(VideoMetadata metadata) {
        String titlePart = TextLimit.UTF16_UNITS.cut(oneLine(title(metadata)), TIKTOK_TITLE_PART_UTF16).strip();
        String hashtags = String.join(" ", hashtags(metadata, TIKTOK_HASHTAGS, titlePart));
        String post = fitWithSuffix(titlePart, hashtags, " ", TextLimit.UTF16_UNITS, TIKTOK_POST_TITLE_UTF16);
        return new PlatformMetadata(titlePart, null, List.of(), post);
    }

    /** Instagram: caption = title, description, at most 30 hashtags; ≤ 2200 code points, the description cut first. */
    public static PlatformMetadata instagram(VideoMetadata metadata) {
        TextLimit unit = TextLimit.CODE_POINTS;
        String hashtags = cutWords(String.join(" ", hashtags(metadata, INSTAGRAM_HASHTAGS, oneLine(title(metadata)),
                text(metadata.getDescription()))), unit, INSTAGRAM_CAPTION_CODE_POINTS);
        int room = INSTAGRAM_CAPTION_CODE_POINTS - unit.length(hashtags) - 2;
        String title = unit.cut(oneLine(title(metadata)), room).strip();
        room -= unit.length(title) + 2;
        String description = unit.cut(text(metadata.getDescription()), room).strip();
        String caption = join("\n\n", join("\n\n", title, description), hashtags);
        return new PlatformMetadata(title, null, List.of(), caption);
    }

    /**
     * Hashtags normalised to "#word" (no spaces, no duplicates, case-insensitively), leaving out the ones {@code texts}
     * already carry; at most {@code max} in all, those in the texts counted.
     */
    static List<String> hashtags(VideoMetadata metadata, int max, String... texts) {
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

    /** Tags in order while the total fits 500 chars: commas between tags count, a tag with a space counts 2 more (quotes). */
    static List<String> youtubeTags(List<String> tags) {
        List<String> out = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        int used = 0;
        for (String raw : tags == null ? List.<String>of() : tags) {
            String tag = raw == null ? "" : noAngles(oneLine(raw)).replace(",", " ").strip().replaceAll("\\s+", " ");
            if (tag.isEmpty() || !seen.add(tag.toLowerCase(Locale.ROOT))) {
                continue;
            }
            int cost = youtubeTagCost(tag) + (out.isEmpty() ? 0 : 1);
            if (used + cost > YOUTUBE_TAGS_CHARS) {
                break;
            }
            used += cost;
            out.add(tag);
        }
        return out;
    }

    public static int youtubeTagCost(String tag) {
        return TextLimit.CODE_POINTS.length(tag) + (tag.contains(" ") ? 2 : 0);
    }

    /** Total of a tag list as YouTube counts it. */
    public static int youtubeTagsLength(List<String> tags) {
        return tags.stream().mapToInt(MetadataAdapter::youtubeTagCost).sum() + Math.max(0, tags.size() - 1);
    }

    /** {@code body + separator + suffix} within the limit: the body is cut first; the suffix alone is cut only if it must be. */
    private static String fitWithSuffix(String body, String suffix, String separator, TextLimit unit, int limit) {
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
    private static String cutWords(String words, TextLimit unit, int limit) {
        if (unit.length(words) <= limit) {
            return words;
        }
        String cut = unit.cut(words, limit);
        int space = cut.lastIndexOf(' ');
        return space > 0 ? cut.substring(0, space) : "";
    }

    private static String title(VideoMetadata metadata) {
        return text(metadata.getTitle());
    }

    private static String text(String value) {
        return value == null ? "" : value.strip();
    }

    private static String oneLine(String value) {
        return value.replaceAll("[\\r\\n\\t]+", " ").replaceAll(" {2,}", " ").strip();
    }

    private static String noAngles(String value) {
        return value.replace("<", "").replace(">", "");
    }

    private static String join(String separator, String a, String b) {
        if (a.isEmpty()) {
            return b;
        }
        return b.isEmpty() ? a : a + separator + b;
    }
}
