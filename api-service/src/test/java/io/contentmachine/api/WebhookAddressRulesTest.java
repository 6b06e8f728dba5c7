package io.contentmachine.api;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import io.contentmachine.testsupport.KafkaResource;
import io.contentmachine.testsupport.PostgresDatabase;
import io.contentmachine.testsupport.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The SSRF rules as production has them (no http, no private addresses): refused at registration with a clear 400, and
 * at delivery for an endpoint whose host resolves to a loopback address by then (no connection is made).
 */
@QuarkusTest
@TestProfile(WebhookAddressRulesTest.Strict.class)
@WithTestResource(PostgresResource.class)
@WithTestResource(KafkaResource.class)
class WebhookAddressRulesTest {

    /** Production's address rules. */
    public static class Strict implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("webhooks.allow-http", "false", "webhooks.allow-private-addresses", "false");
        }
    }

    static WebhookReceiver receiver;

    PostgresDatabase database;

    @BeforeAll
    static void startReceiver() throws Exception {
        receiver = new WebhookReceiver();
    }

    @AfterAll
    static void stopReceiver() throws Exception {
        receiver.close();
    }

    @Test
    void plainHttpAndNonPublicAddressesAreRefusedAtRegistration() {
        String[] owner = Api.newOwner("ssrf");
        Map<String, String> refusals = Map.of(
                "http://example.com/hook", "url: must use https (plain http is not accepted)",
                "https://localhost:8443/hook", "url: host localhost resolves to 127.0.0.1, a loopback address",
                "https://127.0.0.2/hook", "url: host 127.0.0.2 resolves to 127.0.0.2, a loopback address",
                "https://169.254.169.254/latest/meta-data/",
                "url: host 169.254.169.254 resolves to 169.254.169.254, a cloud metadata address",
                "https://10.1.2.3/hook", "url: host 10.1.2.3 resolves to 10.1.2.3, a private address",
                "https://192.168.0.10/hook", "url: host 192.168.0.10 resolves to 192.168.0.10, a private address",
                "https://[::1]/hook", "url: host ::1 resolves to 0:0:0:0:0:0:0:1, a loopback address",
                "https://[fd00::1]/hook", "url: host fd00::1 resolves to fd00:0:0:0:0:0:0:1, a unique-local address",
                "https://[::ffff:127.0.0.1]/hook", "url: host ::ffff:127.0.0.1 resolves to 127.0.0.1, a loopback address",
                "https://100.64.0.1/hook", "url: host 100.64.0.1 resolves to 100.64.0.1, a carrier-grade NAT address");
        refusals.forEach((url, detail) -> Api.as(owner[1]).body(Map.of("url", url)).post("/api/webhooks").then()
                .statusCode(400).body("error", equalTo("Invalid webhook endpoint")).body("details[0]", startsWith(detail)));
        Api.as(owner[1]).get("/api/webhooks").then().statusCode(200).body("items.size()", equalTo(0));
    }

    @Test
    void anAddressThatTurnedPrivateIsRefusedAtDelivery() throws Exception {
        String[] owner = Api.newOwner("rebind");
        // an endpoint that passed registration while its name resolved to a public address; now it resolves to loopback
        UUID endpoint = UUID.randomUUID();
        try (Connection c = database.connect(); PreparedStatement insert = c.prepareStatement("insert into api.webhook_endpoints"
                + " (id, owner_id, url, secret, created_at) values (?, ?, ?, 'sealed', now())")) {
            insert.setObject(1, endpoint);
            insert.setString(2, owner[0]);
            insert.setString(3, "https://localhost:" + receiver.port() + "/rebound");
            insert.executeUpdate();
        }
        String id = Api.create(Api.as(owner[1]), "Rebinding");
        VideoLifecycleTest.send("video.rendered", id, owner[0], Map.of());

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> Api.as(owner[1]).get("/api/webhooks/" + endpoint + "/deliveries").then()
                .body("items[0].attempts", greaterThanOrEqualTo(2))
                .body("items[0].lastError", equalTo("refused: url host localhost resolves to 127.0.0.1, a loopback address; webhooks are"
                        + " only sent to public addresses")));
        assertEquals(0, receiver.connections.get(), "no connection was made");
    }
}
