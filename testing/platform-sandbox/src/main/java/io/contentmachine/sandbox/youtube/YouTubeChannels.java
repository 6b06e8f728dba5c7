package io.contentmachine.sandbox.youtube;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.contentmachine.sandbox.config.SandboxConfig;

/**
 * The YouTube channels behind the tokens: every consent opens a channel of its own, which the code exchange's tokens and
 * the refreshes of its refresh token stay bound to; the configured tokens (and any other valid one) belong to the default
 * channel titled sandbox.youtube.channel-title. Bindings outlive a sandbox reset, as the tokens do.
 */
@ApplicationScoped
public class YouTubeChannels {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** A channel as channels.list describes it. */
    public record Channel(String id, String title, String handle, Instant publishedAt) {
    }

    private final Channel defaultChannel;
    private final Map<String, Channel> byId = new ConcurrentHashMap<>();
    /** Access and refresh tokens to their channel. */
    private final Map<String, Channel> byToken = new ConcurrentHashMap<>();
    private final AtomicInteger opened = new AtomicInteger(1);

    @Inject
    public YouTubeChannels(SandboxConfig config) {
        String title = config.youtube().channelTitle();
        // derived from the title, so the default channel keeps its id across restarts
        defaultChannel = new Channel("UC" + base64Url(sha256(title)).substring(0, 22), title, handle(title),
                Instant.parse("2015-06-01T12:00:00Z"));
        byId.put(defaultChannel.id(), defaultChannel);
    }

    /** A new channel for a consent, titled and handled after the default one with its number. */
    public Channel open() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        String title = defaultChannel.title() + " " + opened.incrementAndGet();
        Channel channel = new Channel("UC" + base64Url(bytes).substring(0, 22), title, handle(title),
                Instant.now().truncatedTo(ChronoUnit.SECONDS));
        byId.put(channel.id(), channel);
        return channel;
    }

    /** Binds an issued access or refresh token to its channel. */
    public void bind(String token, Channel channel) {
        byToken.put(token, channel);
    }

    /** The channel a token acts for: the one it was issued for, else the default channel. */
    public Channel of(String token) {
        return token == null ? defaultChannel : byToken.getOrDefault(token, defaultChannel);
    }

    public List<Channel> withIds(List<String> ids) {
        return ids.stream().map(byId::get).filter(Objects::nonNull).toList();
    }

    /** The channel resource with the parts asked for (id always; snippet and contentDetails are filled in). */
    public ObjectNode resource(Channel channel, List<String> parts) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("kind", "youtube#channel");
        node.put("etag", base64Url(sha256(channel.id() + parts)).substring(0, 27));
        node.put("id", channel.id());
        if (parts.contains("snippet")) {
            ObjectNode snippet = node.putObject("snippet");
            snippet.put("title", channel.title());
            snippet.put("description", "");
            snippet.put("customUrl", "@" + channel.handle());
            snippet.put("publishedAt", channel.publishedAt().toString());
            ObjectNode thumbnails = snippet.putObject("thumbnails");
            thumbnail(thumbnails, "default", channel, 88);
            thumbnail(thumbnails, "medium", channel, 240);
            thumbnail(thumbnails, "high", channel, 800);
            snippet.putObject("localized").put("title", channel.title()).put("description", "");
        }
        if (parts.contains("contentDetails")) {
            node.putObject("contentDetails").putObject("relatedPlaylists").put("likes", "")
                    .put("uploads", "UU" + channel.id().substring(2));
        }
        return node;
    }

    private static void thumbnail(ObjectNode thumbnails, String name, Channel channel, int size) {
        thumbnails.putObject(name).put("url", "https://yt3.ggpht.com/sandbox-" + channel.id() + "=s" + size + "-c-k-c0x00ffffff-no-rj")
                .put("width", size).put("height", size);
    }

    private static String handle(String title) {
        return title.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]", "");
    }

    private static String base64Url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
