package io.contentmachine.publish.platform.youtube;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
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
import org.jboss.logging.Logger;

/**
 * YouTube: Google OAuth (offline access, so a refresh token comes back), the channel as the account, resumable uploads
 * that YouTube itself holds until publishAt ({@link YouTubePublisher}), videos.list statistics as metrics.
 */
@ApplicationScoped
public class YouTubePlatform implements PlatformApi {

    private static final Logger LOG = Logger.getLogger(YouTubePlatform.class);

    private final PublishConfig.YouTube config;
    private final PlatformHttp http;
    private final TokenEndpoint tokens;
    private final YouTubePublisher publisher;

    YouTubePlatform(PublishConfig config, PlatformHttp http, TokenEndpoint tokens, YouTubePublisher publisher) {
        this.config = config.youtube();
        this.http = http;
        this.tokens = tokens;
        this.publisher = publisher;
    }

    @Override
    public Platform platform() {
        return Platform.YOUTUBE;
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
        return YouTubeMetadata.adapt(metadata);
    }

    @Override
    public PlatformException error(HttpResponse<String> response, JsonNode body) {
        return YouTubePublisher.error(response, body);
    }

    /** Offline access with a consent prompt, so Google returns a refresh token even to an owner who connected before. */
    @Override
    public Map<String, String> consentParameters() {
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("access_type", "offline");
        parameters.put("prompt", "consent");
        parameters.put("include_granted_scopes", "true");
        return parameters;
    }

    @Override
    public Grant exchange(String code, String redirectUri) {
        JsonNode body = tokens.exchangeCode(Platform.YOUTUBE, config.tokenUrl(), config, "client_id", code, redirectUri);
        String access = body.path("access_token").asText();
        JsonNode channel = channel(access);
        return new Grant(access, body.path("refresh_token").asText(null), TokenEndpoint.expiry(body), channel.path("id").asText(null),
                channel.path("snippet").path("title").asText(null));
    }

    @Override
    public Tokens refresh(Credentials credentials) {
        return tokens.refreshToken(Platform.YOUTUBE, config.tokenUrl(), config, "client_id", credentials);
    }

    @Override
    public boolean schedulesNatively() {
        return true;
    }

    /** videos.list part=statistics (counts are strings). */
    @Override
    public Figures metrics(String videoId, String accessToken) {
        String url = config.apiUrl() + "/youtube/v3/videos?part=status,statistics&id=" + URLEncoder.encode(videoId, StandardCharsets.UTF_8);
        HttpResponse<String> response = http.send(PlatformHttp.request(url, PlatformHttp.ACCOUNT_CALL_TIMEOUT)
                .header("Authorization", "Bearer " + accessToken).GET().build());
        JsonNode body = http.body(response);
        if (response.statusCode() != 200) {
            throw error(response, body);
        }
        JsonNode stats = body.path("items").path(0).path("statistics");
        if (stats.isMissingNode()) {
            return null;
        }
        return new Figures(stats.path("viewCount").asLong(0), stats.path("likeCount").asLong(0), stats.path("commentCount").asLong(0));
    }

    /**
     * The token's own channel (channels.list mine=true, allowed by youtube.readonly), or a missing node when it cannot be
     * read or the Google account has no channel yet (no items).
     */
    private JsonNode channel(String accessToken) {
        try {
            String url = config.apiUrl() + "/youtube/v3/channels?part=snippet&mine=true";
            HttpResponse<String> response = http.send(PlatformHttp.request(url, PlatformHttp.ACCOUNT_CALL_TIMEOUT)
                    .header("Authorization", "Bearer " + accessToken).GET().build());
            if (response.statusCode() != 200) {
                LOG.debugf("YouTube channel not read: channels.list answered %d", response.statusCode());
                return MissingNode.getInstance();
            }
            return http.body(response).path("items").path(0);
        } catch (PlatformException e) {
            LOG.debugf("YouTube channel not read: %s", e.getMessage());
            return MissingNode.getInstance();
        }
    }
}
