package io.contentmachine.publish.platform;

/** Why an OAuth callback is refused (a missing or refused code, no client configured): a 400 for the caller. */
public class OAuthRefused extends RuntimeException {

    public OAuthRefused(String message) {
        super(message);
    }
}
