package io.contentmachine.api.webhooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.contentmachine.kit.crypto.SecretCipher;
import org.junit.jupiter.api.Test;

/** The address classification behind the SSRF guard, and the cipher that keeps signing secrets. Plain unit tests. */
class AddressRulesTest {

    @Test
    void everyNonPublicRangeIsNamedAndPublicAddressesPass() throws Exception {
        Map<String, String> kinds = new LinkedHashMap<>();
        kinds.put("127.0.0.1", "loopback");
        kinds.put("0.0.0.0", "unspecified");
        kinds.put("10.0.0.1", "private");
        kinds.put("172.16.5.4", "private");
        kinds.put("172.31.255.255", "private");
        kinds.put("192.168.1.1", "private");
        kinds.put("169.254.169.254", "cloud metadata");
        kinds.put("169.254.10.1", "link-local");
        kinds.put("100.64.0.1", "carrier-grade NAT");
        kinds.put("198.18.0.1", "benchmarking");
        kinds.put("192.0.2.1", "documentation");
        kinds.put("224.0.0.1", "multicast");
        kinds.put("240.0.0.1", "reserved");
        kinds.put("255.255.255.255", "reserved");
        kinds.put("::1", "loopback");
        kinds.put("::", "unspecified");
        kinds.put("fe80::1", "link-local");
        kinds.put("fc00::1", "unique-local");
        kinds.put("fd12:3456::1", "unique-local");
        kinds.put("2001:db8::1", "documentation");
        kinds.put("::ffff:10.0.0.1", "private");
        kinds.put("64:ff9b::7f00:1", "loopback");
        kinds.put("::7f00:1", "loopback");
        kinds.put("93.184.216.34", null);
        kinds.put("172.32.0.1", null);
        kinds.put("100.128.0.1", null);
        kinds.put("2606:4700::1111", null);
        kinds.put("64:ff9b::5db8:d822", null);
        for (Map.Entry<String, String> kind : kinds.entrySet()) {
            assertEquals(kind.getValue(), AddressGuard.nonPublic(InetAddress.getByName(kind.getKey())), kind.getKey());
        }
    }

    @Test
    void secretsRoundTripAndTamperingOrAnotherKeyIsRefused() {
        String key = Base64.getEncoder().encodeToString(new byte[32]);
        SecretCipher cipher = new SecretCipher(key, "webhooks.secret-key");
        String sealed = cipher.encrypt("whsec_abc");
        assertNotEquals(sealed, cipher.encrypt("whsec_abc"), "a fresh IV each time");
        assertEquals("whsec_abc", cipher.decrypt(sealed));
        byte[] bytes = Base64.getDecoder().decode(sealed);
        bytes[bytes.length - 1] ^= 1;
        assertThrows(IllegalStateException.class, () -> cipher.decrypt(Base64.getEncoder().encodeToString(bytes)));
        byte[] other = new byte[32];
        other[0] = 1;
        SecretCipher another = new SecretCipher(Base64.getEncoder().encodeToString(other), "webhooks.secret-key");
        assertThrows(IllegalStateException.class, () -> another.decrypt(sealed));
        assertTrue(assertThrows(IllegalStateException.class, () -> new SecretCipher("", "webhooks.secret-key (env X)")).getMessage()
                .startsWith("webhooks.secret-key (env X) is required"));
        assertTrue(assertThrows(IllegalStateException.class, () -> new SecretCipher("c2hvcnQ=", "k")).getMessage()
                .contains("must be 32 bytes"));
    }

    @Test
    void theSignatureIsHmacSha256OfTimestampDotBodyPerSecret() {
        String header = WebhookSecrets.signature(1700000000L, "{\"a\":1}", List.of("whsec_new", "whsec_old"));
        // computed independently: printf '1700000000.{"a":1}' | openssl dgst -sha256 -hmac whsec_new (and whsec_old)
        assertEquals("t=1700000000,v1=e8dddd2062d71761004bf7a203f96314721871cce1a41057a9e2fdf6d91a3735"
                + ",v1=b9d801502bb535e960ee9aeee7a294b082bda5089d79c7db610b85116ce6faa6", header);
    }
}
