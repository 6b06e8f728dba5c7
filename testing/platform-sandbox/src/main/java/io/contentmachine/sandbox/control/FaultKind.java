package io.contentmachine.sandbox.control;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The faults the sandbox can inject, and the operations each platform has. */
public final class FaultKind {

    public static final String HTTP_5XX = "http-5xx";
    public static final String RATE_LIMIT = "rate-limit";
    public static final String DROP_CONNECTION = "drop-connection";
    public static final String QUOTA_EXCEEDED = "quota-exceeded";
    public static final String UPLOAD_LIMIT_EXCEEDED = "upload-limit-exceeded";
    public static final String TOKEN_EXPIRED = "token-expired";
    public static final String SESSION_EXPIRED = "session-expired";
    public static final String CONTAINER_ERROR = "container-error";
    public static final String CONTAINER_EXPIRED = "container-expired";
    public static final String TIKTOK_FAILED = "tiktok-failed";
    /** Instagram's media list (GET /{ig-user-id}/media) answers without the account's media, as a list not caught up yet. */
    public static final String MEDIA_UNLISTED = "media-unlisted";
    /** The token lacks the scope (YouTube youtube.force-ssl) or permission (Instagram manage_comments) the call needs. */
    public static final String INSUFFICIENT_PERMISSIONS = "insufficient-permissions";

    public static final List<String> ALL = List.of(HTTP_5XX, RATE_LIMIT, DROP_CONNECTION, QUOTA_EXCEEDED, UPLOAD_LIMIT_EXCEEDED,
            TOKEN_EXPIRED, SESSION_EXPIRED, CONTAINER_ERROR, CONTAINER_EXPIRED, TIKTOK_FAILED, MEDIA_UNLISTED, INSUFFICIENT_PERMISSIONS);

    /** Operations per platform, as named in fault switches. */
    public static final Map<String, Set<String>> OPERATIONS = Map.of(
            "youtube", Set.of("init", "upload", "videos", "channels", "token", "thumbnails", "comments"),
            "tiktok", Set.of("creator_info", "init", "upload", "status", "video_query", "token"),
            "instagram", Set.of("container", "status", "publish", "quota", "media", "token", "comments"),
            "pexels", Set.of("videos", "photos"));

    /** Kinds only meaningful for one platform. */
    private static final Map<String, String> PLATFORM_OF = Map.of(
            UPLOAD_LIMIT_EXCEEDED, "youtube", SESSION_EXPIRED, "youtube",
            CONTAINER_ERROR, "instagram", CONTAINER_EXPIRED, "instagram", TIKTOK_FAILED, "tiktok", MEDIA_UNLISTED, "instagram");

    private FaultKind() {
    }

    /** Why this combination cannot be armed, if it cannot. */
    public static Optional<String> problem(String platform, String operation, String kind) {
        if (platform == null || !OPERATIONS.containsKey(platform)) {
            return Optional.of("platform must be one of " + OPERATIONS.keySet().stream().sorted().toList());
        }
        if (kind == null || !ALL.contains(kind)) {
            return Optional.of("kind must be one of " + ALL);
        }
        if (operation != null && !OPERATIONS.get(platform).contains(operation)) {
            return Optional.of("operation of " + platform + " must be one of " + OPERATIONS.get(platform).stream().sorted().toList());
        }
        String only = PLATFORM_OF.get(kind);
        if (only != null && !only.equals(platform)) {
            return Optional.of(kind + " applies to " + only + " only");
        }
        return Optional.empty();
    }
}
