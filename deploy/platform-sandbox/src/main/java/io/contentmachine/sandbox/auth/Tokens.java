package io.contentmachine.sandbox.auth;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.contentmachine.sandbox.config.SandboxConfig;

/**
 * Access and refresh tokens of the three platforms. Configured tokens never expire; issued access tokens last
 * sandbox.access-token-ttl. Configured refresh tokens stay valid; issued rotating refresh tokens (TikTok) work once.
 */
@ApplicationScoped
public class Tokens {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final SandboxConfig config;
    private final Set<String> fixedAccess;
    private final Set<String> fixedRefresh;
    private final Map<String, Instant> issuedAccess = new ConcurrentHashMap<>();
    private final Map<String, String> issuedRefresh = new ConcurrentHashMap<>();
    private final Map<String, String> authorizationCodes = new ConcurrentHashMap<>();

    @Inject
    public Tokens(SandboxConfig config) {
        this.config = config;
        this.fixedAccess = Set.copyOf(config.accessTokens().stream().map(String::trim).filter(s -> !s.isEmpty()).toList());
        this.fixedRefresh = Set.copyOf(config.refreshTokens().stream().map(String::trim).filter(s -> !s.isEmpty()).toList());
    }

    public boolean validAccess(String token) {
        if (token == null || token.isBlank()) {
            return false;
        }
        if (fixedAccess.contains(token)) {
            return true;
        }
        Instant expiry = issuedAccess.get(token);
        return expiry != null && Instant.now().isBefore(expiry);
    }

    /** The bearer token of an Authorization header, or null. */
    public static String bearer(String authorization) {
        if (authorization == null) {
            return null;
        }
        String value = authorization.trim();
        return value.regionMatches(true, 0, "Bearer ", 0, 7) ? value.substring(7).trim() : null;
    }

    public Duration accessTtl() {
        return config.accessTokenTtl();
    }

    public String issueAccess(String prefix) {
        return issueAccess(prefix, config.accessTokenTtl());
    }

    public String issueAccess(String prefix, Duration ttl) {
        String token = prefix + random();
        issuedAccess.put(token, Instant.now().plus(ttl));
        return token;
    }

    /** Whether this refresh token is accepted for the platform (configured ones for all, issued ones for their own). */
    public boolean validRefresh(String platform, String token) {
        return token != null && (fixedRefresh.contains(token) || platform.equals(issuedRefresh.get(token)));
    }

    /** Rotation: an issued refresh token is spent by its use (configured ones stay). */
    public boolean spendRefresh(String platform, String token) {
        if (token == null) {
            return false;
        }
        if (fixedRefresh.contains(token)) {
            return true;
        }
        return issuedRefresh.remove(token, platform);
    }

    public String issueRefresh(String platform, String prefix) {
        String token = prefix + random();
        issuedRefresh.put(token, platform);
        return token;
    }

    /** An authorization code for the OAuth connect flow, redeemable once at the platform's token endpoint. */
    public String issueCode(String platform) {
        String code = platform + "-code-" + random();
        authorizationCodes.put(code, platform);
        return code;
    }

    public Optional<String> redeemCode(String platform, String code) {
        return code != null && authorizationCodes.remove(code, platform) ? Optional.of(code) : Optional.empty();
    }

    private static String random() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
