package io.contentmachine.publish.platform;

import java.util.List;

/**
 * Metadata adapted to one platform: YouTube uses title, description and tags; TikTok's post title and Instagram's
 * caption are {@link #text}.
 */
public record PlatformMetadata(String title, String description, List<String> tags, String text) {
}
