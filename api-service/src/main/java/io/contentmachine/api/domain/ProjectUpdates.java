package io.contentmachine.api.domain;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.contentmachine.api.webhooks.WebhookEvents;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;
import io.smallrye.mutiny.subscription.Cancellable;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.pubsub.PgSubscriber;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgConnectOptions;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.jboss.logging.Logger;

/**
 * Live updates of one project for Server-Sent Events. Whichever replica applies an event announces the change with a
 * PostgreSQL NOTIFY in the same transaction (delivered on commit, to every replica's LISTEN connection); a stream reads
 * its project's row when told and emits on every change of status or progress, ending after a final state. A slow poll
 * covers the moments the LISTEN connection is down.
 */
@ApplicationScoped
public class ProjectUpdates {

    private static final Logger LOG = Logger.getLogger(ProjectUpdates.class);
    static final String CHANNEL = "api_project_updates";
    private static final Duration FALLBACK_POLL = Duration.ofSeconds(5);
    private static final Duration MAX_STREAM = Duration.ofHours(1);
    /**
     * The project and whether its publishing is over: every requested platform has a final publishing and none is still in
     * progress (a republish counts), whatever the outcomes, so a project whose publishings all failed ends its stream too.
     */
    private static final String SNAPSHOT = "select p.status, p.progress_stage, p.progress_percent, p.failure_stage, p.failure_reason,"
            + " p.publish, not exists (select 1 from jsonb_array_elements_text(coalesce(p.publish::jsonb -> 'platforms', '[]'::jsonb))"
            + " r(platform) where not exists (select 1 from api.publishings u where u.project_id = p.id and u.platform = r.platform"
            + " and u.status in ('scheduled', 'published', 'failed')))"
            + " and not exists (select 1 from api.publishings u where u.project_id = p.id"
            + " and u.status not in ('scheduled', 'published', 'failed')) as publishing_over"
            + " from api.projects p where p.id = $1";
    private static final String ANNOUNCE = "select 1 from pg_notify('" + CHANNEL + "', ?1)";

    /** One SSE event: the project's status, its render progress, and the failure once failed. */
    @Schema(name = "ProjectUpdate")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Update(UUID projectId, String status, String stage, Integer percent, String failureStage, String failureReason,
            @Schema(description = "true on the last event of the stream") boolean last) {
    }

    private final Pool pool;
    private final WebhookEvents webhooks;
    private final PgSubscriber subscriber;
    private final Flow.Processor<UUID, UUID> changes = BroadcastProcessor.<UUID>create().serialized();
    private volatile Cancellable connecting;

    ProjectUpdates(Pool pool, WebhookEvents webhooks, Vertx vertx, @ConfigProperty(name = "quarkus.datasource.reactive.url") String url,
            @ConfigProperty(name = "quarkus.datasource.username") String user,
            @ConfigProperty(name = "quarkus.datasource.password") Optional<String> password) {
        this.pool = pool;
        this.webhooks = webhooks;
        // LISTEN needs its own connection, outside the pool: built from the URL and credentials only, so connection options
        // such as TLS go in the URL (e.g. ?sslmode=require)
        PgConnectOptions options = PgConnectOptions.fromUri(url).setUser(user);
        password.ifPresent(options::setPassword);
        this.subscriber = PgSubscriber.subscriber(vertx, options).reconnectPolicy(retries -> 2000L);
    }

    void listen(@Observes StartupEvent start) {
        subscriber.channel(CHANNEL).handler(payload -> {
            try {
                changes.onNext(UUID.fromString(payload));
            } catch (IllegalArgumentException e) {
                LOG.warnf("ignoring notification %s on %s", payload, CHANNEL);
            }
        });
        // the reconnect policy covers a lost connection; the first connection is retried here
        connecting = subscriber.connect()
                .onFailure().invoke(failure -> LOG.warnf("cannot LISTEN on %s (%s): live updates poll every %s until it can",
                        CHANNEL, failure, FALLBACK_POLL))
                .onFailure().retry().withBackOff(Duration.ofSeconds(1), Duration.ofSeconds(30)).indefinitely()
                .subscribe().with(ok -> LOG.debugf("listening on %s", CHANNEL), failure -> { });
    }

    void close(@Observes ShutdownEvent stop) {
        if (connecting != null) {
            connecting.cancel();
        }
        subscriber.closeAndAwait();
    }

    /**
     * Tells every replica's streams that the project changed, and writes the webhook deliveries announcing what changed; call
     * inside the transaction that changes it.
     */
    public Uni<Void> announce(UUID projectId) {
        return Panache.getSession()
                .chain(session -> session.createNativeQuery(ANNOUNCE).setParameter(1, projectId.toString()).getSingleResult())
                .chain(() -> webhooks.capture(projectId));
    }

    public Multi<Update> follow(UUID projectId) {
        AtomicBoolean ended = new AtomicBoolean();
        Multi<Object> told = Multi.createFrom().publisher(changes).select().where(projectId::equals).map(id -> (Object) id);
        Multi<Object> polled = Multi.createFrom().ticks().startingAfter(Duration.ofMillis(1)).every(FALLBACK_POLL)
                .map(tick -> (Object) tick);
        return Multi.createBy().merging().streams(told, polled)
                // while a snapshot is read, later triggers collapse into one (the next read sees them all)
                .onOverflow().dropPreviousItems()
                .select().first(MAX_STREAM)
                .onItem().transformToUniAndConcatenate(trigger -> snapshot(projectId))
                // passes the first final snapshot, completes at the next one
                .select().first(update -> {
                    boolean open = !ended.get();
                    if (update.last()) {
                        ended.set(true);
                    }
                    return open;
                })
                .skip().repetitions();
    }

    private Uni<Update> snapshot(UUID projectId) {
        return pool.preparedQuery(SNAPSHOT).execute(Tuple.of(projectId)).map(rows -> {
            if (rows.size() == 0) {
                return new Update(projectId, "deleted", null, null, null, null, true);
            }
            Row row = rows.iterator().next();
            String status = row.getString("status");
            boolean last = switch (status) {
                case "published", "failed", "deleted" -> true;
                case "stored" -> row.getString("publish") == null || Boolean.TRUE.equals(row.getBoolean("publishing_over"));
                default -> false;
            };
            return new Update(projectId, status, row.getString("progress_stage"), row.getInteger("progress_percent"),
                    row.getString("failure_stage"), row.getString("failure_reason"), last);
        });
    }
}
