package io.contentmachine.sandbox.instagram;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import io.contentmachine.sandbox.control.Fault;
import io.contentmachine.sandbox.control.FaultKind;
import io.contentmachine.sandbox.http.Reply;

/** Graph API errors: {"error":{"message","type","code","error_subcode","is_transient","fbtrace_id"}}. */
public final class GraphErrors {

    private GraphErrors() {
    }

    public static Reply error(int status, String type, int code, Integer subcode, boolean transientError, String message,
                              String userMessage) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("message", message);
        error.put("type", type);
        error.put("code", code);
        if (subcode != null) {
            error.put("error_subcode", subcode);
        }
        error.put("is_transient", transientError);
        if (userMessage != null) {
            error.put("error_user_title", "Request failed");
            error.put("error_user_msg", userMessage);
        }
        error.put("fbtrace_id", "A" + UUID.randomUUID().toString().replace("-", "").substring(0, 22));
        return Reply.json(status, Map.of("error", error));
    }

    public static Reply invalidParameter(String message) {
        return error(400, "OAuthException", 100, null, false, "Invalid parameter", message);
    }

    /** An invalid or expired token: code 190 (the Graph API answers it with HTTP 400). */
    public static Reply invalidToken(int status) {
        return error(status, "OAuthException", 190, 463, false,
                "Error validating access token: Session has expired or the token is invalid.", null);
    }

    public static Reply notFound(String id) {
        return error(400, "GraphMethodException", 100, 33, false, "Unsupported get request. Object with ID '" + id
                + "' does not exist, cannot be loaded due to missing permissions, or does not support this operation.", null);
    }

    public static Reply forFault(Fault fault) {
        String message = fault.message();
        return switch (fault.kind()) {
            case FaultKind.HTTP_5XX -> error(fault.status() == null ? 500 : fault.status(), "OAuthException", 2, null, true,
                    message != null ? message : "An unexpected error has occurred. Please retry your request later.", null);
            case FaultKind.RATE_LIMIT -> error(fault.status() == null ? 429 : fault.status(), "OAuthException", 4, null, true,
                    "Application request limit reached", null)
                    .header("Retry-After", String.valueOf(fault.retryAfterSeconds() == null ? 1 : fault.retryAfterSeconds()));
            case FaultKind.TOKEN_EXPIRED -> invalidToken(fault.status() == null ? 400 : fault.status());
            case FaultKind.QUOTA_EXCEEDED -> error(400, "OAuthException", 9, 2207042, false,
                    "Application request limit reached", "You reached the maximum number of posts that is allowed to be published "
                            + "by Content Publishing API in 24 hours.");
            case FaultKind.INSUFFICIENT_PERMISSIONS -> error(403, "OAuthException", 10, null, false,
                    "(#10) Application does not have permission for this action", null);
            default -> error(500, "OAuthException", 1, null, true, "Unhandled sandbox fault " + fault.kind(), null);
        };
    }
}
