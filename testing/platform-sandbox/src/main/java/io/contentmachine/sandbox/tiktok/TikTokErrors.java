package io.contentmachine.sandbox.tiktok;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import io.contentmachine.sandbox.control.Fault;
import io.contentmachine.sandbox.control.FaultKind;
import io.contentmachine.sandbox.http.Reply;

/** TikTok's envelope {"data":{...},"error":{"code","message","log_id"}}, for successes and failures alike. */
public final class TikTokErrors {

    private TikTokErrors() {
    }

    public static String logId() {
        return UUID.randomUUID().toString().replace("-", "").toUpperCase();
    }

    public static Reply ok(Object data) {
        return Reply.json(200, envelope(data, "ok", ""));
    }

    public static Reply error(int status, String code, String message) {
        return Reply.json(status, envelope(Map.of(), code, message));
    }

    public static Reply invalidParams(String message) {
        return error(400, "invalid_params", message);
    }

    public static Reply tokenInvalid() {
        return error(401, "access_token_invalid", "The access token is invalid or not found in the request.");
    }

    public static Reply rateLimited(int retryAfterSeconds) {
        return error(429, "rate_limit_exceeded", "The API rate limit was exceeded. Please try again later.")
                .header("Retry-After", String.valueOf(retryAfterSeconds));
    }

    /** OAuth errors have their own flat shape. */
    public static Reply oauth(int status, String error, String description) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", error);
        body.put("error_description", description);
        body.put("log_id", logId());
        return Reply.json(status, body);
    }

    public static Reply forFault(Fault fault) {
        String message = fault.message();
        return switch (fault.kind()) {
            case FaultKind.HTTP_5XX -> error(fault.status() == null ? 500 : fault.status(), "internal_error",
                    message != null ? message : "Something went wrong. Please try again later.");
            case FaultKind.RATE_LIMIT -> rateLimited(fault.retryAfterSeconds() == null ? 1 : fault.retryAfterSeconds());
            case FaultKind.TOKEN_EXPIRED -> tokenInvalid();
            case FaultKind.QUOTA_EXCEEDED -> error(403, "spam_risk_too_many_posts",
                    message != null ? message : "The daily post cap from the API is reached for the current user.");
            default -> error(500, "internal_error", "Unhandled sandbox fault " + fault.kind());
        };
    }

    private static Map<String, Object> envelope(Object data, String code, String message) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", code);
        error.put("message", message);
        error.put("log_id", logId());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("data", data);
        body.put("error", error);
        return body;
    }
}
