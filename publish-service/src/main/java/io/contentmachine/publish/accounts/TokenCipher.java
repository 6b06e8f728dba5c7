package io.contentmachine.publish.accounts;

import jakarta.enterprise.context.ApplicationScoped;

import io.contentmachine.kit.crypto.SecretCipher;
import io.contentmachine.publish.config.PublishConfig;
import io.quarkus.runtime.Startup;

/**
 * Encrypts platform tokens at rest with AES-256-GCM (service-kit's SecretCipher). The key is publish.token-key
 * (env PUBLISH_TOKEN_KEY): the service refuses to start without a valid one.
 */
@Startup
@ApplicationScoped
public class TokenCipher {

    private final SecretCipher cipher;

    TokenCipher(PublishConfig config) {
        this.cipher = new SecretCipher(config.tokenKey(), "publish.token-key (env PUBLISH_TOKEN_KEY)");
    }

    public String encrypt(String plain) {
        return cipher.encrypt(plain);
    }

    public String decrypt(String stored) {
        return cipher.decrypt(stored);
    }
}
