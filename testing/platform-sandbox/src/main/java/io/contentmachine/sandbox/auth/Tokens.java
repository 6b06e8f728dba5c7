package io.contentmachine.sandbox.auth;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import io.contentmachine.sandbox.config.SandboxConfig;
import io.contentmachine.sandbox.transfer.UploadStore;

/**
 * Access and refresh tokens of the three platforms. Configured tokens never expire; issued access tokens last
 * sandbox.access-token-ttl. Configured refresh tokens stay valid; issued rotating refresh tokens (TikTok) work once.
 */
@ApplicationScoped
public class Tokens {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int JOURNAL_SIZE = 1000;

    private final SandboxConfig config;
    private final Set<String> fixedAccess;
    private final Set<String> fixedRefresh;
    private final Map<String, Instant> issuedAccess = new ConcurrentHashMap<>();
    private final Map<String, String> issuedRefresh = new ConcurrentHashMap<>();
    private final Map<String, String> authorizationCodes = new ConcurrentHashMap<>();
    /** What a test may check afterwards: token refreshes granted and access tokens refused (the latest JOURNAL_SIZE of each). */
    private final Deque<Refresh> refreshes = new ConcurrentLinkedDeque<>();
    private final Deque<String> rejected = new ConcurrentLinkedDeque<>();

    /** A granted refresh: the platform and the credential it was asked with (the refresh token; Instagram: the access token). */
    public record Refresh(String platform, String credential, Instant at) {
    }

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
        boolean valid = expiry != null && Instant.now().isBefore(expiry);
        if (!valid) {
            remember(rejected, token);
        }
        return valid;
    }

    /** Notes a refresh the token endpoint granted. */
    public void refreshed(String platform, String credential) {
        remember(refreshes, new Refresh(platform, credential, Instant.now()));
    }

    public List<Refresh> refreshes() {
        return List.copyOf(refreshes);
    }

    /** Access tokens a platform refused (so a test can tell whether a stale token was ever sent). */
    public List<String> rejectedAccessTokens() {
        return List.copyOf(rejected);
    }

    void reset(@Observes UploadStore.SandboxReset reset) {
        refreshes.clear();
        rejected.clear();
    }

    private static <T> void remember(Deque<T> journal, T entry) {
        journal.addLast(entry);
        while (journal.size() > JOURNAL_SIZE) {
            journal.pollFirst();
        }
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
