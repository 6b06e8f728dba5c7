package io.contentmachine.api.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.contentmachine.api.config.ApiConfig;
import io.contentmachine.api.domain.DomainException;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import org.junit.jupiter.api.Test;

/** The catalog cache: refreshed once per TTL in the background, last good one on outage, unavailable (a 503) when there never was one. */
class CatalogCacheTest {

    private static final Catalog CATALOG = new Catalog(List.of(new Catalog.Template("tiktok-bold", "Bold")),
            List.of(new Catalog.Voice("af_heart", "en-US", "espeak-ng", true)), new Catalog.Length(15, 180));

    @Test
    void refusesWith503WhenRenderServiceHasNeverAnswered() {
        CatalogCache cache = new CatalogCache(() -> Uni.createFrom().failure(new IllegalStateException("connection refused")),
                config(Duration.ofSeconds(30)));
        DomainException.Unavailable e = assertThrows(DomainException.Unavailable.class, () -> cache.current().await().indefinitely());
        assertEquals("Render catalog unavailable, try again shortly", e.getMessage());
    }

    @Test
    void cachesForTheTtlAndFallsBackToTheLastGoodCatalog() {
        AtomicInteger calls = new AtomicInteger();
        AtomicReference<Uni<Catalog>> answer = new AtomicReference<>(Uni.createFrom().item(CATALOG));
        CatalogCache cache = new CatalogCache(() -> {
            calls.incrementAndGet();
            return answer.get();
        }, config(Duration.ZERO));
        assertEquals(CATALOG, cache.current().await().indefinitely());
        answer.set(Uni.createFrom().failure(new IllegalStateException("down")));
        assertEquals(CATALOG, cache.current().await().indefinitely());
        assertEquals(2, calls.get());

        AtomicInteger cachedCalls = new AtomicInteger();
        CatalogCache longLived = new CatalogCache(() -> {
            cachedCalls.incrementAndGet();
            return Uni.createFrom().item(CATALOG);
        }, config(Duration.ofMinutes(1)));
        longLived.current().await().indefinitely();
        longLived.current().await().indefinitely();
        assertEquals(1, cachedCalls.get());
    }

    @Test
    void refreshesOnceInTheBackgroundWhileRequestsKeepTheCachedCatalog() {
        AtomicInteger calls = new AtomicInteger();
        List<UniEmitter<? super Catalog>> pending = new CopyOnWriteArrayList<>();
        CatalogCache cache = new CatalogCache(() -> calls.incrementAndGet() == 1 ? Uni.createFrom().item(CATALOG)
                : Uni.createFrom().emitter(pending::add), config(Duration.ZERO));
        assertEquals(CATALOG, cache.current().await().indefinitely());
        // expired, and render-service slow to answer: requests neither wait nor pile up catalog requests
        for (int i = 0; i < 100; i++) {
            assertEquals(CATALOG, cache.current().await().atMost(Duration.ofSeconds(1)));
        }
        assertEquals(2, calls.get());
        Catalog newer = new Catalog(List.of(new Catalog.Template("minimal", "Minimal")), CATALOG.voices(), CATALOG.length());
        pending.get(0).complete(newer);
        assertEquals(newer, cache.current().await().indefinitely());
    }

    private static ApiConfig config(Duration ttl) {
        return new ApiConfig() {
            public Optional<String> adminKey() {
                return Optional.empty();
            }

            public Duration stuckAfter() {
                return Duration.ofMinutes(30);
            }

            public Duration sweepEvery() {
                return Duration.ofMinutes(1);
            }

            public Duration catalogTtl() {
                return ttl;
            }

            public Duration downloadExpiresIn() {
                return Duration.ofHours(1);
            }

            public Dedup dedup() {
                return null;
            }

            public Limits limits() {
                return null;
            }

            public Session session() {
                return null;
            }

            public Console console() {
                return null;
            }
        };
    }
}
