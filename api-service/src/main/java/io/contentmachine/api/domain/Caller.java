package io.contentmachine.api.domain;

/** Who is calling: the owner the API key acts for; keyId identifies the key for rate limiting. */
public record Caller(String keyId, String ownerId, boolean admin) {
}
