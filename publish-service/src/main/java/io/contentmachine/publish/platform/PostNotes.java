package io.contentmachine.publish.platform;

import java.util.ArrayList;
import java.util.List;

/**
 * What did not work after a video was published (thumbnail, first comment): never a failure of the publishing, but kept
 * in its error fields so that GET /api/videos/{id} shows it. Codes are joined with commas, messages with "; ".
 */
public final class PostNotes {

    private final List<String> codes = new ArrayList<>();
    private final List<String> messages = new ArrayList<>();

    public void add(String code, String message) {
        codes.add(code);
        messages.add(message);
    }

    /** The codes, comma-separated; null when all went well. */
    public String code() {
        return codes.isEmpty() ? null : String.join(",", codes);
    }

    public String message() {
        return messages.isEmpty() ? null : String.join("; ", messages);
    }
}
