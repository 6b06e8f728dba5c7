package io.contentmachine.api.api;

import jakarta.enterprise.context.RequestScoped;

import io.contentmachine.api.domain.Caller;

/** The authenticated caller of the current request, set by {@link ApiKeyFilter}. */
@RequestScoped
public class CurrentCaller {

    private Caller caller;

    public Caller get() {
        if (caller == null) {
            throw new ApiException(401, "Missing or invalid API key");
        }
        return caller;
    }

    void set(Caller caller) {
        this.caller = caller;
    }
}
