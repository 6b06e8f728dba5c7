package io.contentmachine.api.domain;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.contentmachine.api.api.ApiException;
import io.contentmachine.api.config.ApiConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The two limits on creating projects: a key's creates in the last minute and an owner's projects in flight. Both are
 * counted from the projects table in one query, so every gateway replica applies the same limits (nothing is kept in
 * one replica's memory). Concurrent creates of one key may pass the same count: the limit is exact between requests,
 * and at most the number of concurrent requests over it within one.
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

    private final int perMinute;
    private final int maxInFlight;
    private final Pool pool;

    CreateLimits(ApiConfig config, Pool pool) {
        this.perMinute = config.limits().createsPerMinute();
        this.maxInFlight = config.limits().maxInFlight();
        this.pool = pool;
    }

    /** Fails with a 429 (and Retry-After) when the caller may not create a project now. */
    public Uni<Void> check(Caller caller) {
        if (perMinute <= 0 && maxInFlight <= 0) {
            return Uni.createFrom().voidItem();
        }
        Instant now = Instant.now();
        return pool.preparedQuery(COUNT).execute(Tuple.of(caller.ownerId(), caller.keyId(), now.minus(WINDOW).atOffset(ZoneOffset.UTC)))
                .invoke(rows -> refuseOver(rows.iterator().next(), now))
                .replaceWithVoid();
    }

    private void refuseOver(Row counts, Instant now) {
        if (perMinute > 0 && counts.getLong("recent") >= perMinute) {
            OffsetDateTime oldest = counts.getOffsetDateTime("oldest");
            long wait = Duration.between(now, oldest.toInstant().plus(WINDOW)).toMillis();
            throw new ApiException(429, "Rate limit exceeded", List.of(perMinute + " creates per minute per key"),
                    null, Map.of("Retry-After", String.valueOf(Math.max(1, (wait + 999) / 1000))));
        }
        if (maxInFlight > 0 && counts.getLong("in_flight") >= maxInFlight) {
            throw new ApiException(429, "Too many projects in flight", List.of("at most " + maxInFlight + " projects processing per owner"),
                    null, Map.of("Retry-After", String.valueOf(IN_FLIGHT_RETRY_AFTER_SECONDS)));
        }
    }
}
