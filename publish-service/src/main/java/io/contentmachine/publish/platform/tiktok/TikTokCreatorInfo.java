package io.contentmachine.publish.platform.tiktok;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import io.contentmachine.publish.config.PublishConfig;
import io.contentmachine.publish.platform.PlatformException;
import io.contentmachine.publish.platform.PlatformHttp;

/**
 * TikTok's creator_info (blocking): who posts and what TikTok lets them choose. Asked before every post, and by the post
 * screen a frontend builds (GET /api/accounts/tiktok/creator-info). An unaudited app may only post SELF_ONLY, so that is
 * then the one option offered.
 */
@ApplicationScoped
public class TikTokCreatorInfo {

    static final String SELF_ONLY = "SELF_ONLY";

    private final PlatformHttp http;
    private final PublishConfig.TikTok config;

    TikTokCreatorInfo(PlatformHttp http, PublishConfig config) {
        this.http = http;
        this.config = config.tiktok();
    }

    /** The creator and the choices of their post screen; {@code privacyLevelOptions} already narrowed for an unaudited app. */
    public record Creator(String creatorUsername, String creatorNickname, String creatorAvatarUrl, List<String> privacyLevelOptions,
            boolean commentDisabled, boolean duetDisabled, boolean stitchDisabled, long maxVideoPostDurationSec, boolean audited) {
    }

    /** Asks TikTok; an error answer throws its {@link PlatformException} (401 → refresh, 429 → wait). */
    public Creator query(String accessToken) {
        HttpResponse<String> response = http.send(PlatformHttp.request(config.apiUrl() + "/v2/post/publish/creator_info/query/",
                PlatformHttp.CALL_TIMEOUT)
                .header("Authorization", "Bearer " + accessToken)
                .header("Content-Type", "application/json; charset=UTF-8")
                .POST(http.json(Map.of()))
                .build());
        JsonNode envelope = http.body(response);
        if (response.statusCode() / 100 != 2 || !"ok".equals(envelope.path("error").path("code").asText("ok"))) {
            throw TikTokPublisher.error(response, envelope);
        }
        JsonNode data = envelope.path("data");
        List<String> offered = new ArrayList<>();
        data.path("privacy_level_options").forEach(option -> offered.add(option.asText()));
        List<String> options = config.audited() ? offered : offered.stream().filter(SELF_ONLY::equals).toList();
        return new Creator(data.path("creator_username").asText(null), data.path("creator_nickname").asText(null),
                data.path("creator_avatar_url").asText(null), List.copyOf(options), data.path("comment_disabled").asBoolean(false),
                data.path("duet_disabled").asBoolean(false), data.path("stitch_disabled").asBoolean(false),
                data.path("max_video_post_duration_sec").asLong(0), config.audited());
    }
}
