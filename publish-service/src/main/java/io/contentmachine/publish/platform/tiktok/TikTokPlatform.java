package io.contentmachine.publish.platform.tiktok;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import io.contentmachine.events.types.VideoMetadata;
import io.contentmachine.publish.config.PublishConfig;
import io.contentmachine.publish.domain.Platform;
import io.contentmachine.publish.platform.PlatformApi;
import io.contentmachine.publish.platform.PlatformException;
import io.contentmachine.publish.platform.PlatformHttp;
import io.contentmachine.publish.platform.PlatformMetadata;
import io.contentmachine.publish.platform.PublishTask.Credentials;
import io.contentmachine.publish.platform.Publisher;
import io.contentmachine.publish.platform.TokenEndpoint;

/**
 * TikTok: Login Kit OAuth (the client id is {@code client_key}; refresh tokens rotate), the creator as the account,
 * chunked direct posts paced per account ({@link TikTokPublisher}), Display API video/query as metrics.
 */
@ApplicationScoped
public class TikTokPlatform implements PlatformApi {

    private final PublishConfig.TikTok config;
    private final PlatformHttp http;
    private final TokenEndpoint tokens;
    private final TikTokPublisher publisher;
    private final TikTokCreatorInfo creators;

    TikTokPlatform(PublishConfig config, PlatformHttp http, TokenEndpoint tokens, TikTokPublisher publisher, TikTokCreatorInfo creators) {
        this.config = config.tiktok();
        this.http = http;
        this.tokens = tokens;
        this.publisher = publisher;
        this.creators = creators;
    }

    @Override
    public Platform platform() {
        return Platform.TIKTOK;
    }

    @Override
    public PublishConfig.PlatformAccess access() {
        return config;
    }

    @Override
    public Publisher publisher() {
        return publisher;
    }

    @Override
    public PlatformMetadata adapt(VideoMetadata metadata) {
        return TikTokMetadata.adapt(metadata);
    }

    @Override
    public PlatformException error(HttpResponse<String> response, JsonNode body) {
        return TikTokPublisher.error(response, body);
    }

    @Override
    public String clientIdParameter() {
        return "client_key";
    }

    /** The account is named after the creator, read with the new token (no name when that fails). */
    @Override
    public Grant exchange(String code, String redirectUri) {
        JsonNode body = tokens.exchangeCode(Platform.TIKTOK, tokenUrl(), config, "client_key", code, redirectUri);
        String access = body.path("access_token").asText();
        return new Grant(access, body.path("refresh_token").asText(null), TokenEndpoint.expiry(body), body.path("open_id").asText(null),
                username(access));
    }

    @Override
    public Tokens refresh(Credentials credentials) {
        return tokens.refreshToken(Platform.TIKTOK, tokenUrl(), config, "client_key", credentials);
    }

    @Override
    public OptionalInt initsPerMinute() {
        return OptionalInt.of(config.initsPerMinute());
    }

    /** Display API video/query (scope video.list) by the public post id; a post kept private has none. */
    @Override
    public Figures metrics(String postId, String accessToken) {
        if (!postId.chars().allMatch(Character::isDigit)) {
            return null;
        }
        String url = config.apiUrl() + "/v2/video/query/?fields=id,view_count,like_count,comment_count";
        HttpResponse<String> response = http.send(PlatformHttp.request(url, PlatformHttp.ACCOUNT_CALL_TIMEOUT)
                .header("Authorization", "Bearer " + accessToken)
                .header("Content-Type", "application/json; charset=UTF-8")
                .POST(http.json(Map.of("filters", Map.of("video_ids", List.of(postId))))).build());
        JsonNode body = http.body(response);
        if (response.statusCode() != 200 || !"ok".equals(body.path("error").path("code").asText("ok"))) {
            throw error(response, body);
        }
        for (JsonNode video : body.path("data").path("videos")) {
            if (postId.equals(video.path("id").asText())) {
                return new Figures(video.path("view_count").asLong(0), video.path("like_count").asLong(0),
                        video.path("comment_count").asLong(0));
            }
        }
        return null;
    }

    private String tokenUrl() {
        return config.apiUrl() + "/v2/oauth/token/";
    }

    private String username(String accessToken) {
        try {
            return creators.query(accessToken).creatorUsername();
        } catch (PlatformException e) {
            return null;
        }
    }
}
