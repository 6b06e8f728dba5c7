package io.contentmachine.api.api;

import java.util.UUID;

import jakarta.enterprise.context.RequestScoped;

import io.contentmachine.api.domain.Caller;

/** The authenticated caller of the current request, set by {@link ApiKeyFilter}: by an API key or a console session. */
@RequestScoped
public class CurrentCaller {

    private Caller caller;
    private UUID sessionId;
    private String sessionToken;

    public Caller get() {
        if (caller == null) {
            throw new ApiException(401, "Missing or invalid API key");
        }
        return caller;
    }

    /** The console session the request came with, or null when it came with an API key. */
    public UUID sessionId() {
        return sessionId;
    }

    /** The console session's token (from its cookie), or null when the request came with an API key. */
    String sessionToken() {
        return sessionToken;
    }

    void set(Caller caller) {
        this.caller = caller;
    }

    void setSession(UUID sessionId, String sessionToken) {
        this.sessionId = sessionId;
        this.sessionToken = sessionToken;
    }
}
