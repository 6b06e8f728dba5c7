package io.contentmachine.api.domain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.contentmachine.api.config.ApiConfig;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * Console sessions: an API key is exchanged once for a random token that travels in an httpOnly cookie; the database keeps
 * its SHA-256 only. A session ends when it expires, at sign-out, or when its API key is revoked. Its CSRF token is derived
 * from the session token, so a page that can read it must have been given it by this server.
 */
@ApplicationScoped
public class SessionService {

    private static final SecureRandom RANDOM = new SecureRandom();

    /** A session just opened: the token goes into the cookie, never into the page. */
    public record Opened(Session session, String token) {
    }

    private final ApiConfig config;

    SessionService(ApiConfig config) {
        this.config = config;
    }

    /** Opens a session for a verified caller; also forgets expired sessions. */
    public Uni<Opened> open(Caller caller) {
        byte[] random = new byte[32];
        RANDOM.nextBytes(random);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Session session = new Session();
        session.id = UUID.randomUUID();
        session.tokenHash = Sha256.hex(token);
        session.keyId = caller.keyId();
        session.ownerId = caller.ownerId();
        session.admin = caller.admin();
        session.createdAt = now;
        session.expiresAt = now.plus(config.session().lifetime());
        return Panache.withTransaction(() -> Session.delete("expiresAt < ?1", now).chain(() -> session.persist()))
                .replaceWith(new Opened(session, token));
    }

    /** The live session of a cookie's token, or null when unknown, expired or ended. */
    public Uni<Session> find(String token) {
        if (token == null || token.isBlank() || token.length() > 100) {
            return Uni.createFrom().nullItem();
        }
        return Panache.withSession(() -> Session.<Session>find("tokenHash = ?1 and expiresAt > ?2",
                Sha256.hex(token), Instant.now()).firstResult());
    }

    /** Ends the session of a cookie's token (sign-out); nothing when there is none. */
    public Uni<Void> close(String token) {
        if (token == null || token.isBlank()) {
            return Uni.createFrom().voidItem();
        }
        return Panache.withTransaction(() -> Session.delete("tokenHash", Sha256.hex(token))).replaceWithVoid();
    }

    /** The CSRF token of a session token: writes made with the cookie must send it in the X-CSRF-Token header. */
    public static String csrf(String token) {
        return Sha256.hex("csrf:" + token);
    }

    /** Whether a presented CSRF token belongs to the session token (constant time). */
    public static boolean csrfMatches(String token, String presented) {
        return presented != null && MessageDigest.isEqual(csrf(token).getBytes(StandardCharsets.UTF_8),
                presented.getBytes(StandardCharsets.UTF_8));
    }

    /** Binds the OAuth state of a connection this session started, so that its callback must come back to this session. */
    public Uni<Void> bindOAuthState(UUID sessionId, String state) {
        return Panache.withTransaction(() -> Session.update("oauthStateHash = ?1 where id = ?2", Sha256.hex(state), sessionId))
                .replaceWithVoid();
    }

    /** The live session that started the connection with this OAuth state, or null (a connection started with an API key). */
    public Uni<Session> byOAuthState(String state) {
        return Panache.withSession(() -> Session.<Session>find("oauthStateHash = ?1 and expiresAt > ?2",
                Sha256.hex(state), Instant.now()).firstResult());
    }

    /** Forgets a session's pending OAuth state: a state is used once. */
    public Uni<Void> clearOAuthState(UUID sessionId) {
        return Panache.withTransaction(() -> Session.update("oauthStateHash = null where id = ?1", sessionId)).replaceWithVoid();
    }
}
