package io.contentmachine.api.domain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The one digest the gateway stores instead of a secret or a body: API keys, session tokens, OAuth states, request fingerprints. */
public final class Sha256 {

    private Sha256() {
    }

    /** SHA-256 of the text's UTF-8 bytes, as lowercase hex. */
    public static String hex(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
