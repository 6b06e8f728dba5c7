package io.contentmachine.api.webhooks;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;

import io.contentmachine.kit.crypto.SecretCipher;
import io.quarkus.runtime.Startup;

/**
 * Signing secrets: made here, shown to the owner once, stored encrypted (webhooks.secret-key; the service refuses to start
 * without a valid key), and used to sign each attempt: {@code Webhook-Signature: t=<unix seconds>,v1=<hex>} where hex is
 * HMAC-SHA256, keyed with the secret's UTF-8 bytes, of {@code "<t>.<body>"}; one v1= per valid secret during a rotation.
 */
@Startup
@ApplicationScoped
public class WebhookSecrets {

    private static final String PREFIX = "whsec_";

    private final SecretCipher cipher;
    private final SecureRandom random = new SecureRandom();

    WebhookSecrets(WebhookConfig config) {
        this.cipher = new SecretCipher(config.secretKey().orElse(null), "webhooks.secret-key (env WEBHOOKS_SECRET_KEY)");
    }

    /** A new secret, in clear: return it to the owner once and store only {@link #seal}. */
    public String newSecret() {
        byte[] raw = new byte[32];
        random.nextBytes(raw);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    }

    public String seal(String secret) {
        return cipher.encrypt(secret);
    }

    public String open(String sealed) {
        return cipher.decrypt(sealed);
    }

    /** The Webhook-Signature header value for a body sent at {@code unixSeconds}, one v1= per secret. */
    public static String signature(long unixSeconds, String body, List<String> secrets) {
        return "t=" + unixSeconds + secrets.stream().map(secret -> ",v1=" + hmac(secret, unixSeconds + "." + body))
                .collect(Collectors.joining());
    }

    static String hmac(String secret, String message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
