package io.contentmachine.api.api;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

import io.contentmachine.api.domain.NewAsset;
import io.contentmachine.api.domain.NewProject;
import io.contentmachine.events.MusicChoice;
import io.contentmachine.events.types.InstagramPostOptions;
import io.contentmachine.events.types.Platform;
import io.contentmachine.events.types.PublishRequest;
import io.contentmachine.events.types.TikTokPostOptions;
import io.contentmachine.events.types.VideoMetadata;
import io.contentmachine.events.types.YouTubePostOptions;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Body of POST /api/videos, with the rules a body can be checked against on its own (each broken one named in a 400); the
 * catalog's rules are {@link NewProject#language}'s.
 */
@Schema(name = "VideoRequest", description = "A video to make about a topic.")
public class VideoRequest extends StrictJson {

    /** YouTube's and Instagram's limits on a comment (characters, hashtags): PLATFORM-APIS.md. */
    static final int YOUTUBE_COMMENT_MAX = 10_000;
    static final int INSTAGRAM_COMMENT_MAX = 2_200;
    static final int INSTAGRAM_COMMENT_HASHTAGS = 30;
    private static final Pattern HASHTAG = Pattern.compile("#[\\p{L}\\p{N}_]+");

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

    /** This body as a project to create, defaults applied. */
    public NewProject toNewProject() {
        List<String> details = new ArrayList<>();
        String stripped = topic == null ? null : topic.strip();
        if (stripped == null || stripped.isEmpty()) {
            details.add("topic: required, must not be blank");
        } else if (stripped.length() > NewProject.MAX_TOPIC) {
            details.add("topic: at most " + NewProject.MAX_TOPIC + " characters");
        }
        VideoConfig cfg = config == null ? new VideoConfig() : config;
        String template = cfg.template == null ? NewProject.DEFAULT_TEMPLATE : cfg.template;
        String voice = cfg.voice == null ? NewProject.DEFAULT_VOICE : cfg.voice;
        int length = cfg.length == null ? NewProject.DEFAULT_LENGTH : cfg.length;
        if (length < NewProject.MIN_LENGTH || length > NewProject.MAX_LENGTH) {
            details.add("config.length: must be between " + NewProject.MIN_LENGTH + " and " + NewProject.MAX_LENGTH + " seconds");
        }
        PublishRequest publish = cfg.publish == null ? null : cfg.publish.toPublishRequest("config.publish.", details);
        MusicChoice music = cfg.music == null ? null : cfg.music.toMusicChoice(details);
        if (!details.isEmpty()) {
            throw ApiException.badRequest("Validation failed", details);
        }
        return new NewProject(stripped, template, voice, length, publish, Boolean.TRUE.equals(allowDuplicate), music);
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

        @Schema(description = "A music bed from the media library, ducked under the voice; absent: voice alone.")
        public Music music;

        @Override
        protected Map<String, StrictJson> nested() {
            Map<String, StrictJson> nested = new LinkedHashMap<>();
            nested.put("publish", publish);
            nested.put("music", music);
            return nested;
        }
    }

    /** A music bed: one of the owner's ready audio assets, by id or by tag. */
    @Schema(name = "MusicChoice", description = "Exactly one of assetId and tag.")
    public static class Music extends StrictJson {

        @Schema(description = "A ready audio asset of the caller (GET /api/assets?kind=audio&status=ready); anything else is a 400.",
                examples = "7d0c6a8e-3f4b-4c2d-9e1a-2b3c4d5e6f70")
        public String assetId;

        @Schema(description = "The best ready audio asset of the caller carrying this tag, chosen at render time.", maxLength = 50,
                examples = "calm")
        public String tag;

        /** This choice as the contract's MusicChoice; what is wrong goes to details. */
        MusicChoice toMusicChoice(List<String> details) {
            MusicChoice choice = new MusicChoice();
            String cleanTag = tag == null ? null : tag.strip();
            if ((assetId == null) == (cleanTag == null)) {
                details.add("config.music: give either assetId or tag");
                return choice;
            }
            if (assetId != null) {
                try {
                    if (assetId.length() != 36) {
                        throw new IllegalArgumentException();
                    }
                    choice.setAssetId(UUID.fromString(assetId));
                } catch (IllegalArgumentException e) {
                    details.add("config.music.assetId: not a UUID");
                }
            } else if (cleanTag.isEmpty() || cleanTag.length() > NewAsset.MAX_TAG) {
                details.add("config.music.tag: 1 to " + NewAsset.MAX_TAG + " characters");
            } else {
                choice.setTag(cleanTag);
            }
            return choice;
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

        @Schema(description = "YouTube declarations and first comment; absent fields take the operator's defaults.")
        public YouTube youtube;

        @Schema(description = "Instagram's first comment.")
        public Instagram instagram;

        @Override
        protected Map<String, StrictJson> nested() {
            Map<String, StrictJson> nested = new LinkedHashMap<>();
            nested.put("metadata", metadata);
            nested.put("tiktok", tiktok);
            nested.put("youtube", youtube);
            nested.put("instagram", instagram);
            return nested;
        }

        /** These options as the contract's PublishRequest; what is wrong is added to {@code details}, each prefixed. */
        public PublishRequest toPublishRequest(String prefix, List<String> details) {
            PublishRequest publish = new PublishRequest();
            if (platforms == null || platforms.isEmpty()) {
                details.add(prefix + "platforms: required, one or more of youtube, tiktok, instagram");
            } else {
                Set<Platform> chosen = new LinkedHashSet<>();
                for (String name : platforms) {
                    if (name == null || !NewProject.PLATFORMS.contains(name)) {
                        details.add(prefix + "platforms: unknown platform '" + name + "'; valid: youtube, tiktok, instagram");
                    } else if (!chosen.add(Platform.fromValue(name))) {
                        details.add(prefix + "platforms: '" + name + "' listed twice");
                    }
                }
                publish.setPlatforms(chosen);
            }
            if (publishAt != null) {
                try {
                    publish.setPublishAt(Instant.parse(publishAt));
                } catch (DateTimeParseException e) {
                    details.add(prefix + "publishAt: not an ISO-8601 instant (e.g. 2026-12-01T18:00:00Z)");
                }
            }
            if (metadata != null) {
                VideoMetadata chosen = new VideoMetadata();
                chosen.setTitle(metadata.title);
                chosen.setDescription(metadata.description);
                if (metadata.tags != null) {
                    chosen.setTags(metadata.tags);
                }
                if (metadata.hashtags != null) {
                    chosen.setHashtags(metadata.hashtags);
                }
                publish.setMetadata(chosen);
            }
            if (publish.getPlatforms() != null && publish.getPlatforms().contains(Platform.TIKTOK)) {
                publish.setTiktok(tiktok(tiktok, prefix, details));
            }
            if (youtube != null) {
                YouTubePostOptions options = new YouTubePostOptions();
                options.setMadeForKids(youtube.madeForKids);
                options.setContainsSyntheticMedia(youtube.containsSyntheticMedia);
                options.setFirstComment(comment(youtube.firstComment, prefix + "youtube.firstComment", YOUTUBE_COMMENT_MAX, -1,
                        details));
                publish.setYoutube(options);
            }
            if (instagram != null) {
                InstagramPostOptions options = new InstagramPostOptions();
                options.setFirstComment(comment(instagram.firstComment, prefix + "instagram.firstComment", INSTAGRAM_COMMENT_MAX,
                        INSTAGRAM_COMMENT_HASHTAGS, details));
                publish.setInstagram(options);
            }
            return publish;
        }

        /** A first comment within the platform's limits (characters counted as code points); what is wrong goes to details. */
        private static String comment(String text, String field, int maxCharacters, int maxHashtags, List<String> details) {
            if (text == null) {
                return null;
            }
            if (text.isBlank()) {
                details.add(field + ": must not be blank (leave it out for no comment)");
            } else if (text.codePointCount(0, text.length()) > maxCharacters) {
                details.add(field + ": at most " + maxCharacters + " characters, got " + text.codePointCount(0, text.length()));
            } else if (maxHashtags >= 0 && HASHTAG.matcher(text).results().count() > maxHashtags) {
                details.add(field + ": at most " + maxHashtags + " hashtags, got " + HASHTAG.matcher(text).results().count());
            }
            return text;
        }

        /**
         * TikTok has no default privacy level: the person chooses one per post, so it is required whenever tiktok is asked for
         * (whether the creator is offered it is checked by publish-service, which asks TikTok).
         */
        private static TikTokPostOptions tiktok(TikTok chosen, String prefix, List<String> details) {
            List<String> levels = Arrays.stream(TikTokPostOptions.PrivacyLevel.values())
                    .map(TikTokPostOptions.PrivacyLevel::value).toList();
            TikTokPostOptions options = new TikTokPostOptions();
            if (chosen == null || chosen.privacyLevel == null) {
                details.add(prefix + "tiktok.privacyLevel: required for tiktok, one of the creator's privacyLevelOptions"
                        + " (GET /api/accounts/tiktok/creator-info)");
                return options;
            }
            if (!levels.contains(chosen.privacyLevel)) {
                details.add(prefix + "tiktok.privacyLevel: unknown privacy level '" + chosen.privacyLevel + "'; valid: "
                        + String.join(", ", levels));
                return options;
            }
            options.setPrivacyLevel(TikTokPostOptions.PrivacyLevel.fromValue(chosen.privacyLevel));
            options.setAllowComment(chosen.allowComment);
            options.setAllowDuet(chosen.allowDuet);
            options.setAllowStitch(chosen.allowStitch);
            options.setBrandContentToggle(chosen.brandContentToggle);
            options.setBrandOrganicToggle(chosen.brandOrganicToggle);
            return options;
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

    /** YouTube's declarations for this post and the first comment, posted by the channel once the video is public. */
    @Schema(name = "YouTubePostOptions")
    public static class YouTube extends StrictJson {

        @Schema(description = "Sent as status.selfDeclaredMadeForKids; default: the operator's publish.youtube.made-for-kids (false).")
        public Boolean madeForKids;

        @Schema(description = "Sent as status.containsSyntheticMedia (realistic altered or synthetic content); default: the "
                + "operator's publish.youtube.contains-synthetic-media.")
        public Boolean containsSyntheticMedia;

        @Schema(description = "Posted on the video once it is public (a scheduled one: when YouTube releases it); at most 10000 "
                + "characters. Needs the youtube.force-ssl scope: an account connected without it is told to reconnect.",
                maxLength = 10000, examples = "Sources are in the description. Which fact surprised you?")
        public String firstComment;
    }

    /** Instagram's first comment, posted on the Reel once it is published. */
    @Schema(name = "InstagramPostOptions")
    public static class Instagram extends StrictJson {

        @Schema(description = "At most 2200 characters and 30 hashtags. Needs the instagram_business_manage_comments permission.",
                maxLength = 2200, examples = "Which fact surprised you? #octopus #science")
        public String firstComment;
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
