package io.contentmachine.api.client;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;

import io.contentmachine.api.config.ApiConfig;
import io.contentmachine.api.domain.DomainException;
import io.smallrye.mutiny.Uni;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

/**
 * render-service's catalog, refreshed once per TTL in the background while requests use the cached one. When render-service
 * is down the last good catalog is used; with none yet, requests wait for it and are refused with 503 rather than accepted
 * unvalidated.
 */
@ApplicationScoped
public class CatalogCache {

    private static final Logger LOG = Logger.getLogger(CatalogCache.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(3);

    private record Fetched(Catalog catalog, long atNanos) {
    }

    private final RenderClient render;
    private final long ttlNanos;
    private final AtomicReference<Fetched> last = new AtomicReference<>();
    private final AtomicBoolean refreshing = new AtomicBoolean();

    CatalogCache(@RestClient RenderClient render, ApiConfig config) {
        this.render = render;
        this.ttlNanos = config.catalogTtl().toNanos();
    }

    public Uni<Catalog> current() {
        Fetched cached = last.get();
        if (cached == null) {
            return fetch();
        }
        if (System.nanoTime() - cached.atNanos() >= ttlNanos && refreshing.compareAndSet(false, true)) {
            // one refresh at a time while requests keep the cached catalog: under load, every request arriving after the
            // TTL would otherwise wait for (and send) its own catalog request
            fetch().onTermination().invoke(() -> refreshing.set(false)).subscribe().with(catalog -> { }, failure -> { });
        }
        return Uni.createFrom().item(cached.catalog());
    }

    private Uni<Catalog> fetch() {
        return render.catalog()
                .ifNoItem().after(TIMEOUT).fail()
                .invoke(catalog -> last.set(new Fetched(catalog, System.nanoTime())))
                .onFailure().recoverWithUni(failure -> {
                    Fetched stale = last.get();
                    if (stale != null) {
                        LOG.warnf("render catalog unavailable (%s); using the last good one", failure.toString());
                        return Uni.createFrom().item(stale.catalog());
                    }
                    LOG.warnf("render catalog unavailable (%s) and none cached", failure.toString());
                    return Uni.createFrom().failure(new DomainException.Unavailable("Render catalog unavailable, try again shortly"));
                });
    }
}
