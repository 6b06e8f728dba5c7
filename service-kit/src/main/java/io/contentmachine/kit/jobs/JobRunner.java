package io.contentmachine.kit.jobs;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;

import io.contentmachine.kit.tracing.Traces;
import io.contentmachine.kit.transaction.AfterCommit;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.StatusCode;
import io.quarkus.arc.Arc;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import org.jboss.logging.Logger;

/**
 * Runs a service's jobs from its {@link JobTable}: claims due rows with FOR UPDATE SKIP LOCKED up to the free slots of
 * {@link Settings#concurrency()}, leases each to a run (a fresh token on the row, the attempt counted) and runs it with the
 * service's {@link JobHandler} on a Vert.x context of its own (its own Hibernate Reactive session).
 * <ul>
 * <li>While a run works, a timer renews its lease every third of the lease, with a statement that skips the row when it is
 * locked (by the run's own transaction, which renews it itself in {@link #hold}): waiting on that lock once held every pool
 * connection. A run whose lease is gone (the token changed or was cleared) is told to {@link JobHandler#stop}.</li>
 * <li>Every transaction of a run begins with {@link #hold}: the row locked, the token checked, the lease renewed. A run
 * that lost its lease writes nothing more.</li>
 * <li>Nothing sleeps holding a lease: a run that must wait gives the job back due later ({@link #waitUntil}, or
 * {@link #retryAt} with {@link #backoff} after a failure).</li>
 * <li>A run longer than {@link Settings#maxRun()} is abandoned; its job comes back when its lease ends.</li>
 * <li>Claims happen on a timer ({@link Settings#pollInterval()}, the fallback), when a transaction that inserted a job
 * commits ({@link #wakeAfterCommit}) and when a run ends.</li>
 * </ul>
 * A plain object, not a bean: the service's worker builds one with its table and handler, starts it at startup and stops
 * it on shutdown.
 */
public final class JobRunner {

    private static final Logger LOG = Logger.getLogger(JobRunner.class);
    /** A run this long after its job was made is other work (a schedule, a quota wait): a trace of its own, linked back. */
    static final Duration LATER = Duration.ofMinutes(5);

    /** A claimed job with its stored trace: the span that made it, its project and how long ago it was made. */
    private record Claim(Lease lease, String traceparent, String projectId, double ageSeconds) {
    }

    /**
     * How a runner paces its jobs.
     *
     * @param concurrency runs at once in this replica
     * @param pollInterval how often it looks for due jobs when nothing woke it
     * @param lease how long a claim lasts unless renewed: a replica that died gives its jobs back after it
     * @param maxRun the longest a run may take before it is abandoned
     * @param initialBackoff the first retry's delay; doubles with each attempt
     * @param maxBackoff the longest retry delay
     */
    public record Settings(int concurrency, Duration pollInterval, Duration lease, Duration maxRun, Duration initialBackoff,
            Duration maxBackoff) {
    }

    private final JobTable table;
    private final Settings settings;
    private final JobHandler handler;
    private final Vertx vertx;
    private final Pool pool;
    private final String claim;
    private final String renew;
    private final String held;
    private final String hold;
    private final String retry;
    private final String wait;
    private final Map<UUID, Lease> running = new ConcurrentHashMap<>();
    /** One claim at a time per replica; a wake-up during a claim makes it look once more instead of waiting. */
    private final AtomicBoolean claiming = new AtomicBoolean();
    private final AtomicBoolean again = new AtomicBoolean();
    private volatile boolean started;
    private volatile boolean stopped;
    private long timer = -1;

    public JobRunner(JobTable table, Settings settings, JobHandler handler, Vertx vertx, Pool pool) {
        this.table = table;
        this.settings = settings;
        this.handler = handler;
        this.vertx = vertx;
        this.pool = pool;
        String t = table.name();
        String key = table.key();
        String onClaim = table.onClaim() == null || table.onClaim().isBlank() ? "" : ", " + table.onClaim();
        // a CTE: the locking select runs once, so a claim never takes more than its limit
        this.claim = "with due as (select " + key + " from " + t + " where run_at <= now()"
                + " and (locked_until is null or locked_until < now()) and (" + table.claimable() + ")"
                + " order by run_at limit $1 for update skip locked)"
                + " update " + t + " set lease_token = gen_random_uuid(), locked_until = now() + make_interval(secs => $2),"
                + " attempts = " + t + ".attempts + 1" + onClaim
                + " from due where " + t + "." + key + " = due." + key
                + " returning " + t + "." + key + ", " + t + ".lease_token, " + t + ".attempts"
                + (table.traced() ? ", " + t + ".traceparent, (" + table.project() + ")::text, extract(epoch from now() - "
                        + t + ".traced_at)::float8" : "");
        this.renew = "update " + t + " set locked_until = now() + make_interval(secs => $3) where " + key + " = (select " + key
                + " from " + t + " where " + key + " = $1 and lease_token = $2 for update skip locked)";
        this.held = "select 1 from " + t + " where " + key + " = $1 and lease_token = $2";
        this.hold = "update " + t + " set locked_until = now() + make_interval(secs => ?3) where " + key + " = ?1 and lease_token = ?2";
        this.retry = "update " + t + " set run_at = ?3, locked_until = null, lease_token = null where " + key
                + " = ?1 and lease_token = ?2";
        this.wait = "update " + t + " set run_at = ?3, locked_until = null, lease_token = null, attempts = 0 where " + key
                + " = ?1 and lease_token = ?2";
    }

    /** Starts looking for due jobs: after {@code delay}, then every poll interval and whenever woken. */
    public void start(Duration delay) {
        started = true;
        timer = vertx.setTimer(Math.max(1, delay.toMillis()), first -> {
            if (!stopped) {
                timer = vertx.setPeriodic(Math.max(1, settings.pollInterval().toMillis()), tick -> wake());
                wake();
            }
        });
    }

    /**
     * Stops claiming, tells the running runs to stop and waits up to {@code grace} for them to end (a run that ends in
     * time records its outcome; one that does not leaves its job to its lease's end).
     */
    public void stop(Duration grace) {
        stopped = true;
        vertx.cancelTimer(timer);
        running.values().forEach(lease -> handler.stop(lease, "shutting down"));
        long deadline = System.nanoTime() + grace.toNanos();
        synchronized (running) {
            while (!running.isEmpty() && System.nanoTime() < deadline) {
                try {
                    running.wait(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
        if (!running.isEmpty()) {
            LOG.infof("%s: %d runs still going at shutdown; their jobs come back when their leases end", table.name(),
                    running.size());
        }
    }

    /** Looks for due jobs now, up to the free slots. */
    public void wake() {
        again.set(true);
        if (!started || stopped || !claiming.compareAndSet(false, true)) {
            return;
        }
        Uni.createFrom().deferred(this::claimWhileAsked)
                .eventually(() -> {
                    claiming.set(false);
                    // a wake-up that came between the last look and the release
                    if (again.get()) {
                        wake();
                    }
                })
                .subscribe().with(done -> { }, e -> LOG.warnf("%s: cannot claim jobs now (the timer tries again): %s", table.name(),
                        e.getMessage()));
    }

    /** Wakes this runner once the current transaction (which inserted or moved a job) has committed. */
    public Uni<Void> wakeAfterCommit() {
        return AfterCommit.run(this::wake);
    }

    private Uni<Void> claimWhileAsked() {
        int free = settings.concurrency() - running.size();
        if (!again.getAndSet(false) || free <= 0 || stopped) {
            return Uni.createFrom().voidItem();
        }
        return claims(free).invoke(claims -> claims.forEach(this::dispatch)).chain(this::claimWhileAsked);
    }

    /** Takes up to {@code limit} due jobs and leases each to a new run (without running them: {@link #wake} does). */
    public Uni<List<Lease>> claim(int limit) {
        return claims(limit).map(claims -> claims.stream().map(Claim::lease).toList());
    }

    private Uni<List<Claim>> claims(int limit) {
        return pool.preparedQuery(claim).execute(Tuple.of(limit, seconds(settings.lease()))).map(rows -> {
            List<Claim> claims = new ArrayList<>();
            for (Row row : rows) {
                Lease lease = new Lease(row.getUUID(0), row.getUUID(1), row.getInteger(2));
                claims.add(table.traced() ? new Claim(lease, row.getString(3), row.getString(4),
                        row.getValue(5) == null ? 0 : row.getDouble(5)) : new Claim(lease, null, null, 0));
            }
            return claims;
        });
    }

    /**
     * The run's span: a child of the span that made the job, or, for a run much later than that ({@link #LATER}), the root of
     * a trace of its own with a link to it; null for a table whose runs are not traced.
     */
    private Span span(Claim claim) {
        if (!table.traced()) {
            return null;
        }
        OpenTelemetry telemetry = Arc.container().select(OpenTelemetry.class).get();
        SpanBuilder span = telemetry.getTracer("io.contentmachine.kit").spanBuilder(table.name() + " run")
                .setAttribute("contentmachine.job.table", table.name())
                .setAttribute("contentmachine.job.id", claim.lease().jobId().toString())
                .setAttribute("contentmachine.job.attempt", claim.lease().attempt());
        SpanContext made = Traces.spanContext(claim.traceparent());
        io.opentelemetry.context.Context parent = Traces.withProject(io.opentelemetry.context.Context.root(), claim.projectId());
        if (made.isValid() && claim.ageSeconds() < LATER.toSeconds()) {
            parent = Traces.withProject(Traces.parent(claim.traceparent()), claim.projectId());
        } else if (made.isValid()) {
            span.addLink(made);
        }
        return span.setParent(parent).startSpan();
    }

    private void dispatch(Claim claim) {
        Lease lease = claim.lease();
        Span span = span(claim);
        running.put(lease.jobId(), lease);
        long every = Math.max(100, settings.lease().toMillis() / 3);
        long renewal = vertx.setPeriodic(every, id -> renew(lease, id));
        Context context = VertxContext.createNewDuplicatedContext(vertx.getDelegate().getOrCreateContext());
        VertxContextSafetyToggle.setContextSafe(context, true);
        context.runOnContext(ignored -> Uni.createFrom().deferred(() -> {
            if (span != null) {
                // left current on the run's own context, where every continuation of the run happens; a fresh context per run
                Traces.withProject(io.opentelemetry.context.Context.root().with(span), claim.projectId()).makeCurrent();
            }
            return handler.run(lease);
        })
                .ifNoItem().after(settings.maxRun()).failWith(() -> {
                    handler.stop(lease, "ran longer than " + settings.maxRun());
                    return new IllegalStateException(table.name() + " " + lease.jobId() + ": the run took longer than "
                            + settings.maxRun() + "; abandoned, the job comes back when its lease ends");
                })
                .onTermination().invoke((item, failure, cancelled) -> {
                    if (span != null) {
                        if (failure != null) {
                            span.recordException(failure);
                            span.setStatus(StatusCode.ERROR, String.valueOf(failure.getMessage()));
                        }
                        span.end();
                    }
                    vertx.cancelTimer(renewal);
                    running.remove(lease.jobId());
                    synchronized (running) {
                        running.notifyAll();
                    }
                    wake();
                })
                .subscribe().with(done -> { }, failure -> LOG.errorf(failure, "%s %s: run failed", table.name(), lease.jobId())));
    }

    /** Renews a running job's lease without waiting on its row; a run whose token is gone is told to stop. */
    private void renew(Lease lease, long renewal) {
        pool.preparedQuery(renew).execute(Tuple.of(lease.jobId(), lease.token(), seconds(settings.lease())))
                .chain(rows -> rows.rowCount() == 1 ? Uni.createFrom().item(true)
                        // not renewed: the run's own transaction holds the row (and renews it), or the lease is gone
                        : pool.preparedQuery(held).execute(Tuple.of(lease.jobId(), lease.token())).map(found -> found.size() == 1))
                .subscribe().with(holds -> {
                    if (!holds) {
                        vertx.cancelTimer(renewal);
                        LOG.infof("%s %s: lease lost (cancelled or claimed elsewhere); the run stops", table.name(), lease.jobId());
                        handler.stop(lease, "lease lost");
                    }
                }, failure -> LOG.warnf("%s %s: cannot renew the lease: %s", table.name(), lease.jobId(), failure.getMessage()));
    }

    /**
     * Locks the job's row, checks that {@code lease} still holds it and renews the lease; fails with {@link LeaseLost}
     * otherwise. Call first in every transaction of a run, so two runs of one job never write over each other.
     */
    public Uni<Void> hold(Lease lease) {
        return update(hold, lease, seconds(settings.lease()));
    }

    /** Gives the job back, due at {@code runAt}, as another attempt (a failure to retry); fails with {@link LeaseLost}. */
    public Uni<Void> retryAt(Lease lease, Instant runAt) {
        return update(retry, lease, runAt);
    }

    /** Gives the job back, due at {@code runAt}, with its attempts reset: waiting (a schedule, a quota) is no failure. */
    public Uni<Void> waitUntil(Lease lease, Instant runAt) {
        return update(wait, lease, runAt);
    }

    private Uni<Void> update(String sql, Lease lease, Object third) {
        return Panache.getSession().chain(session -> session.createNativeQuery(sql).setParameter(1, lease.jobId())
                .setParameter(2, lease.token()).setParameter(3, third).executeUpdate())
                .invoke(updated -> {
                    if (updated == 0) {
                        throw new LeaseLost(table.name(), lease.jobId());
                    }
                }).replaceWithVoid();
    }

    /**
     * The delay before retry {@code attempt} (1 = after the first failure): exponential from the initial backoff up to the
     * maximum, with jitter so the retries of many jobs spread out, and never shorter than {@code atLeast} (a Retry-After).
     */
    public Duration backoff(int attempt, Duration atLeast) {
        long initial = Math.max(1, settings.initialBackoff().toMillis());
        long delay = Math.min(initial << Math.min(Math.max(attempt - 1, 0), 20), settings.maxBackoff().toMillis());
        delay = delay / 2 + ThreadLocalRandom.current().nextLong(delay / 2 + 1);
        return Duration.ofMillis(atLeast == null ? delay : Math.max(delay, atLeast.toMillis()));
    }

    /** Runs going on in this replica now. */
    public int runningCount() {
        return running.size();
    }

    private static double seconds(Duration duration) {
        return duration.toMillis() / 1000.0;
    }
}
