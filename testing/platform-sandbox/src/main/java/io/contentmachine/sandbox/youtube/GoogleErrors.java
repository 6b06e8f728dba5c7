package io.contentmachine.sandbox.youtube;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.contentmachine.sandbox.control.Fault;
import io.contentmachine.sandbox.control.FaultKind;
import io.contentmachine.sandbox.http.Reply;

/** Google API errors in their documented shape: {"error":{"code","message","errors":[{message,domain,reason}],"status"}}. */
public final class GoogleErrors {

    private GoogleErrors() {
    }

    public static Reply error(int code, String domain, String reason, String message) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("message", message);
        item.put("domain", domain);
        item.put("reason", reason);
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", code);
        error.put("message", message);
        error.put("errors", List.of(item));
        error.put("status", statusName(code));
        return Reply.json(code, Map.of("error", error));
    }

    public static Reply invalidArgument(String reason, String message) {
        return error(400, "youtube.video", reason, message);
    }

    public static Reply unauthorized() {
        return error(401, "global", "authError", "Request had invalid authentication credentials. Expected OAuth 2 access token, "
                + "login cookie or other valid authentication credential.")
                .header("WWW-Authenticate", "Bearer realm=\"https://accounts.google.com/\", error=\"invalid_token\"");
    }

    public static Reply quotaExceeded() {
        return error(403, "youtube.quota", "quotaExceeded",
                "The request cannot be completed because you have exceeded your <a href=\"/youtube/v3/getting-started#quota\">quota</a>.");
    }

    public static Reply notFound(String message) {
        return error(404, "global", "notFound", message);
    }

    /** The answer a fault gives instead of the real one (drop-connection and session-expired are handled by the caller). */
    public static Reply forFault(Fault fault) {
        String message = fault.message();
        return switch (fault.kind()) {
            case FaultKind.HTTP_5XX -> {
                int status = fault.status() == null ? 503 : fault.status();
                yield error(status, "global", status == 503 ? "backendError" : "internalError",
                        message != null ? message : "Backend Error");
            }
            case FaultKind.RATE_LIMIT -> error(fault.status() == null ? 429 : fault.status(), "usageLimits", "rateLimitExceeded",
                    message != null ? message : "The request cannot be completed because you have exceeded your rate limit.")
                    .header("Retry-After", String.valueOf(fault.retryAfterSeconds() == null ? 1 : fault.retryAfterSeconds()));
            case FaultKind.QUOTA_EXCEEDED -> quotaExceeded();
            case FaultKind.UPLOAD_LIMIT_EXCEEDED -> error(400, "youtube.video", "uploadLimitExceeded",
                    "The user has exceeded the number of videos they may upload.");
            case FaultKind.TOKEN_EXPIRED -> unauthorized();
            case FaultKind.INSUFFICIENT_PERMISSIONS -> error(403, "global", "insufficientPermissions",
                    "Request had insufficient authentication scopes.");
            default -> error(500, "global", "internalError", "Unhandled sandbox fault " + fault.kind());
        };
    }

    private static String statusName(int code) {
        return switch (code) {
            case 400 -> "INVALID_ARGUMENT";
            case 401 -> "UNAUTHENTICATED";
            case 403 -> "PERMISSION_DENIED";
            case 404 -> "NOT_FOUND";
            case 429 -> "RESOURCE_EXHAUSTED";
            case 503 -> "UNAVAILABLE";
            default -> code >= 500 ? "INTERNAL" : "FAILED_PRECONDITION";
        };
    }
}
