package io.contentmachine.api;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import io.contentmachine.testsupport.KafkaResource;
import io.contentmachine.testsupport.PostgresDatabase;
import io.contentmachine.testsupport.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Webhooks end to end: pipeline events fed through Kafka change projects, and a real HTTP receiver on localhost gets the
 * signed events — in order per project, retried after a 500 and a timeout, the endpoint disabled after the (short, test
 * profile) retry window, resent on request. The test profile allows http and loopback addresses for this receiver.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(KafkaResource.class)
class WebhooksTest {

    static final Duration WAIT = Duration.ofSeconds(30);
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

    /** Registers an endpoint at the receiver's path; returns {id, secret}. */
    static String[] register(String key, String path) {
        JsonPath created = Api.as(key).body(Map.of("url", receiver.url(path), "description", "test " + path)).post("/api/webhooks")
                .then().statusCode(201).header("Location", containsString("/api/webhooks/"))
                .body("secret", startsWith("whsec_")).body("status", equalTo("enabled")).extract().jsonPath();
        return new String[] {created.getString("id"), created.getString("secret")};
    }

    /**
     * Moves a project through rendered and stored to published, through Kafka as the pipeline would, each event after the
     * previous one applied (the topics are consumed concurrently).
     */
    static void runPipeline(String id, String[] owner) {
        VideoLifecycleTest.send("video.rendered", id, owner[0], Map.of());
        awaitStatus(id, owner, "rendered");
        VideoLifecycleTest.send("video.stored", id, owner[0], Map.of());
        awaitStatus(id, owner, "stored");
        VideoLifecycleTest.send("video.published", id, owner[0], Map.of("publishingId", UUID.randomUUID().toString()));
        awaitStatus(id, owner, "published");
    }

    static void awaitStatus(String id, String[] owner, String status) {
        await().atMost(WAIT).untilAsserted(() -> Api.as(owner[1]).get("/api/videos/" + id).then().body("status", equalTo(status)));
    }

    @Test
    void eventsAreSignedInOrderAndTheSecretIsShownOnce() throws Exception {
        String[] owner = Api.newOwner("hooks");
        String[] endpoint = register(owner[1], "/signed");
        // the secret is never returned again, nor stored in clear
        Api.as(owner[1]).get("/api/webhooks/" + endpoint[0]).then().statusCode(200)
                .body("url", equalTo(receiver.url("/signed"))).body("$", not(hasKey("secret")))
                .body("events", equalTo(List.of("project.status_changed", "publishing.status_changed")));
        Api.as(owner[1]).get("/api/webhooks").then().statusCode(200)
                .body("items.id", equalTo(List.of(endpoint[0]))).body("items[0]", not(hasKey("secret")));
        String stored = text("select secret from api.webhook_endpoints where id = '" + endpoint[0] + "'");
        assertFalse(stored.contains(endpoint[1].substring(6)), "the secret is stored encrypted");
        // another owner sees nothing of it
        String[] other = Api.newOwner("other");
        Api.as(other[1]).get("/api/webhooks/" + endpoint[0]).then().statusCode(404).body("error", equalTo("Not found"));
        Api.as(other[1]).get("/api/webhooks").then().statusCode(200).body("items.id", not(hasItem(endpoint[0])));

        String id = Api.create(Api.as(owner[1]), "Webhooks tell the story");
        runPipeline(id, owner);
        await().atMost(WAIT).until(() -> receiver.at("/signed").size() >= 4);
        List<WebhookReceiver.Received> got = receiver.at("/signed");
        assertEquals(4, got.size());
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < got.size(); i++) {
            WebhookReceiver.Received r = got.get(i);
            JsonNode event = r.json();
            assertTrue(r.signedWith(endpoint[1]), "signature " + r.signature() + " verifies");
            assertFalse(r.signedWith("whsec_not-the-secret"));
            assertEquals(1, r.v1Count());
            assertEquals(event.path("id").asText(), r.eventId(), "Webhook-Id is the event id");
            assertEquals(id, event.path("projectId").asText());
            assertEquals(i + 1, event.path("sequence").asInt(), "sequence numbers follow the order of the changes");
            seen.add(event.path("type").asText() + ":" + event.path("data").path("status").asText());
        }
        assertEquals(List.of("project.status_changed:rendered", "project.status_changed:stored", "publishing.status_changed:published",
                "project.status_changed:published"), seen);
        JsonNode publishing = got.get(2).json().path("data");
        assertEquals("youtube", publishing.path("platform").asText());
        assertEquals("https://www.youtube.com/shorts/dQw4w9WgXcQ", publishing.path("url").asText());
        assertEquals("stored", got.get(3).json().path("data").path("previousStatus").asText());
        // a signature's timestamp is the time of the attempt, in seconds
        long t = Long.parseLong(got.get(0).signature().split(",")[0].substring(2));
        assertTrue(Math.abs(System.currentTimeMillis() / 1000 - t) < 120, "t=" + t);

        JsonPath log = Api.as(owner[1]).get("/api/webhooks/" + endpoint[0] + "/deliveries").then().statusCode(200).extract().jsonPath();
        assertEquals(List.of("delivered", "delivered", "delivered", "delivered"), log.getList("items.status"));
        assertEquals(List.of(4, 3, 2, 1), log.getList("items.sequence"), "newest first");
        assertEquals(List.of(1, 1, 1, 1), log.getList("items.attempts"));
        assertEquals(200, log.getInt("items[0].lastStatusCode"));
        assertEquals("published", log.getString("items[0].payload.data.status"));

        // deleting the project is a change too
        Api.as(owner[1]).delete("/api/videos/" + id).then().statusCode(204);
        await().atMost(WAIT).until(() -> receiver.at("/signed").size() == 5);
        assertEquals("deleted", receiver.at("/signed").get(4).json().path("data").path("status").asText());
        assertEquals(5, receiver.at("/signed").get(4).json().path("sequence").asInt());
    }

    @Test
    void aRotatedSecretSignsBesideTheOldOneDuringTheOverlap() {
        String[] owner = Api.newOwner("rotate");
        String[] endpoint = register(owner[1], "/rotated");
        JsonPath rotated = Api.as(owner[1]).post("/api/webhooks/" + endpoint[0] + "/rotate-secret").then().statusCode(200)
                .body("secret", startsWith("whsec_")).body("previousSecretExpiresAt", notNullValue()).extract().jsonPath();
        String secret = rotated.getString("secret");
        assertNotEquals(endpoint[1], secret);
        Api.as(owner[1]).get("/api/webhooks/" + endpoint[0]).then().body("$", not(hasKey("secret")))
                .body("previousSecretExpiresAt", notNullValue());

        String id = Api.create(Api.as(owner[1]), "Rotation");
        VideoLifecycleTest.send("video.rendered", id, owner[0], Map.of());
        await().atMost(WAIT).until(() -> receiver.at("/rotated").size() == 1);
        WebhookReceiver.Received r = receiver.at("/rotated").get(0);
        assertEquals(2, r.v1Count(), r.signature());
        assertTrue(r.signedWith(secret), "new secret");
        assertTrue(r.signedWith(endpoint[1]), "old secret, during the overlap");
    }

    @Test
    void eachProjectsEventsArriveInOrderWithoutHoldingUpOtherProjects() throws Exception {
        String[] owner = Api.newOwner("order");
        register(owner[1], "/ordered");
        // the first project's events are refused until every other project's events arrived: they go out meanwhile (no
        // head-of-line blocking across projects) while the refused project's later events wait behind its first one
        List<String> projects = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            projects.add(Api.create(Api.as(owner[1]), "Order " + i));
        }
        String blocked = projects.get(0);
        receiver.script("/ordered", (n, body) -> body.contains(blocked)
                && receiver.at("/ordered").stream().filter(r -> r.answered() == 200).count() < 5 * 4 ? 500 : 200);
        // the refused project goes first; the others start once its first delivery was refused
        ExecutorService threads = Executors.newFixedThreadPool(projects.size());
        try {
            List<Future<?>> runs = new ArrayList<>();
            runs.add(threads.submit(() -> runPipeline(blocked, owner)));
            await().atMost(WAIT).until(() -> receiver.at("/ordered").stream().anyMatch(r -> r.answered() == 500));
            projects.subList(1, projects.size()).forEach(id -> runs.add(threads.submit(() -> runPipeline(id, owner))));
            for (Future<?> run : runs) {
                run.get(60, TimeUnit.SECONDS);
            }
        } finally {
            threads.shutdownNow();
        }

        await().atMost(WAIT).until(() -> receiver.at("/ordered").stream().filter(r -> r.answered() == 200).count() == 6 * 4);
        Map<String, List<Integer>> sequences = new HashMap<>();
        List<String> refusedEvents = new ArrayList<>();
        for (WebhookReceiver.Received r : receiver.at("/ordered")) {
            JsonNode event = r.json();
            String project = event.path("projectId").asText();
            if (r.answered() == 200) {
                sequences.computeIfAbsent(project, p -> new ArrayList<>()).add(event.path("sequence").asInt());
            } else {
                assertEquals(blocked, project);
                assertEquals(1, event.path("sequence").asInt(), "only the head of the refused project's queue is attempted");
                refusedEvents.add(r.eventId());
            }
        }
        for (String id : projects) {
            assertEquals(List.of(1, 2, 3, 4), sequences.get(id), "project " + id + " in order, each event once");
        }
        assertFalse(refusedEvents.isEmpty());
        assertEquals(1, refusedEvents.stream().distinct().count(), "the same event at each attempt");
        List<WebhookReceiver.Received> ok = receiver.at("/ordered").stream().filter(r -> r.answered() == 200).toList();
        assertTrue(ok.subList(0, 20).stream().noneMatch(r -> r.body().contains(blocked)), "other projects went first");
    }

    @Test
    void aDeliveryIsRetriedAfterA500AndAfterATimeout() {
        String[] owner = Api.newOwner("retry");
        String[] failing = register(owner[1], "/flaky");
        String[] slow = register(owner[1], "/slow");
        receiver.script("/flaky", n -> n == 1 ? 500 : 200);
        receiver.script("/slow", n -> n == 1 ? WebhookReceiver.HANG : 200);
        String id = Api.create(Api.as(owner[1]), "Retries");
        VideoLifecycleTest.send("video.rendered", id, owner[0], Map.of());

        for (String[] endpoint : List.of(failing, slow)) {
            String path = endpoint == failing ? "/flaky" : "/slow";
            await().atMost(WAIT).untilAsserted(() -> Api.as(owner[1]).get("/api/webhooks/" + endpoint[0] + "/deliveries").then()
                    .body("items[0].status", equalTo("delivered")).body("items[0].attempts", equalTo(2))
                    .body("items[0].lastStatusCode", equalTo(200)));
            List<WebhookReceiver.Received> got = receiver.at(path);
            assertEquals(2, got.size());
            assertEquals(got.get(0).eventId(), got.get(1).eventId(), "the same event, attempted again");
            assertEquals(got.get(0).body(), got.get(1).body());
            assertTrue(got.get(1).signedWith(endpoint[1]));
        }
        assertEquals(500, receiver.at("/flaky").get(0).answered());
        assertEquals(WebhookReceiver.HANG, receiver.at("/slow").get(0).answered());
    }

    @Test
    void aRedirectIsNotFollowed() {
        String[] owner = Api.newOwner("redirect");
        String[] endpoint = register(owner[1], "/moved");
        receiver.script("/moved", n -> 307);
        String id = Api.create(Api.as(owner[1]), "Redirects");
        VideoLifecycleTest.send("video.rendered", id, owner[0], Map.of());
        await().atMost(WAIT).untilAsserted(() -> Api.as(owner[1]).get("/api/webhooks/" + endpoint[0] + "/deliveries").then()
                .body("items[0].lastStatusCode", equalTo(307))
                .body("items[0].lastError", equalTo("HTTP 307 (redirects are not followed): receiver says 307")));
        assertTrue(receiver.received.stream().allMatch(r -> r.path().equals("/moved") || !r.body().contains(id)));
    }

    @Test
    void anEndpointFailingForTheWholeRetryWindowIsDisabledAndCanResend() throws Exception {
        String[] owner = Api.newOwner("down");
        String[] endpoint = register(owner[1], "/down");
        receiver.script("/down", n -> 500);
        String id = Api.create(Api.as(owner[1]), "Always down");
        VideoLifecycleTest.send("video.rendered", id, owner[0], Map.of());

        // the test profile's retry window is 20 s
        await().atMost(WAIT.multipliedBy(2)).untilAsserted(() -> Api.as(owner[1]).get("/api/webhooks/" + endpoint[0]).then()
                .body("status", equalTo("disabled"))
                .body("disabledReason", containsString("HTTP 500: receiver says 500"))
                .body("disabledAt", notNullValue()));
        JsonPath log = Api.as(owner[1]).get("/api/webhooks/" + endpoint[0] + "/deliveries").then().statusCode(200).extract().jsonPath();
        assertEquals("failed", log.getString("items[0].status"));
        int attempts = log.getInt("items[0].attempts");
        assertTrue(attempts >= 3, "retried with backoff within the window: " + attempts);
        assertEquals(attempts, receiver.at("/down").size());
        String deliveryId = log.getString("items[0].id");
        String eventId = log.getString("items[0].eventId");

        // a disabled endpoint gets nothing new and resends nothing until enabled
        VideoLifecycleTest.send("video.stored", id, owner[0], Map.of());
        await().atMost(WAIT).untilAsserted(() -> Api.as(owner[1]).get("/api/videos/" + id).then().body("status", equalTo("stored")));
        Api.as(owner[1]).post("/api/webhooks/" + endpoint[0] + "/deliveries/" + deliveryId + "/resend").then().statusCode(409)
                .body("error", equalTo("Webhook endpoint disabled"));
        receiver.script("/down", n -> 200);
        Api.as(owner[1]).post("/api/webhooks/" + endpoint[0] + "/enable").then().statusCode(200).body("status", equalTo("enabled"))
                .body("$", not(hasKey("disabledReason")));
        String resent = Api.as(owner[1]).post("/api/webhooks/" + endpoint[0] + "/deliveries/" + deliveryId + "/resend").then()
                .statusCode(202).body("eventId", equalTo(eventId)).body("resendOf", equalTo(deliveryId)).body("status", equalTo("pending"))
                .extract().path("id");
        await().atMost(WAIT).untilAsserted(() -> Api.as(owner[1]).get("/api/webhooks/" + endpoint[0] + "/deliveries").then()
                .body("items.find { it.id == '" + resent + "' }.status", equalTo("delivered")));
        WebhookReceiver.Received last = receiver.at("/down").get(receiver.at("/down").size() - 1);
        assertEquals(eventId, last.eventId());
        assertEquals(200, last.answered());
        assertTrue(last.signedWith(endpoint[1]));
        // the status change made while it was disabled was not queued for it
        assertEquals(0, count("select count(*) from api.webhook_deliveries where endpoint_id = '" + endpoint[0]
                + "' and event_type = 'project.status_changed' and payload like '%\"status\":\"stored\"%'"));
    }

    @Test
    void badRegistrationsGetClear400sAndTheOwnerLimitA409() {
        String[] owner = Api.newOwner("bad");
        Api.as(owner[1]).body(Map.of("url", "not a url")).post("/api/webhooks").then().statusCode(400)
                .body("error", equalTo("Invalid webhook endpoint")).body("details[0]", startsWith("url: not a valid URL"));
        Api.as(owner[1]).body(Map.of("url", "ftp://example.com/x")).post("/api/webhooks").then().statusCode(400)
                .body("details[0]", equalTo("url: must be an absolute https:// URL"));
        Api.as(owner[1]).body(Map.of("url", "https://user:pw@example.com/x")).post("/api/webhooks").then().statusCode(400)
                .body("details[0]", equalTo("url: must not contain credentials"));
        Api.as(owner[1]).body(Map.of()).post("/api/webhooks").then().statusCode(400).body("details[0]", equalTo("url: required"));
        Api.as(owner[1]).body(Map.of("url", receiver.url("/x"), "events", List.of("project.exploded"))).post("/api/webhooks").then()
                .statusCode(400).body("details[0]", equalTo("events: unknown event type project.exploded; known: project.status_changed, "
                        + "publishing.status_changed"));
        Api.as(owner[1]).body(Map.of("url", receiver.url("/x"), "secret", "mine")).post("/api/webhooks").then().statusCode(400)
                .body("error", equalTo("Unknown fields"));
        Api.as(owner[1]).get("/api/webhooks/not-a-uuid").then().statusCode(400).body("details[0]", equalTo("id: not a UUID"));
        Api.as(owner[1]).get("/api/webhooks/" + UUID.randomUUID() + "/deliveries?limit=0").then().statusCode(400);
        Api.as(owner[1]).body("{\"url\": ").post("/api/webhooks").then().statusCode(400).body("error", notNullValue());

        for (int i = 0; i < 16; i++) {
            Api.as(owner[1]).body(Map.of("url", receiver.url("/many/" + i), "events", List.of("project.status_changed")))
                    .post("/api/webhooks").then().statusCode(201);
        }
        Api.as(owner[1]).body(Map.of("url", receiver.url("/many/16"))).post("/api/webhooks").then().statusCode(409)
                .body("error", equalTo("Too many webhook endpoints")).body("details[0]", containsString("at most 16 per owner"));
        String first = Api.as(owner[1]).get("/api/webhooks").then().extract().path("items[0].id");
        Api.as(owner[1]).delete("/api/webhooks/" + first).then().statusCode(204);
        Api.as(owner[1]).get("/api/webhooks/" + first).then().statusCode(404);
        Api.as(owner[1]).body(Map.of("url", receiver.url("/many/16"))).post("/api/webhooks").then().statusCode(201);
    }

    @Test
    void noMalformedWebhookRequestCausesAServerError() {
        String[] owner = Api.newOwner("fuzz");
        String endpoint = register(owner[1], "/fuzz")[0];
        String[] bodies = {"", "x", "\"x\"", "[]", "{}", "null", "{\"url\": 7}", "{\"url\": null}", "{\"url\": [\"a\"]}",
            "{\"url\": {}}", "{\"events\": \"x\"}", "{\"events\": [null]}", "{\"events\": [1]}", "{\"url\": \"https://[::1\"}",
            "{\"url\": \"https://exa mple.com/\"}", "{\"url\": \"https://example.com:99999/\"}", "{\"url\": \"//example.com/x\"}",
            "{\"url\": \"https:///x\"}", "{\"url\": \"https://example.com/#frag\"}", "{\"description\": 5}",
            "{\"url\": \"" + "h".repeat(3000) + "\"}", "{\"url\": \"\\u0000\"}"};
        String[] paths = {"/api/webhooks", "/api/webhooks/" + endpoint, "/api/webhooks/" + endpoint + "/rotate-secret",
            "/api/webhooks/" + endpoint + "/enable", "/api/webhooks/" + endpoint + "/deliveries",
            "/api/webhooks/" + endpoint + "/deliveries/" + UUID.randomUUID() + "/resend", "/api/webhooks/x/deliveries/y/resend",
            "/api/webhooks/" + UUID.randomUUID() + "/enable"};
        List<String> failures = new ArrayList<>();
        for (String path : paths) {
            for (String method : List.of("GET", "POST", "PUT", "DELETE")) {
                for (String body : bodies) {
                    var response = Api.as(owner[1]).body(body).request(method, path);
                    if (response.statusCode() >= 500 || response.statusCode() >= 400
                            && !String.valueOf(response.contentType()).startsWith("application/json")) {
                        failures.add(method + " " + path + " " + body + " → " + response.statusCode() + " " + response.asString());
                    }
                }
            }
        }
        assertTrue(failures.isEmpty(), failures.size() + " bad answers, e.g. " + failures.subList(0, Math.min(5, failures.size())));
    }

    @Test
    void openApiDocumentsTheWebhookEndpointsAndTheSignature() {
        String doc = io.restassured.RestAssured.given().accept("application/json").get("/q/openapi?format=json").then().statusCode(200)
                .extract().asString();
        for (String path : new String[] {"/api/webhooks", "/api/webhooks/{id}", "/api/webhooks/{id}/rotate-secret",
                "/api/webhooks/{id}/enable", "/api/webhooks/{id}/deliveries", "/api/webhooks/{id}/deliveries/{deliveryId}/resend"}) {
            assertTrue(doc.contains("\"" + path + "\""), path);
        }
        assertTrue(doc.contains("Webhook-Signature: t=<unix seconds>,v1="));
        assertTrue(doc.contains("WebhookDelivery"));
    }

    String text(String sql) throws Exception {
        try (Connection c = database.connect(); ResultSet rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    long count(String sql) throws Exception {
        try (Connection c = database.connect(); ResultSet rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
