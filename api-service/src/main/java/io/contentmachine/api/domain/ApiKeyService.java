package io.contentmachine.api.domain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.contentmachine.api.config.ApiConfig;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;

/**
 * API keys: long random secrets of which only the SHA-256 is stored. The bootstrap admin key (api.admin-key) acts for
 * owner "admin" and may manage keys. Verified keys are remembered briefly so a request does not always hit the database.
 */
@ApplicationScoped
public class ApiKeyService {

    public static final String ADMIN_OWNER = "admin";
    private static final long CACHE_NANOS = Duration.ofSeconds(10).toNanos();
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A created key: the secret is returned this once. */
    public record Issued(ApiKey key, String secret) {
    }

    private record Known(Caller caller, long atNanos) {
    }

    private final Optional<byte[]> adminKey;
    private final Map<String, Known> recent = new ConcurrentHashMap<>();

    ApiKeyService(ApiConfig config) {
        this.adminKey = config.adminKey().filter(k -> !k.isBlank()).map(k -> k.getBytes(StandardCharsets.UTF_8));
    }

    void checkAdminKey(@Observes @Priority(1) StartupEvent start) {
        if (adminKey.isEmpty() && LaunchMode.current() == LaunchMode.NORMAL) {
            throw new IllegalStateException("api.admin-key is not set: set the environment variable API_ADMIN_KEY to a long random secret");
        }
    }

    /** The caller a presented key stands for, or null when the key is unknown or revoked. */
    public Uni<Caller> verify(String presented) {
        if (presented == null || presented.isBlank() || presented.length() > 200) {
            return Uni.createFrom().nullItem();
        }
        byte[] bytes = presented.getBytes(StandardCharsets.UTF_8);
        if (adminKey.isPresent() && MessageDigest.isEqual(adminKey.get(), bytes)) {
            return Uni.createFrom().item(new Caller(ADMIN_OWNER, ADMIN_OWNER, true));
        }
        String hash = Sha256.hex(presented);
        Known known = recent.get(hash);
        if (known != null && System.nanoTime() - known.atNanos() < CACHE_NANOS) {
            return Uni.createFrom().item(known.caller());
        }
        return Panache.withSession(() -> ApiKey.<ApiKey>find("keyHash = ?1 and revokedAt is null", hash).firstResult())
                .map(key -> {
                    if (key == null) {
                        recent.remove(hash);
                        return null;
                    }
                    Caller caller = new Caller(key.id.toString(), key.ownerId, false);
                    recent.put(hash, new Known(caller, System.nanoTime()));
                    return caller;
                });
    }

    public Uni<Issued> create(String owner, String name) {
        byte[] random = new byte[32];
        RANDOM.nextBytes(random);
        String secret = "cm_" + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        ApiKey key = new ApiKey();
        key.id = UUID.randomUUID();
        key.ownerId = owner;
        key.name = name;
        key.keyHash = Sha256.hex(secret);
        key.prefix = secret.substring(0, 10);
        key.createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        return Panache.withTransaction(() -> key.persist()).replaceWith(new Issued(key, secret));
    }

    public Uni<List<ApiKey>> list() {
        return Panache.withSession(() -> ApiKey.<ApiKey>list("order by createdAt desc"));
    }

    /** Revokes the key and ends the console sessions opened with it; false when there is no such key. Revoking twice is fine. */
    public Uni<Boolean> revoke(UUID id) {
        return Panache.withTransaction(() -> ApiKey.<ApiKey>findById(id).map(key -> {
            if (key == null) {
                return false;
            }
            if (key.revokedAt == null) {
                key.revokedAt = Instant.now();
            }
            recent.remove(key.keyHash);
            return true;
        }).call(found -> found ? Session.delete("keyId", id.toString()) : Uni.createFrom().item(0L)));
    }
}
