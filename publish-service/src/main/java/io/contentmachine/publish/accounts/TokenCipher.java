package io.contentmachine.publish.accounts;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;

import io.contentmachine.publish.config.PublishConfig;
import io.quarkus.runtime.Startup;

/**
 * Encrypts platform tokens at rest with AES-256-GCM (random 12-byte IV per value, stored as base64 of IV + ciphertext).
 * The key is publish.token-key (env PUBLISH_TOKEN_KEY): the service refuses to start without a valid one.
 */
@Startup
@ApplicationScoped
public class TokenCipher {

    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKeySpec key;
    private final SecureRandom random = new SecureRandom();

    TokenCipher(PublishConfig config) {
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(config.tokenKey().trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("publish.token-key (env PUBLISH_TOKEN_KEY) is not base64: set it to a base64 32-byte key,"
                    + " e.g. `openssl rand -base64 32`");
        }
        if (raw.length != 32) {
            throw new IllegalStateException("publish.token-key (env PUBLISH_TOKEN_KEY) must be 32 bytes (AES-256) once base64-decoded, got "
                    + raw.length);
        }
        this.key = new SecretKeySpec(raw, "AES");
    }

    public String encrypt(String plain) {
        if (plain == null) {
            return null;
        }
        try {
            byte[] iv = new byte[IV_BYTES];
            random.nextBytes(iv);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
            byte[] sealed = cipher.doFinal(plain.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(ByteBuffer.allocate(iv.length + sealed.length).put(iv).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot encrypt a token", e);
        }
    }

    public String decrypt(String stored) {
        if (stored == null) {
            return null;
        }
        try {
            byte[] all = Base64.getDecoder().decode(stored);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, all, 0, IV_BYTES));
            return new String(cipher.doFinal(all, IV_BYTES, all.length - IV_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("cannot decrypt a stored token (was publish.token-key changed?)", e);
        }
    }
}
