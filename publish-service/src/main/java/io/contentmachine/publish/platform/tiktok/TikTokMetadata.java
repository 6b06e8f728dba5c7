package io.contentmachine.publish.platform.tiktok;

import static io.contentmachine.publish.platform.MetadataText.fitWithSuffix;
import static io.contentmachine.publish.platform.MetadataText.hashtags;
import static io.contentmachine.publish.platform.MetadataText.oneLine;
import static io.contentmachine.publish.platform.MetadataText.title;

import java.util.List;

import io.contentmachine.events.types.VideoMetadata;
import io.contentmachine.publish.platform.PlatformMetadata;
import io.contentmachine.publish.platform.TextLimit;

/** TikTok's post title (shared/PLATFORM-APIS.md), counted in UTF-16 units. */
public final class TikTokMetadata {

    public static final int TITLE_PART_UTF16 = 100;
    public static final int HASHTAGS = 5;
    public static final int POST_TITLE_UTF16 = 2200;

    private TikTokMetadata() {
    }

    /** Title part ≤ 100 UTF-16 units, then at most 5 hashtags; the whole post title ≤ 2200 UTF-16 units. */
    public static PlatformMetadata adapt(VideoMetadata metadata) {
        String titlePart = TextLimit.UTF16_UNITS.cut(oneLine(title(metadata)), TITLE_PART_UTF16).strip();
        String hashtags = String.join(" ", hashtags(metadata, HASHTAGS, titlePart));
        String post = fitWithSuffix(titlePart, hashtags, " ", TextLimit.UTF16_UNITS, POST_TITLE_UTF16);
        return new PlatformMetadata(titlePart, null, List.of(), post);
    }
}
