package io.contentmachine.publish.platform.youtube;

import static io.contentmachine.publish.platform.MetadataText.fitWithSuffix;
import static io.contentmachine.publish.platform.MetadataText.hashtags;
import static io.contentmachine.publish.platform.MetadataText.noAngles;
import static io.contentmachine.publish.platform.MetadataText.oneLine;
import static io.contentmachine.publish.platform.MetadataText.text;
import static io.contentmachine.publish.platform.MetadataText.title;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import io.contentmachine.events.types.VideoMetadata;
import io.contentmachine.publish.platform.PlatformMetadata;
import io.contentmachine.publish.platform.TextLimit;

/** YouTube's snippet limits (shared/PLATFORM-APIS.md): title, description and tags, none with '<' or '>'. */
public final class YouTubeMetadata {

    public static final int TITLE_CODE_POINTS = 100;
    public static final int DESCRIPTION_BYTES = 5000;
    public static final int TAGS_CHARS = 500;

    private static final String UNTITLED = "Untitled video";

    private YouTubeMetadata() {
    }

    /** Title ≤ 100 code points, description ≤ 5000 UTF-8 bytes (hashtags kept at its end), tags ≤ 500 chars; no '<' or '>'. */
    public static PlatformMetadata adapt(VideoMetadata metadata) {
        String title = TextLimit.CODE_POINTS.cut(noAngles(oneLine(title(metadata))), TITLE_CODE_POINTS).strip();
        if (title.isEmpty()) {
            title = UNTITLED;
        }
        String body = noAngles(text(metadata.getDescription()));
        String hashtags = String.join(" ", hashtags(metadata, Integer.MAX_VALUE, body));
        String description = fitWithSuffix(body, noAngles(hashtags), "\n\n", TextLimit.UTF8_BYTES, DESCRIPTION_BYTES);
        return new PlatformMetadata(title, description, tags(metadata.getTags()), null);
    }

    /** Tags in order while the total fits 500 chars: commas between tags count, a tag with a space counts 2 more (quotes). */
    static List<String> tags(List<String> tags) {
        List<String> out = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        int used = 0;
        for (String raw : tags == null ? List.<String>of() : tags) {
            String tag = raw == null ? "" : noAngles(oneLine(raw)).replace(",", " ").strip().replaceAll("\\s+", " ");
            if (tag.isEmpty() || !seen.add(tag.toLowerCase(Locale.ROOT))) {
                continue;
            }
            int cost = tagCost(tag) + (out.isEmpty() ? 0 : 1);
            if (used + cost > TAGS_CHARS) {
                break;
            }
            used += cost;
            out.add(tag);
        }
        return out;
    }

    public static int tagCost(String tag) {
        return TextLimit.CODE_POINTS.length(tag) + (tag.contains(" ") ? 2 : 0);
    }

    /** Total of a tag list as YouTube counts it. */
    public static int tagsLength(List<String> tags) {
        return tags.stream().mapToInt(YouTubeMetadata::tagCost).sum() + Math.max(0, tags.size() - 1);
    }
}
