package io.contentmachine.publish.platform;

import io.contentmachine.events.types.InstagramPostOptions;
import io.contentmachine.events.types.TikTokPostOptions;
import io.contentmachine.events.types.YouTubePostOptions;

/**
 * What the requester chose per platform beyond the metadata (each may be null): TikTok's post screen, YouTube's declarations
 * and first comment, Instagram's first comment. The publish request's own choices, else the video's create request's.
 */
public record PostOptions(TikTokPostOptions tiktok, YouTubePostOptions youtube, InstagramPostOptions instagram) {

    public static final PostOptions NONE = new PostOptions(null, null, null);
}
