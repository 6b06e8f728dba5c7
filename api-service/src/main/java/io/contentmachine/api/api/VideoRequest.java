package io.contentmachine.api.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Body of POST /api/videos. */
@Schema(name = "VideoRequest", description = "A video to make about a topic.")
public class VideoRequest extends StrictJson {

    @Schema(required = true, maxLength = 500, examples = "Why octopuses have three hearts",
            description = "What the video is about (non-blank, at most 500 characters).")
    public String topic;

    @Schema(description = "Render settings; every field has a default.")
    public VideoConfig config;

    @Schema(description = "Create even when the owner already has a project on a near-identical topic.", defaultValue = "false")
    public Boolean allowDuplicate;

    @Override
    protected Map<String, StrictJson> nested() {
        Map<String, StrictJson> nested = new LinkedHashMap<>();
        nested.put("config", config);
        return nested;
    }

    /** Render settings. */
    @Schema(name = "VideoConfig")
    public static class VideoConfig extends StrictJson {

        @Schema(description = "A template id from the render catalog.", defaultValue = "tiktok-bold", examples = "tiktok-bold")
        public String template;

        @Schema(description = "A voice id from the render catalog.", defaultValue = "af_heart", examples = "af_heart")
        public String voice;

        @Schema(description = "Target length in seconds (15-180).", defaultValue = "60", minimum = "15", maximum = "180", examples = "30")
        public Integer length;

        @Schema(description = "Publish automatically once the video is stored.")
        public PublishOptions publish;

        @Override
        protected Map<String, StrictJson> nested() {
            Map<String, StrictJson> nested = new LinkedHashMap<>();
            nested.put("publish", publish);
            return nested;
        }
    }

    /** Where and how to publish (also the body of POST /api/videos/{id}/publish). */
    @Schema(name = "PublishOptions")
    public static class PublishOptions extends StrictJson {

        @Schema(required = true, description = "youtube, tiktok and/or instagram.", examples = "[\"youtube\"]")
        public List<String> platforms;

        @Schema(description = "ISO-8601 instant to publish at (scheduled); now when absent.", examples = "2026-12-01T18:00:00Z")
        public String publishAt;

        @Schema(description = "Platform-neutral metadata; defaults come from the script.")
        public Metadata metadata;

        @Schema(description = "What the person chose on the TikTok post screen; required when platforms has tiktok.")
        public TikTok tiktok;

        @Override
        protected Map<String, StrictJson> nested() {
            Map<String, StrictJson> nested = new LinkedHashMap<>();
            nested.put("metadata", metadata);
            nested.put("tiktok", tiktok);
            return nested;
        }
    }

    /**
     * TikTok's post screen (build it from GET /api/accounts/tiktok/creator-info): a privacy level chosen by the person, with
     * no default; interactions off unless allowed (and off where the creator disabled them); commercial-content disclosure.
     */
    @Schema(name = "TikTokPostOptions")
    public static class TikTok extends StrictJson {

        @Schema(required = true, description = "One of the creator's privacyLevelOptions (an unaudited app posts SELF_ONLY whatever "
                + "is chosen).", enumeration = {"PUBLIC_TO_EVERYONE", "MUTUAL_FOLLOW_FRIENDS", "FOLLOWER_OF_CREATOR", "SELF_ONLY"})
        public String privacyLevel;

        @Schema(defaultValue = "false")
        public Boolean allowComment;

        @Schema(defaultValue = "false")
        public Boolean allowDuet;

        @Schema(defaultValue = "false")
        public Boolean allowStitch;

        @Schema(description = "Paid partnership promoting a third party's brand.", defaultValue = "false")
        public Boolean brandContentToggle;

        @Schema(description = "Promotes the creator's own business.", defaultValue = "false")
        public Boolean brandOrganicToggle;
    }

    /** Title, description, tags and hashtags for the platforms. */
    @Schema(name = "PublishMetadata")
    public static class Metadata extends StrictJson {

        @Schema(examples = "Why octopuses have three hearts")
        public String title;

        public String description;

        public List<String> tags;

        public List<String> hashtags;
    }
}
