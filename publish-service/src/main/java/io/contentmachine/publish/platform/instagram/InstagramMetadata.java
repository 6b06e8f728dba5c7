package io.contentmachine.publish.platform.instagram;

import static io.contentmachine.publish.platform.MetadataText.cutWords;
import static io.contentmachine.publish.platform.MetadataText.hashtags;
import static io.contentmachine.publish.platform.MetadataText.join;
import static io.contentmachine.publish.platform.MetadataText.oneLine;
import static io.contentmachine.publish.platform.MetadataText.text;
import static io.contentmachine.publish.platform.MetadataText.title;

import java.util.List;

import io.contentmachine.events.types.VideoMetadata;
import io.contentmachine.publish.platform.PlatformMetadata;
import io.contentmachine.publish.platform.TextLimit;

/** Instagram's Reel caption (shared/PLATFORM-APIS.md), counted in code points. */
public final class InstagramMetadata {

    public static final int CAPTION_CODE_POINTS = 2200;
    public static final int HASHTAGS = 30;

    private InstagramMetadata() {
    }

    /** Caption = title, description, at most 30 hashtags; ≤ 2200 code points, the description cut first. */
    public static PlatformMetadata adapt(VideoMetadata metadata) {
        TextLimit unit = TextLimit.CODE_POINTS;
        String hashtags = cutWords(String.join(" ", hashtags(metadata, HASHTAGS, oneLine(title(metadata)),
                text(metadata.getDescription()))), unit, CAPTION_CODE_POINTS);
        int room = CAPTION_CODE_POINTS - unit.length(hashtags) - 2;
        String title = unit.cut(oneLine(title(metadata)), room).strip();
        room -= unit.length(title) + 2;
        String description = unit.cut(text(metadata.getDescription()), room).strip();
        String caption = join("\n\n", join("\n\n", title, description), hashtags);
        return new PlatformMetadata(title, null, List.of(), caption);
    }
}
