package io.contentmachine.api;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.contentmachine.testsupport.Contract;
import io.contentmachine.testsupport.KafkaResource;
import io.contentmachine.testsupport.KafkaTestClient;
import io.contentmachine.testsupport.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** What frontends need beyond the seed: listing, delete, idempotency, duplicates, publish, search, SSE, accounts. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(KafkaResource.class)
class FrontendFeaturesTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @TestHTTPResource("/")
    URL root;

    @Test
    void listIsNewestFirstWithCursorPaginationAndStatusFilter() {
        String[] owner = Api.newOwner("lister");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(Api.create(Api.as(owner[1]), "List topic " + i));
        }
        VideoLifecycleTest.send("video.failed", ids.get(1), owner[0], Map.of());
        await().atMost(VideoLifecycleTest.WAIT).untilAsserted(() -> Api.as(owner[1]).get("/api/videos/" + ids.get(1)).then()
                .body("status", equalTo("failed")));

        Response first = Api.as(owner[1]).queryParam("limit", 2).get("/api/videos");
        first.then().statusCode(200).body("items", hasSize(2)).body("items[0].id", equalTo(ids.get(4)))
                .body("items[1].id", equalTo(ids.get(3))).body("nextCursor", notNullValue());
        Response second = Api.as(owner[1]).queryParam("limit", 2).queryParam("cursor", (String) first.path("nextCursor"))
                .get("/api/videos");
        second.then().body("items.id", equalTo(List.of(ids.get(2), ids.get(1))));
        Api.as(owner[1]).queryParam("limit", 2).queryParam("cursor", (String) second.path("nextCursor")).get("/api/videos").then()
                .body("items.id", equalTo(List.of(ids.get(0)))).body("nextCursor", nullValue());
        Api.as(owner[1]).queryParam("status", "failed").get("/api/videos").then()
                .body("items.id", equalTo(List.of(ids.get(1)))).body("items[0].status", equalTo("failed"));
        Api.as(owner[1]).queryParam("limit", 101).get("/api/videos").then().statusCode(400).body("details",
                hasItem(containsString("limit")));
        Api.as(owner[1]).queryParam("limit", "ten").get("/api/videos").then().statusCode(400);
        Api.as(owner[1]).queryParam("status", "done").get("/api/videos").then().statusCode(400);
        Api.as(owner[1]).queryParam("cursor", "garbage!").get("/api/videos").then().statusCode(400)
                .body("details", hasItem(containsString("cursor")));
    }

    @Test
    void deleteMarksDeletedEmitsVideoDeletedOnceAndIsIdempotent() throws Exception {
        String[] owner = Api.newOwner("deleter");
        String id = Api.create(Api.as(owner[1]), "To be deleted");
        Api.as(owner[1]).delete("/api/videos/" + id).then().statusCode(204);
        Api.as(owner[1]).delete("/api/videos/" + id).then().statusCode(204);
        Api.as(owner[1]).get("/api/videos/" + id).then().body("status", equalTo("deleted"));
        Api.as(owner[1]).get("/api/videos").then().body("items.id", not(hasItem(id)));
        Api.as(owner[1]).queryParam("status", "deleted").get("/api/videos").then().body("items.id", hasItem(id));
        ConsumerRecord<String, String> event = KafkaTestClient.awaitOne("video.deleted", r -> id.equals(r.key()), VideoLifecycleTest.WAIT);
        Contract.assertValid("video.deleted", event.value());
        assertEquals(owner[0], JSON.readTree(event.value()).path("ownerId").asText());
        // only once, though deleted twice
        Thread.sleep(1500);
        assertThrowsAssertion(() -> KafkaTestClient.await("video.deleted", r -> id.equals(r.key()), 2, Duration.ofSeconds(3)));
        // events arriving after the delete do not bring it back
        VideoLifecycleTest.send("video.rendered", id, owner[0], Map.of());
        Thread.sleep(1500);
        Api.as(owner[1]).get("/api/videos/" + id).then().body("status", equalTo("deleted"));
    }

    /**
     * DELETE ?fromPlatforms=true asks publish-service (video.deleted fromPlatforms) to delete the published videos too; what
     * it reports per publishing shows on the deleted project. Without the flag the event does not ask it; a value other
     * than true or false is a 400.
     */
    @Test
    void deleteFromPlatformsIsAskedForAndItsOutcomeShown() throws Exception {
        String[] owner = Api.newOwner("platform-deleter");
        String id = Api.create(Api.as(owner[1]), "To be deleted everywhere");
        Api.as(owner[1]).queryParam("fromPlatforms", "yes").delete("/api/videos/" + id).then().statusCode(400)
                .body("details", hasItem(containsString("fromPlatforms")));
        Api.as(owner[1]).queryParam("fromPlatforms", "true").delete("/api/videos/" + id).then().statusCode(204);
        ConsumerRecord<String, String> event = KafkaTestClient.awaitOne("video.deleted", r -> id.equals(r.key()), VideoLifecycleTest.WAIT);
        Contract.assertValid("video.deleted", event.value());
        assertEquals(true, JSON.readTree(event.value()).path("fromPlatforms").asBoolean(false), event.value());

        String publishingId = UUID.randomUUID().toString();
        VideoLifecycleTest.send("video.published", id, owner[0], Map.of("publishingId", publishingId, "platform", "youtube",
                "status", "published", "platformDeletion", Map.of("status", "deleted", "message", "deleted from YouTube")));
        await().atMost(VideoLifecycleTest.WAIT).untilAsserted(() -> Api.as(owner[1]).get("/api/videos/" + id).then()
                .body("status", equalTo("deleted"))
                .body("publishings[0].platformDeletion.status", equalTo("deleted"))
                .body("publishings[0].platformDeletion.message", equalTo("deleted from YouTube")));

        String kept = Api.create(Api.as(owner[1]), "Deleted here only");
        Api.as(owner[1]).delete("/api/videos/" + kept).then().statusCode(204);
        ConsumerRecord<String, String> plain = KafkaTestClient.awaitOne("video.deleted", r -> kept.equals(r.key()),
                VideoLifecycleTest.WAIT);
        assertTrue(JSON.readTree(plain.value()).path("fromPlatforms").isMissingNode(), plain.value());
    }

    @Test
    void idempotencyKeyReplaysTheFirstResponseAndRefusesADifferentBody() {
        String[] owner = Api.newOwner("idem");
        String key = UUID.randomUUID().toString();
        Map<String, Object> body = Map.of("topic", "Idempotent topic", "allowDuplicate", true);
        Response first = Api.as(owner[1]).header("Idempotency-Key", key).body(body).post("/api/videos");
        first.then().statusCode(201);
        Response again = Api.as(owner[1]).header("Idempotency-Key", key).body(body).post("/api/videos");
        again.then().statusCode(201).body("projectId", equalTo(first.path("projectId")));
        assertEquals(first.header("Location"), again.header("Location"));
        Api.as(owner[1]).get("/api/videos").then().body("items", hasSize(1));
        Api.as(owner[1]).header("Idempotency-Key", key).body(Map.of("topic", "Another topic", "allowDuplicate", true))
                .post("/api/videos").then().statusCode(422).body("error", containsString("Idempotency-Key"));
        // keys are per owner: another owner's same key creates its own project
        String[] other = Api.newOwner("idem2");
        Api.as(other[1]).header("Idempotency-Key", key).body(body).post("/api/videos").then().statusCode(201)
                .body("projectId", not(equalTo(first.path("projectId"))));
    }

    @Test
    void nearDuplicateTopicsAreRefusedUnlessAllowedAndIndexOutageSkipsTheCheck() {
        String[] owner = Api.newOwner("dup");
        String original = Api.create(Api.as(owner[1]), "Octopus hearts explained");
        FakeServices.duplicates.put(owner[0] + ":Octopus hearts explained!", Map.entry(UUID.fromString(original), 0.97));
        Api.as(owner[1]).body(Map.of("topic", "Octopus hearts explained!")).post("/api/videos").then().statusCode(409)
                .body("error", notNullValue()).body("duplicateOf", equalTo(original)).body("score", equalTo(0.97f));
        Api.as(owner[1]).body(Map.of("topic", "Octopus hearts explained!", "allowDuplicate", true)).post("/api/videos")
                .then().statusCode(201).body("dedup", equalTo("off"));
        JsonNode asked = FakeServices.indexRequests.stream().filter(r -> r.path("text").asText().equals("Octopus hearts explained!"))
                .findFirst().orElseThrow();
        assertEquals(owner[0], asked.path("ownerId").asText());
        FakeServices.indexDown = true;
        try {
            Api.as(owner[1]).body(Map.of("topic", "Octopus hearts explained!")).post("/api/videos").then().statusCode(201)
                    .body("dedup", equalTo("skipped"));
        } finally {
            FakeServices.indexDown = false;
        }
    }

    @Test
    void aTopicWhoseVideoFailedIsNoDuplicate() {
        String[] owner = Api.newOwner("dupfail");
        String original = Api.create(Api.as(owner[1]), "Why bees dance");
        FakeServices.duplicates.put(owner[0] + ":Why bees dance, again", Map.entry(UUID.fromString(original), 0.93));
        Api.as(owner[1]).body(Map.of("topic", "Why bees dance, again")).post("/api/videos").then().statusCode(409)
                .body("duplicateOf", equalTo(original));

        VideoLifecycleTest.send("video.failed", original, owner[0], Map.of());
        await().atMost(VideoLifecycleTest.WAIT).untilAsserted(() -> Api.as(owner[1]).get("/api/videos/" + original).then()
                .body("status", equalTo("failed")));
        // index-service still finds the failed project's script; the gateway knows it failed and lets the owner try again
        Api.as(owner[1]).body(Map.of("topic", "Why bees dance, again")).post("/api/videos").then().statusCode(201)
                .body("dedup", equalTo("checked"));
    }

    @Test
    void aBurstOfCreatesNeverFloodsIndexServiceAndWhatDoesNotFitSkipsTheCheckAtOnce() throws Exception {
        String[] owner = Api.newOwner("burst");
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        for (int i = 0; i < 3; i++) {
            // warm: the key is cached and the request path compiled, so the burst reaches the guard together
            Api.as(owner[1]).body(Map.of("topic", "Before the burst " + i)).post("/api/videos").then().statusCode(201);
        }
        FakeServices.indexPeak.set(0);
        FakeServices.indexGateReached.set(0);
        FakeServices.indexGate = new CountDownLatch(1);
        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
        try {
            for (int i = 0; i < 60; i++) {
                answers.add(http.sendAsync(HttpRequest.newBuilder(URI.create(root + "api/videos"))
                        .header("Authorization", "Bearer " + owner[1]).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"topic\": \"Burst topic " + i + "\"}")).build(),
                        HttpResponse.BodyHandlers.ofString()));
            }
            // index-service holds the checks it is asked for; what does not fit the guard (4 running, 16 waiting in the test
            // configuration: api.dedup.concurrency and api.dedup.waiting) is answered now, unchecked. The hold ends within
            // 1.2 s of the first check, so no held check reaches the gateway's 2 s timeout.
            await().atMost(Duration.ofSeconds(30)).until(() -> FakeServices.indexGateReached.get() != 0);
            long until = FakeServices.indexGateReached.get() + TimeUnit.MILLISECONDS.toNanos(1200);
            while (System.nanoTime() < until && answers.stream().filter(CompletableFuture::isDone).count() < 40) {
                Thread.sleep(10);
            }
        } finally {
            FakeServices.indexGate.countDown();
            FakeServices.indexGate = null;
        }
        int checked = 0;
        int skipped = 0;
        for (CompletableFuture<HttpResponse<String>> answer : answers) {
            HttpResponse<String> response = answer.get(30, TimeUnit.SECONDS);
            assertEquals(201, response.statusCode(), response.body());
            String dedup = JSON.readTree(response.body()).path("dedup").asText();
            if (dedup.equals("checked")) {
                checked++;
            } else {
                assertEquals("skipped", dedup, response.body());
                skipped++;
            }
        }
        assertEquals(4, FakeServices.indexPeak.get(), "checks index-service saw at once");
        // at least the 4 running checks were checked and what did not fit was skipped; how many of the 16 waiting ones were
        // checked depends on how fast a loaded machine answers (a waiting check past the gateway's 2 s timeout is skipped)
        assertTrue(checked >= 4 && skipped >= 1 && checked + skipped == 60, checked + " checked, " + skipped + " skipped");
        // a full guard is load, not an outage: creates are checked again after the burst (at once; or, where a loaded machine
        // let held checks pass the 2 s timeout and so opened the circuit, once its 5 s pause is over)
        int[] after = {0};
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> Api.as(owner[1]).body(Map.of("topic", "After the burst " + after[0]++))
                .post("/api/videos").then().statusCode(201).body("dedup", equalTo("checked")));
    }

    @Test
    void anIndexOutageOpensTheCircuitSoCreatesStopWaitingForItAndItClosesAgain() {
        String[] owner = Api.newOwner("outage");
        int before = FakeServices.indexRequests.size();
        FakeServices.indexDown = true;
        try {
            for (int i = 0; i < 15; i++) {
                Api.as(owner[1]).body(Map.of("topic", "During the outage " + i)).post("/api/videos").then().statusCode(201)
                        .body("dedup", equalTo("skipped"));
            }
        } finally {
            FakeServices.indexDown = false;
        }
        long asked = FakeServices.indexRequests.subList(before, FakeServices.indexRequests.size()).stream()
                .filter(r -> r.path("text").asText().startsWith("During the outage")).count();
        // half of the last ten checks failing opens the circuit (earlier tests' checks may be among those ten, so it opens
        // after one to ten of these): the last creates did not ask index-service at all
        assertTrue(asked >= 1 && asked <= 10, asked + " of 15 creates asked index-service");
        // after 5 s one trial call is let through, and its success closes the circuit
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> Api.as(owner[1])
                .body(Map.of("topic", "After the outage " + UUID.randomUUID())).post("/api/videos").then().statusCode(201)
                .body("dedup", equalTo("checked")));
    }

    @Test
    void publishIsProxiedWithTheRightErrors() {
        String[] owner = Api.newOwner("pub");
        String id = Api.create(Api.as(owner[1]), "Publish me");
        Map<String, Object> body = Map.of("platforms", List.of("youtube"), "publishAt", "2030-01-01T10:00:00Z");
        Api.as(owner[1]).body(body).post("/api/videos/" + id + "/publish").then().statusCode(409)
                .body("error", equalTo("Video not stored yet"));
        VideoLifecycleTest.send("video.stored", id, owner[0], Map.of());
        await().atMost(VideoLifecycleTest.WAIT).untilAsserted(() -> Api.as(owner[1]).get("/api/videos/" + id).then()
                .body("status", equalTo("stored")));
        Api.as(owner[1]).body(Map.of("platforms", List.of("myspace"))).post("/api/videos/" + id + "/publish").then().statusCode(400)
                .body("details", hasItem(containsString("unknown platform 'myspace'")));
        Api.as(owner[1]).body(Map.of("platforms", List.of("youtube"), "ownerId", "x")).post("/api/videos/" + id + "/publish")
                .then().statusCode(400).body("error", equalTo("Unknown fields"));
        Api.as(owner[1]).body(body).post("/api/videos/" + id + "/publish").then().statusCode(409)
                .body("error", containsString("youtube"));
        FakeServices.accounts.add(owner[0] + ":youtube");
        Api.as(owner[1]).body(body).post("/api/videos/" + id + "/publish").then().statusCode(202)
                .body("", hasSize(1)).body("[0].platform", equalTo("youtube")).body("[0].status", equalTo("pending"));
        JsonNode sent = FakeServices.publishRequests.get(FakeServices.publishRequests.size() - 1);
        assertEquals(owner[0], sent.path("ownerId").asText());
        assertEquals("youtube", sent.path("platforms").get(0).asText());
        assertTrue(sent.path("publishAt").asText().startsWith("2030-01-01T10:00:00"));
    }

    @Test
    void searchAsksIndexForTheCallersOwnProjects() {
        String[] owner = Api.newOwner("searcher");
        Api.as(owner[1]).queryParam("q", "octopus").queryParam("limit", 5).get("/api/videos/search").then().statusCode(200)
                .body("results", hasSize(1)).body("results[0].title", equalTo("Result for " + owner[0]));
        JsonNode asked = FakeServices.indexRequests.get(FakeServices.indexRequests.size() - 1);
        assertEquals(owner[0], asked.path("ownerId").asText());
        assertEquals("script", asked.path("field").asText());
        assertEquals(5, asked.path("limit").asInt());
        Api.as(owner[1]).get("/api/videos/search").then().statusCode(400).body("details", hasItem(containsString("q")));
        Api.as(owner[1]).queryParam("q", "x").queryParam("limit", 0).get("/api/videos/search").then().statusCode(400);
        FakeServices.indexDown = true;
        try {
            Api.as(owner[1]).queryParam("q", "octopus").get("/api/videos/search").then().statusCode(503).body("error", notNullValue());
        } finally {
            FakeServices.indexDown = false;
        }
    }

    @Test
    void eventsStreamStatusChangesAndEndsAtAFinalState() throws Exception {
        String[] owner = Api.newOwner("sse");
        String id = Api.create(Api.as(owner[1]), "Streamed project");
        CompletableFuture<List<JsonNode>> received = CompletableFuture.supplyAsync(() -> readEvents(id, owner[1]));
        Thread.sleep(1500);
        VideoLifecycleTest.send("video.progress", id, owner[0], Map.of());
        Thread.sleep(1500);
        VideoLifecycleTest.send("video.rendered", id, owner[0], Map.of());
        Thread.sleep(1500);
        VideoLifecycleTest.send("video.stored", id, owner[0], Map.of());
        List<JsonNode> events = received.get(30, TimeUnit.SECONDS);
        List<String> statuses = events.stream().map(e -> e.path("status").asText()).toList();
        assertEquals("processing", statuses.get(0));
        assertTrue(statuses.contains("rendered"), statuses.toString());
        assertEquals("stored", statuses.get(statuses.size() - 1), statuses.toString());
        assertTrue(events.get(events.size() - 1).path("last").asBoolean());
        assertTrue(events.stream().anyMatch(e -> "render".equals(e.path("stage").asText()) && e.path("percent").asInt() == 40),
                events.toString());
        assertFalse(events.subList(0, events.size() - 1).stream().anyMatch(e -> e.path("last").asBoolean()));
    }

    @Test
    void eventsStreamEndsWhenEveryPublishingIsFinalEvenIfAllFailed() throws Exception {
        String[] owner = Api.newOwner("sse-failed");
        String id = Api.as(owner[1]).body(Map.of("topic", "Streamed and refused " + System.nanoTime(), "allowDuplicate", true,
                "config", Map.of("publish", Map.of("platforms", List.of("youtube"))))).post("/api/videos").then().statusCode(201)
                .extract().path("projectId");
        CompletableFuture<List<JsonNode>> received = CompletableFuture.supplyAsync(() -> readEvents(id, owner[1]));
        VideoLifecycleTest.send("video.rendered", id, owner[0], Map.of());
        VideoLifecycleTest.send("video.stored", id, owner[0], Map.of());
        VideoLifecycleTest.send("video.published", id, owner[0], Map.of("publishingId", UUID.randomUUID().toString(), "status", "failed",
                "occurredAt", "2026-11-24T12:05:00Z",
                "error", Map.of("code", "no_account", "message", "no connected youtube account")));

        // the project stays stored (a platform failure never fails it), and its stream ends
        List<JsonNode> events = received.get(30, TimeUnit.SECONDS);
        JsonNode last = events.get(events.size() - 1);
        assertEquals("stored", last.path("status").asText(), events.toString());
        assertTrue(last.path("last").asBoolean(), events.toString());
        Api.as(owner[1]).get("/api/videos/" + id).then().body("status", equalTo("stored"))
                .body("publishings[0].status", equalTo("failed"));
    }

    private List<JsonNode> readEvents(String id, String key) {
        try {
            HttpURLConnection connection = (HttpURLConnection) new URL(root, "/api/videos/" + id + "/events").openConnection();
            connection.setRequestProperty("Authorization", "Bearer " + key);
            connection.setRequestProperty("Accept", "text/event-stream");
            connection.setReadTimeout(30_000);
            assertEquals(200, connection.getResponseCode());
            List<JsonNode> events = new ArrayList<>();
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(connection.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    if (line.startsWith("data:")) {
                        events.add(JSON.readTree(line.substring(5).trim()));
                    }
                }
            }
            return events;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void accountsAreProxiedForTheCallerWithoutTokens() {
        String[] owner = Api.newOwner("acct");
        Api.as(owner[1]).get("/api/accounts").then().statusCode(200).body("", hasSize(3))
                .body("find { it.platform == 'youtube' }.connected", equalTo(false));
        Api.as(owner[1]).body(Map.of("accessToken", "abc", "refreshToken", "def")).put("/api/accounts/youtube").then().statusCode(200)
                .body("channel", equalTo(owner[0] + "-channel"));
        Api.as(owner[1]).get("/api/accounts").then().body("find { it.platform == 'youtube' }.connected", equalTo(true))
                .body("find { it.platform == 'youtube' }.account.channel", equalTo(owner[0] + "-channel"))
                .body("find { it.platform == 'youtube' }.account.accessToken", nullValue());
        Api.as(owner[1]).get("/api/accounts/youtube").then().statusCode(200).body("accessToken", nullValue());
        Api.as(owner[1]).get("/api/accounts/myspace").then().statusCode(400);
        Api.as(owner[1]).delete("/api/accounts/youtube").then().statusCode(204);
        Api.as(owner[1]).get("/api/accounts/youtube").then().statusCode(404);
        given().get("/api/accounts").then().statusCode(401);
    }

    @Test
    void catalogOutageFallsBackToTheLastGoodCatalog() {
        Api.admin().body(Map.of("topic", "Warm the catalog", "allowDuplicate", true)).post("/api/videos").then().statusCode(201);
        FakeServices.renderDown = true;
        try {
            Api.admin().body(Map.of("topic", "Render is down", "allowDuplicate", true, "config", Map.of("voice", "de_anna")))
                    .post("/api/videos").then().statusCode(201);
            Api.admin().body(Map.of("topic", "Render is down", "allowDuplicate", true, "config", Map.of("voice", "nope")))
                    .post("/api/videos").then().statusCode(400).body("details[0]", containsString("valid: af_heart, de_anna, ja_kenji"));
        } finally {
            FakeServices.renderDown = false;
        }
    }

    @Test
    void corsAllowsTheConfiguredFrontendOrigins() {
        given().header("Origin", "http://localhost:5173").header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization,content-type,idempotency-key")
                .options("/api/videos").then().statusCode(200)
                .header("Access-Control-Allow-Origin", equalTo("http://localhost:5173"))
                .header("Access-Control-Allow-Headers", containsString("Idempotency-Key"));
        Response foreign = given().header("Origin", "http://evil.example").header("Access-Control-Request-Method", "POST")
                .options("/api/videos");
        assertTrue(foreign.header("Access-Control-Allow-Origin") == null
                || !foreign.header("Access-Control-Allow-Origin").contains("evil"), foreign.headers().toString());
    }

    @Test
    void openApiDocumentsEveryEndpointAndSwaggerUiIsServed() {
        String doc = given().accept(ContentType.JSON).get("/q/openapi?format=json").then().statusCode(200).extract().asString();
        for (String path : new String[] {"/api/videos", "/api/videos/{id}", "/api/videos/{id}/download", "/api/videos/{id}/publish",
                "/api/videos/{id}/events", "/api/videos/search", "/api/keys", "/api/accounts", "/api/accounts/{platform}/connect",
                "/api/oauth/{platform}/callback"}) {
            assertTrue(doc.contains("\"" + path + "\""), path);
        }
        assertTrue(doc.contains("Why octopuses have three hearts"));
        given().get("/q/swagger-ui/").then().statusCode(200);
    }

    private static void assertThrowsAssertion(Runnable r) {
        try {
            r.run();
        } catch (AssertionError expected) {
            return;
        }
        throw new AssertionError("expected no second record");
    }
}
