package io.contentmachine.api.webhooks;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Webhook settings (prefix webhooks; env WEBHOOKS_...). */
@ConfigMapping(prefix = "webhooks")
public interface WebhookConfig {

    /** AES-256 key (base64 of 32 bytes) encrypting the signing secrets at rest; required, env WEBHOOKS_SECRET_KEY. */
    Optional<String> secretKey();

    /** Accept http:// endpoints (the local stack and tests); otherwise only https. */
    @WithDefault("false")
    boolean allowHttp();

    /**
     * Accept endpoints whose host resolves to a private, loopback, link-local, unique-local or other non-public address
     * (the local stack and tests); otherwise refused at registration and at every delivery.
     */
    @WithDefault("false")
    boolean allowPrivateAddresses();

    /** Endpoints one owner may register. */
    @WithDefault("16")
    int maxEndpointsPerOwner();

    /** A delivery is retried for this long after it was created (or resent), then failed and its endpoint disabled. */
    @WithDefault("24H")
    Duration retryWindow();

    /** Wait before the second attempt; doubled at each failure (with jitter) up to backoffMax. */
    @WithDefault("30S")
    Duration backoffFirst();

    @WithDefault("1H")
    Duration backoffMax();

    /** Whole-attempt timeout: connect, send, response head and the (bounded) body. */
    @WithDefault("10S")
    Duration timeout();

    @WithDefault("5S")
    Duration connectTimeout();

    /** Response bytes read (and the first 1 KiB kept in the log); the connection is closed past this. */
    @WithDefault("65536")
    int maxResponseBytes();

    /** Deliveries one replica has in flight at once. */
    @WithDefault("16")
    int concurrency();

    /** How often a replica looks for due deliveries. */
    @WithDefault("1S")
    Duration pollEvery();

    /** After a rotation the previous secret also signs deliveries for this long. */
    @WithDefault("24H")
    Duration rotationOverlap();
}
