package io.contentmachine.api.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A decided, client-facing failure: an HTTP status and a JSON body ({error, details?} plus any extra fields,
 * e.g. duplicateOf), and optional headers such as Retry-After.
 */
public class ApiException extends RuntimeException {

    private final int status;
    private final Map<String, Object> body;
    private final Map<String, String> headers;

    public ApiException(int status, String error, List<String> details, Map<String, Object> extra, Map<String, String> headers) {
        super(error, null, false, false);
        this.status = status;
        this.body = new LinkedHashMap<>();
        body.put("error", error);
        if (details != null && !details.isEmpty()) {
            body.put("details", details);
        }
        if (extra != null) {
            body.putAll(extra);
        }
        this.headers = headers == null ? Map.of() : headers;
    }

    public ApiException(int status, String error) {
        this(status, error, List.of(), null, null);
    }

    public static ApiException badRequest(String error, List<String> details) {
        return new ApiException(400, error, details, null, null);
    }

    public static ApiException notFound() {
        return new ApiException(404, "Not found");
    }

    public int status() {
        return status;
    }

    public Map<String, Object> body() {
        return body;
    }

    public Map<String, String> headers() {
        return headers;
    }
}
