package io.contentmachine.publish.accounts;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import io.contentmachine.publish.domain.Platform;
import io.contentmachine.publish.platform.Platforms;
import io.smallrye.mutiny.Uni;

/**
 * An account's rate limits and quotas, kept in PostgreSQL so every replica honours them: a pause (after a 429, a used-up
 * quota, a posting cap) until a time, and TikTok's per-token pace of video inits, counted in a sliding minute. Whoever
 * is held back waits in the job table, never in a worker. Call inside a transaction.
 */
@ApplicationScoped
public class PlatformLimits {

    static final String INIT = "init";
    private static final Duration MINUTE = Duration.ofMinutes(1);

    private final Platforms platforms;

    PlatformLimits(Platforms platforms) {
        this.platforms = platforms;
    }

    /** Why and until when an account's publishings wait. */
    public record Wait(Instant until, String reason, String message) {
    }

    /**
     * Whether the account may call the platform now: empty when it may (a TikTok init slot is then taken, when
     * {@code init} says the next call is an init), else until when it waits and why.
     */
    public Uni<Optional<Wait>> held(String ownerId, Platform platform, boolean init) {
        OptionalInt initsPerMinute = init ? platforms.of(platform).initsPerMinute() : OptionalInt.empty();
        boolean paced = initsPerMinute.isPresent();
        var query = Account.<Account>find("ownerId = ?1 and platform = ?2", ownerId, platform.id());
        // the row lock makes replicas count and take init slots one at a time
        return (paced ? query.withLock(LockModeType.PESSIMISTIC_WRITE) : query).firstResult().chain(account -> {
            Instant now = Instant.now();
            if (account == null) {
                return Uni.createFrom().item(Optional.<Wait>empty());
            }
            if (account.pausedUntil != null && account.pausedUntil.isAfter(now)) {
                return Uni.createFrom().item(Optional.of(new Wait(account.pausedUntil, account.pauseReason, account.pauseMessage)));
            }
            if (!paced) {
                return Uni.createFrom().item(Optional.<Wait>empty());
            }
            return slot(ownerId, platform, INIT, initsPerMinute.getAsInt(), MINUTE, now);
        });
    }

    /** Takes a call slot in the window, or says when the oldest call leaves it. */
    private Uni<Optional<Wait>> slot(String ownerId, Platform platform, String operation, int limit, Duration window, Instant now) {
        Instant since = now.minus(window);
        return AccountCall.delete("ownerId = ?1 and platform = ?2 and operation = ?3 and madeAt <= ?4", ownerId, platform.id(),
                operation, since)
                .chain(() -> AccountCall.<AccountCall>find("ownerId = ?1 and platform = ?2 and operation = ?3 order by madeAt",
                        ownerId, platform.id(), operation).list())
                .chain(calls -> {
                    if (calls.size() < limit) {
                        AccountCall call = new AccountCall();
                        call.id = UUID.randomUUID();
                        call.ownerId = ownerId;
                        call.platform = platform.id();
                        call.operation = operation;
                        call.madeAt = now;
                        return call.persist().replaceWith(Optional.<Wait>empty());
                    }
                    // the slot of the call that leaves the window first; a millisecond more so it has surely left
                    Instant free = calls.get(calls.size() - limit).madeAt.plus(window).plusMillis(1);
                    return Uni.createFrom().item(Optional.of(new Wait(free, "rate_limit", platform.id() + " allows " + limit + " video "
                            + operation + "s a minute per account; this one waits for the next free slot")));
                });
    }

    /** Holds the account back until {@code until} (an earlier pause never shortens a later one). */
    public Uni<Void> pause(String ownerId, Platform platform, Wait wait) {
        return Account.update("pausedUntil = ?1, pauseReason = ?2, pauseMessage = ?3 where ownerId = ?4 and platform = ?5"
                + " and (pausedUntil is null or pausedUntil < ?1)", wait.until(), wait.reason(), wait.message(), ownerId, platform.id())
                .replaceWithVoid();
    }
}
