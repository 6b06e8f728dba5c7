package io.contentmachine.api.domain;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import io.contentmachine.api.config.ApiConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The two limits on creating projects: a key's creates in the last minute and an owner's projects in flight. Both are
 * counted from the projects table in one query, so every gateway replica applies the same limits (nothing is kept in
 * one replica's memory). They are checked twice: early ({@link #check}), so a refused caller costs no duplicate check,
 * and again where the project is inserted ({@link #insertWithin}), in a transaction holding a lock on the owner, so
 * concurrent creates (on any replica) cannot pass the same count.
 */
@ApplicationScoped
public class CreateLimits {

    static final Duration WINDOW = Duration.ofMinutes(1);
    /** What a caller over the in-flight cap is told to wait: a render of a short video takes about this long. */
    static final long IN_FLIGHT_RETRY_AFTER_SECONDS = 30;

    private static final String COUNT = """
            select (select count(*) from api.projects where owner_id = $1 and status in ('processing', 'rendered')) as in_flight,
                   count(*) as recent, min(created_at) as oldest
            from api.projects where key_id = $2 and created_at > $3
            """;
    /** One owner's creates queue here for the few milliseconds of a count and an insert; other owners' do not. */
    private static final String LOCK_OWNER = "select pg_advisory_xact_lock(hashtext('api.projects'), hashtext($1))";

    private final int perMinute;
    private final int maxInFlight;
    private final Pool pool;

    CreateLimits(ApiConfig config, Pool pool) {
        this.perMinute = config.limits().createsPerMinute();
        this.maxInFlight = config.limits().maxInFlight();
        this.pool = pool;
    }

    /** Fails with {@link DomainException.LimitReached} when the caller may not create a project now. */
    public Uni<Void> check(Caller caller) {
        return enabled() ? check(pool, caller) : Uni.createFrom().voidItem();
    }

    /**
     * Runs the insert of a new project (on the pool when the limits are off); with limits, in a transaction that first
     * takes the owner's lock and counts again, so the count it passes includes every create committed before it.
     */
    public <T> Uni<T> insertWithin(Caller caller, Function<SqlClient, Uni<T>> insert) {
        if (!enabled()) {
            return insert.apply(pool);
        }
        return pool.withTransaction(connection -> connection.preparedQuery(LOCK_OWNER).execute(Tuple.of(caller.ownerId()))
                .chain(() -> check(connection, caller))
                .chain(() -> insert.apply(connection)));
    }

    private boolean enabled() {
        return perMinute > 0 || maxInFlight > 0;
    }

    private Uni<Void> check(SqlClient client, Caller caller) {
        Instant now = Instant.now();
        return client.preparedQuery(COUNT).execute(Tuple.of(caller.ownerId(), caller.keyId(), now.minus(WINDOW).atOffset(ZoneOffset.UTC)))
                .invoke(rows -> refuseOver(rows.iterator().next(), now))
                .replaceWithVoid();
    }

    private void refuseOver(Row counts, Instant now) {
        if (perMinute > 0 && counts.getLong("recent") >= perMinute) {
            OffsetDateTime oldest = counts.getOffsetDateTime("oldest");
            long wait = Duration.between(now, oldest.toInstant().plus(WINDOW)).toMillis();
            throw new DomainException.LimitReached("Rate limit exceeded", List.of(perMinute + " creates per minute per key"),
                    Math.max(1, (wait + 999) / 1000));
        }
        if (maxInFlight > 0 && counts.getLong("in_flight") >= maxInFlight) {
            throw new DomainException.LimitReached("Too many projects in flight",
                    List.of("at most " + maxInFlight + " projects processing per owner"), IN_FLIGHT_RETRY_AFTER_SECONDS);
        }
    }
}
