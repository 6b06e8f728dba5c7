package io.contentmachine.api.webhooks;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import org.jboss.logging.Logger;

/**
 * Sends pending webhook deliveries. A replica claims due deliveries with FOR UPDATE SKIP LOCKED (a lease, not a lock held
 * during the call), at most webhooks.concurrency in flight; a delivery waits while an earlier one of the same endpoint and
 * project is pending, so each project's events arrive in order without holding up other projects. Each attempt resolves and
 * checks the host again (AddressGuard), connects to that address, follows no redirect, times out, reads at most
 * webhooks.max-response-bytes; a 2xx is delivered, anything else is retried with exponential backoff and jitter until the
 * delivery's deadline, after which it fails and its endpoint is disabled with the reason. Signing secrets are decrypted only
 * to sign, and never logged.
 */
@ApplicationScoped
public class WebhookDispatcher {

    private static final Logger LOG = Logger.getLogger(WebhookDispatcher.class);
    private static final int KEPT_RESPONSE_BYTES = 1024;
    private static final Duration LEASE_MARGIN = Duration.ofSeconds(30);

    /** Due, enabled, not leased, and no earlier pending delivery of the same endpoint and project. */
    private static final String CLAIM = "update webhook_deliveries d set lease_until = now() + $2 * interval '1 millisecond',"
            + " attempts = d.attempts + 1, last_attempt_at = now()"
            + " from webhook_endpoints e where e.id = d.endpoint_id and d.id in ("
            + "select c.id from webhook_deliveries c join webhook_endpoints ce on ce.id = c.endpoint_id"
            + " where c.status = 'pending' and c.next_attempt_at <= now() and (c.lease_until is null or c.lease_until < now())"
            + " and ce.disabled_at is null and not exists (select 1 from webhook_deliveries b where b.endpoint_id = c.endpoint_id"
            + " and b.project_id = c.project_id and b.status = 'pending'"
            + " and (b.sequence < c.sequence or b.sequence = c.sequence and b.created_at < c.created_at))"
            + " order by c.next_attempt_at limit $1 for update of c skip locked)"
            + " returning d.id, d.event_id, d.payload, d.attempts, d.deadline, e.id as endpoint_id, e.url, e.secret,"
            + " e.previous_secret, e.previous_secret_expires_at";
    private static final String DELIVERED = "update webhook_deliveries set status = 'delivered', delivered_at = now(), lease_until = null,"
            + " last_status_code = $2, last_error = null where id = $1";
    private static final String RETRY = "update webhook_deliveries set lease_until = null, next_attempt_at = now() + $2 * interval"
            + " '1 millisecond', last_status_code = $3, last_error = $4 where id = $1";
    private static final String GIVE_UP = "update webhook_deliveries set status = 'failed', lease_until = null, last_status_code = $2,"
            + " last_error = $3 where id = $1";
    private static final String DISABLE = "update webhook_endpoints set disabled_at = now(), disabled_reason = $2"
            + " where id = $1 and disabled_at is null";

    /** One claimed attempt. */
    record Claimed(UUID id, UUID eventId, String payload, int attempt, Instant deadline, UUID endpointId, String url,
            List<String> sealedSecrets) {
    }

    /** How an attempt ended: a status code (0 when no response) and, unless it was a 2xx, what went wrong. */
    record Outcome(int status, String error) {
        boolean delivered() {
            return error == null;
        }
    }

    private final Pool pool;
    private final WebhookConfig config;
    private final AddressGuard guard;
    private final WebhookSecrets secrets;
    private final HttpClient client;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicBoolean claiming = new AtomicBoolean();

    WebhookDispatcher(Pool pool, WebhookConfig config, AddressGuard guard, WebhookSecrets secrets, io.vertx.core.Vertx vertx) {
        this.pool = pool;
        this.config = config;
        this.guard = guard;
        this.secrets = secrets;
        // a connection per attempt (it is pinned to the address checked for that attempt), no redirects, SNI and host
        // verification on the URL's host name
        this.client = vertx.createHttpClient(new HttpClientOptions()
                .setKeepAlive(false)
                .setConnectTimeout((int) config.connectTimeout().toMillis())
                .setForceSni(true)
                .setVerifyHost(true)
                .setMaxPoolSize(Math.max(1, config.concurrency())));
    }

    void close(@Observes ShutdownEvent stop) {
        client.close();
    }

    @Scheduled(every = "${webhooks.poll-every:1S}", delayed = "2s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void poll() {
        pump();
    }

    /** Claims as many due deliveries as there are free slots and starts them; runs again as attempts finish. */
    void pump() {
        int free = config.concurrency() - inFlight.get();
        if (free <= 0 || !claiming.compareAndSet(false, true)) {
            return;
        }
        long lease = config.timeout().plus(LEASE_MARGIN).toMillis();
        pool.preparedQuery(CLAIM).execute(Tuple.of(free, lease))
                .map(rows -> {
                    List<Claimed> claimed = new ArrayList<>();
                    for (Row row : rows) {
                        claimed.add(claimed(row));
                    }
                    return claimed;
                })
                .subscribe().with(claimed -> {
                    claiming.set(false);
                    inFlight.addAndGet(claimed.size());
                    claimed.forEach(this::start);
                    if (claimed.size() == free) {
                        pump();
                    }
                }, failure -> {
                    claiming.set(false);
                    LOG.warnf("cannot claim webhook deliveries: %s", failure.toString());
                });
    }

    private void start(Claimed delivery) {
        attempt(delivery)
                .onFailure().recoverWithItem(e -> new Outcome(0, describe(e)))
                .chain(outcome -> record(delivery, outcome))
                .subscribe().with(ignored -> {
                    inFlight.decrementAndGet();
                    pump();
                }, failure -> {
                    inFlight.decrementAndGet();
                    // the lease expires and another attempt follows
                    LOG.warnf("cannot record webhook delivery %s: %s", delivery.id(), failure.toString());
                });
    }

    /** One attempt: check the address again, connect to it, send, read a bounded response. */
    Uni<Outcome> attempt(Claimed delivery) {
        try {
            return guard.resolve(guard.parse(delivery.url())).chain(checked -> send(delivery, checked));
        } catch (AddressGuard.Refused refused) {
            return Uni.createFrom().item(new Outcome(0, "refused: url " + refused.getMessage()));
        }
    }

    private Uni<Outcome> send(Claimed delivery, AddressGuard.Target target) {
        long now = Instant.now().getEpochSecond();
        List<String> keys = delivery.sealedSecrets().stream().map(secrets::open).toList();
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setHost(target.host())
                .setPort(target.port())
                .setURI(target.pathAndQuery())
                .setSsl(target.https())
                .setServer(SocketAddress.inetSocketAddress(target.port(), target.address().getHostAddress()))
                .setFollowRedirects(false)
                .setConnectTimeout(config.connectTimeout().toMillis())
                .setIdleTimeout(config.timeout().toMillis())
                .putHeader("Content-Type", "application/json")
                .putHeader("User-Agent", "content-machine-webhooks/1.0")
                .putHeader("Webhook-Id", delivery.eventId().toString())
                .putHeader("Webhook-Signature", WebhookSecrets.signature(now, delivery.payload(), keys));
        Promise<Outcome> done = Promise.promise();
        AtomicReference<HttpClientRequest> sent = new AtomicReference<>();
        client.request(options).onFailure(done::tryFail).onSuccess(request -> {
            sent.set(request);
            request.response().onFailure(done::tryFail).onSuccess(response -> {
                int status = response.statusCode();
                Buffer kept = Buffer.buffer();
                AtomicInteger read = new AtomicInteger();
                response.exceptionHandler(done::tryFail);
                response.handler(chunk -> {
                    if (kept.length() < KEPT_RESPONSE_BYTES) {
                        kept.appendBuffer(chunk, 0, Math.min(chunk.length(), KEPT_RESPONSE_BYTES - kept.length()));
                    }
                    if (read.addAndGet(chunk.length()) > config.maxResponseBytes()) {
                        done.tryComplete(outcome(status, kept));
                        request.reset();
                    }
                });
                response.endHandler(end -> done.tryComplete(outcome(status, kept)));
            });
            request.end(Buffer.buffer(delivery.payload())).onFailure(done::tryFail);
        });
        return Uni.createFrom().completionStage(done.future().toCompletionStage())
                .ifNoItem().after(config.timeout()).failWith(() -> new TimeoutException("timed out after " + config.timeout().toMillis()
                        + " ms"))
                .onFailure().invoke(e -> {
                    HttpClientRequest request = sent.get();
                    if (request != null) {
                        request.reset();
                    }
                });
    }

    private static Outcome outcome(int status, Buffer kept) {
        if (status >= 200 && status < 300) {
            return new Outcome(status, null);
        }
        String body = kept.toString().strip();
        String what = status >= 300 && status < 400 ? "HTTP " + status + " (redirects are not followed)" : "HTTP " + status;
        return new Outcome(status, body.isEmpty() ? what : what + ": " + body);
    }

    /** Stores the attempt's outcome: delivered, retried later, or (past the deadline) failed with the endpoint disabled. */
    private Uni<Void> record(Claimed delivery, Outcome outcome) {
        Integer status = outcome.status() == 0 ? null : outcome.status();
        if (outcome.delivered()) {
            return pool.preparedQuery(DELIVERED).execute(Tuple.of(delivery.id(), status)).replaceWithVoid();
        }
        Duration delay = backoff(delivery.attempt());
        LOG.debugf("webhook delivery %s (event %s) attempt %d failed: %s", delivery.id(), delivery.eventId(), delivery.attempt(),
                outcome.error());
        if (!Instant.now().plus(delay).isAfter(delivery.deadline())) {
            return pool.preparedQuery(RETRY).execute(Tuple.of(delivery.id(), delay.toMillis(), status, outcome.error())).replaceWithVoid();
        }
        String reason = "delivery " + delivery.id() + " (event " + delivery.eventId() + ") still failing after " + delivery.attempt()
                + " attempts within the retry window of " + config.retryWindow() + "; last: " + outcome.error();
        LOG.infof("webhook endpoint %s disabled: %s", delivery.endpointId(), reason);
        return pool.withTransaction((SqlConnection connection) -> connection.preparedQuery(GIVE_UP)
                .execute(Tuple.of(delivery.id(), status, outcome.error()))
                .chain(() -> connection.preparedQuery(DISABLE).execute(Tuple.of(delivery.endpointId(), reason))))
                .replaceWithVoid();
    }

    /** Exponential backoff from webhooks.backoff-first, capped at backoff-max, with jitter (between half and all of it). */
    Duration backoff(int attempt) {
        long first = config.backoffFirst().toMillis();
        long capped = Math.min(config.backoffMax().toMillis(), first << Math.min(attempt - 1, 30));
        return Duration.ofMillis(capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1));
    }

    private static String describe(Throwable e) {
        if (e instanceof AddressGuard.Refused refused) {
            return "refused: url " + refused.getMessage();
        }
        if (e instanceof TimeoutException || e instanceof io.netty.handler.timeout.TimeoutException
                || e.getClass().getSimpleName().contains("Timeout")) {
            return "timed out: " + e.getMessage();
        }
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return message.length() > 500 ? message.substring(0, 500) : message;
    }

    private static Claimed claimed(Row row) {
        List<String> sealed = new ArrayList<>();
        sealed.add(row.getString("secret"));
        OffsetDateTime previousUntil = row.getOffsetDateTime("previous_secret_expires_at");
        if (row.getString("previous_secret") != null && previousUntil != null && previousUntil.toInstant().isAfter(Instant.now())) {
            sealed.add(row.getString("previous_secret"));
        }
        return new Claimed(row.getUUID("id"), row.getUUID("event_id"), row.getString("payload"), row.getInteger("attempts"),
                row.getOffsetDateTime("deadline").toInstant(), row.getUUID("endpoint_id"), row.getString("url"), sealed);
    }
}
