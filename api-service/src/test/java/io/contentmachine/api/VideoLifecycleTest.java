package io.contentmachine.api;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.contentmachine.testsupport.Contract;
import io.contentmachine.testsupport.KafkaResource;
import io.contentmachine.testsupport.KafkaTestClient;
import io.contentmachine.testsupport.PostgresDatabase;
import io.contentmachine.testsupport.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/** The foundation: POST → row + video.requested; the pipeline's events move the status and fill the read model. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(KafkaResource.class)
class VideoLifecycleTest {

    static final Duration WAIT = Duration.ofSeconds(30);
    static final ObjectMapper JSON = new ObjectMapper();

    PostgresDatabase database;

    @Test
    void createStoresTheProjectAndEmitsAValidVideoRequested() throws Exception {
        String[] alice = Api.newOwner("alice");
        String location = Api.as(alice[1])
                .body(Map.of("topic", "  Why octopuses have three hearts ", "config", Map.of("voice", "de_anna", "length", 30,
                        "publish", Map.of("platforms", new String[] {"youtube"}))))
                .post("/api/videos")
                .then().statusCode(201)
                .body("status", equalTo("processing"))
                .body("dedup", equalTo("checked"))
                .extract().header("Location");
        String id = location.substring(location.lastIndexOf('/') + 1);
        assertTrue(location.endsWith("/api/videos/" + id), location);

        try (Connection c = database.connect();
                PreparedStatement q = c.prepareStatement("select owner_id, topic, template, voice, language, length_seconds, status"
                        + " from api.projects where id = ?")) {
            q.setObject(1, UUID.fromString(id));
            ResultSet row = q.executeQuery();
            assertTrue(row.next());
            assertEquals(alice[0], row.getString("owner_id"));
            assertEquals("Why octopuses have three hearts", row.getString("topic"));
            assertEquals("tiktok-bold", row.getString("template"));
            assertEquals("de_anna", row.getString("voice"));
            assertEquals("de-DE", row.getString("language"));
            assertEquals(30, row.getInt("length_seconds"));
            assertEquals("processing", row.getString("status"));
        }

        ConsumerRecord<String, String> record = KafkaTestClient.awaitOne("video.requested", r -> id.equals(r.key()), WAIT);
        Contract.assertValid("video.requested", record.value());
        JsonNode event = JSON.readTree(record.value());
        assertEquals(id, event.path("projectId").asText());
        assertEquals(alice[0], event.path("ownerId").asText());
        assertEquals("de-DE", event.path("config").path("language").asText());
        assertEquals(30, event.path("config").path("lengthSeconds").asInt());
        assertEquals("youtube", event.path("publish").path("platforms").get(0).asText());
        assertEquals(event.path("eventId").asText(), KafkaTestClient.header(record, "ce_id"));
        assertEquals("contentmachine.video.requested.v1", KafkaTestClient.header(record, "ce_type"));
        assertEquals("api-service", KafkaTestClient.header(record, "ce_source"));
        assertEquals(id, KafkaTestClient.header(record, "ce_subject"));
        Contract.assertTraceparent(record);
        // the outbox row is gone once sent
        await().atMost(WAIT).until(() -> count("select count(*) from api.outbox where record_key = '" + id + "'") == 0);

        JsonPath project = Api.as(alice[1]).get("/api/videos/" + id).then().statusCode(200).extract().jsonPath();
        assertEquals("processing", project.getString("status"));
        assertEquals("tiktok-bold", project.getString("config.template"));
        assertEquals(30, project.getInt("config.length"));
        assertEquals(List.of("youtube"), project.getList("config.publish.platforms"));
        assertTrue(project.getString("createdAt") != null);
    }

    @Test
    void pipelineEventsMoveTheStatusForwardAndFillTheReadModel() throws Exception {
        String[] bob = Api.newOwner("bob");
        String id = Api.as(bob[1]).body(Map.of("topic", "Octopus hearts", "config", Map.of("publish", Map.of("platforms",
                new String[] {"youtube"})))).post("/api/videos").then().statusCode(201).extract().path("projectId");
        Api.as(bob[1]).get("/api/videos/" + id + "/download").then().statusCode(404).body("error", equalTo("Video not ready"));

        send("video.progress", id, bob[0], Map.of());
        await().atMost(WAIT).untilAsserted(() -> Api.as(bob[1]).get("/api/videos/" + id).then()
                .body("progress.stage", equalTo("render")).body("progress.percent", equalTo(40)));

        String rendered = send("video.rendered", id, bob[0], Map.of());
        await().atMost(WAIT).untilAsserted(() -> Api.as(bob[1]).get("/api/videos/" + id).then()
                .body("status", equalTo("rendered"))
                .body("title", equalTo("Why octopuses have three hearts"))
                .body("scenes", hasSize(1))
                .body("scenes[0].sequence", equalTo(1))
                .body("scenes[0].text", equalTo("Octopuses have three hearts."))
                .body("scenes[0].duration", equalTo(2.6f))
                .body("scenes[0].visualPrompt", equalTo("an octopus in blue water")));

        send("video.stored", id, bob[0], Map.of());
        await().atMost(WAIT).untilAsserted(() -> Api.as(bob[1]).get("/api/videos/" + id).then()
                .body("status", equalTo("stored"))
                .body("video.duration", equalTo(30.4f))
                .body("video.resolution", equalTo("1080x1920"))
                .body("video.fileSize", equalTo(4718592)));
        FakeServices.stored.add(UUID.fromString(id));
        Api.as(bob[1]).get("/api/videos/" + id + "/download").then().statusCode(200)
                .body("url", containsString("/videos/" + id + "/video")).body("expiresAt", notNullValue());

        // a late (redelivered with a new id) rendered event does not move the project backwards
        resend("video.rendered", id, rendered, UUID.randomUUID().toString());
        String published = send("video.published", id, bob[0], Map.of());
        await().atMost(WAIT).untilAsserted(() -> Api.as(bob[1]).get("/api/videos/" + id).then()
                .body("status", equalTo("published"))
                .body("publishings", hasSize(1))
                .body("publishings[0].platform", equalTo("youtube"))
                .body("publishings[0].status", equalTo("published"))
                .body("publishings[0].platformId", equalTo("dQw4w9WgXcQ"))
                .body("publishings[0].url", equalTo("https://www.youtube.com/shorts/dQw4w9WgXcQ"))
                .body("publishings[0].publishedAt", equalTo("2026-11-24T12:03:00Z")));

        send("video.metrics", id, bob[0], Map.of());
        await().atMost(WAIT).untilAsserted(() -> Api.as(bob[1]).get("/api/videos/" + id).then()
                .body("publishings[0].metrics.views", equalTo(1200))
                .body("publishings[0].metrics.likes", equalTo(87))
                .body("publishings[0].metrics.comments", equalTo(9)));

        // redelivery of the same event (same eventId) is a no-op: one processed row, read model unchanged
        JsonNode before = JSON.readTree(Api.as(bob[1]).get("/api/videos/" + id).asString());
        resend("video.published", id, published, null);
        String marker = send("video.progress", id, bob[0], Map.of());
        await().atMost(WAIT).until(() -> count("select count(*) from api.processed_events where event_id = '"
                + JSON.readTree(marker).path("eventId").asText() + "'") == 1);
        assertEquals(1, count("select count(*) from api.processed_events where event_id = '"
                + JSON.readTree(published).path("eventId").asText() + "'"));
        JsonNode after = JSON.readTree(Api.as(bob[1]).get("/api/videos/" + id).asString());
        assertEquals(before.path("publishings"), after.path("publishings"));
        assertEquals("published", after.path("status").asText());
        assertEquals("Why octopuses have three hearts", after.path("title").asText());
    }

    @Test
    void detailsShowEveryPartOfTheReadModelInOrder() throws Exception {
        String[] frank = Api.newOwner("frank");
        String id = Api.create(Api.as(frank[1]), "Every field of the view");
        // rows written out of order, with nulls, big numbers, sub-second timestamps and a double that is not a short decimal
        execute("update api.projects set title = 'Full view', status = 'failed', failure_stage = 'publish', failure_reason = 'quota',"
                + " progress_stage = 'upload', progress_percent = 70, video_id = gen_random_uuid(), video_duration = 30.4,"
                + " video_resolution = '1080x1920', video_size = 5000000000, template = 'tiktok-bold', voice = 'af_heart',"
                + " language = 'en-US', length_seconds = 45, publish = '{\"platforms\":[\"youtube\",\"tiktok\"],\"publishAt\":null}',"
                + " created_at = '2026-11-20T08:00:00.123456Z', updated_at = '2026-11-24T12:05:00Z' where id = '" + id + "'");
        execute("insert into api.scenes (project_id, sequence, text, duration_seconds, visual_prompt) values"
                + " ('" + id + "', 3, 'Third', 0.30000000000000004, 'three'),"
                + " ('" + id + "', 1, 'First \"quoted\" \\ back', 2.6, null),"
                + " ('" + id + "', 2, 'Second', 4, 'two')");
        execute("insert into api.publishings (id, project_id, platform, status, platform_id, url, publish_at, published_at, error_code,"
                + " error_message, status_at, views, likes, comments, metrics_at) values"
                + " ('00000000-0000-0000-0000-00000000000a', '" + id + "', 'youtube', 'published', 'yt1', 'https://youtu.be/yt1',"
                + " '2026-11-24T12:00:00Z', '2026-11-24T12:03:00.5Z', null, null, '2026-11-24T12:03:00Z', 5000000001, 87, null,"
                + " '2026-11-25T01:02:03.000001Z'),"
                + " ('00000000-0000-0000-0000-00000000000b', '" + id + "', 'tiktok', 'failed', null, null, null, null, 'quota', null,"
                + " '2026-11-24T12:01:00Z', null, null, null, null),"
                + " ('00000000-0000-0000-0000-00000000000c', '" + id + "', 'youtube', 'failed', null, null, null, null, null, 'timed out',"
                + " '2026-11-24T11:00:00Z', null, null, null, null)");
        String expected = "{\"id\":\"" + id + "\",\"title\":\"Full view\",\"topic\":\"Every field of the view\",\"status\":\"failed\","
                + "\"config\":{\"template\":\"tiktok-bold\",\"voice\":\"af_heart\",\"language\":\"en-US\",\"length\":45,"
                + "\"publish\":{\"platforms\":[\"youtube\",\"tiktok\"],\"publishAt\":null}},"
                + "\"createdAt\":\"2026-11-20T08:00:00.123456Z\",\"updatedAt\":\"2026-11-24T12:05:00Z\","
                + "\"failure\":{\"stage\":\"publish\",\"reason\":\"quota\"},\"progress\":{\"stage\":\"upload\",\"percent\":70},"
                + "\"scenes\":[{\"sequence\":1,\"text\":\"First \\\"quoted\\\" \\\\ back\",\"duration\":2.6,\"visualPrompt\":null},"
                + "{\"sequence\":2,\"text\":\"Second\",\"duration\":4.0,\"visualPrompt\":\"two\"},"
                + "{\"sequence\":3,\"text\":\"Third\",\"duration\":0.30000000000000004,\"visualPrompt\":\"three\"}],"
                + "\"video\":{\"duration\":30.4,\"resolution\":\"1080x1920\",\"fileSize\":5000000000},"
                + "\"publishings\":[{\"id\":\"00000000-0000-0000-0000-00000000000b\",\"platform\":\"tiktok\",\"status\":\"failed\","
                + "\"error\":{\"code\":\"quota\",\"message\":null}},"
                + "{\"id\":\"00000000-0000-0000-0000-00000000000c\",\"platform\":\"youtube\",\"status\":\"failed\","
                + "\"error\":{\"code\":null,\"message\":\"timed out\"}},"
                + "{\"id\":\"00000000-0000-0000-0000-00000000000a\",\"platform\":\"youtube\",\"status\":\"published\","
                + "\"platformId\":\"yt1\",\"url\":\"https://youtu.be/yt1\",\"publishAt\":\"2026-11-24T12:00:00Z\","
                + "\"publishedAt\":\"2026-11-24T12:03:00.500Z\","
                + "\"metrics\":{\"views\":5000000001,\"likes\":87,\"comments\":null,\"collectedAt\":\"2026-11-25T01:02:03.000001Z\"}}]}";
        assertEquals(expected, Api.as(frank[1]).get("/api/videos/" + id).then().statusCode(200).extract().asString());
        // a project without scenes or publishings shows empty lists, not nulls
        String bare = Api.create(Api.as(frank[1]), "Nothing yet");
        Api.as(frank[1]).get("/api/videos/" + bare).then().statusCode(200)
                .body("scenes", hasSize(0)).body("publishings", hasSize(0)).body("video", nullValue()).body("failure", nullValue());
    }

    @Test
    void waitingPublishingShowsWhyAndUntilWhenAndClearsWhenItGoesOn() {
        String[] dora = Api.newOwner("dora");
        String id = Api.create(Api.as(dora[1]), "A video held back by a quota");
        String publishingId = UUID.randomUUID().toString();
        send("video.published", id, dora[0], Map.of("publishingId", publishingId, "status", "waiting",
                "occurredAt", "2026-11-24T12:00:00Z", "waiting", Map.of("reason", "quotaExceeded",
                        "message", "YouTube answered 403 quotaExceeded", "until", "2026-11-25T08:00:00Z")));
        await().atMost(WAIT).untilAsserted(() -> Api.as(dora[1]).get("/api/videos/" + id).then()
                .body("publishings", hasSize(1))
                .body("publishings[0].status", equalTo("waiting"))
                .body("publishings[0].waiting.reason", equalTo("quotaExceeded"))
                .body("publishings[0].waiting.message", equalTo("YouTube answered 403 quotaExceeded"))
                .body("publishings[0].waiting.until", equalTo("2026-11-25T08:00:00Z"))
                .body("publishings[0].error", nullValue()));

        send("video.published", id, dora[0], Map.of("publishingId", publishingId, "status", "published",
                "occurredAt", "2026-11-25T08:03:00Z"));
        await().atMost(WAIT).untilAsserted(() -> Api.as(dora[1]).get("/api/videos/" + id).then()
                .body("publishings[0].status", equalTo("published"))
                .body("publishings[0].waiting", nullValue()));
    }

    @Test
    void unconfirmedPublishingShowsConfirmedFalseAndWhy() {
        String[] erin = Api.newOwner("erin");
        String id = Api.create(Api.as(erin[1]), "A reel whose media was never found");
        String publishingId = UUID.randomUUID().toString();
        send("video.published", id, erin[0], Map.of("publishingId", publishingId, "platform", "instagram", "status", "published",
                "confirmed", false, "error", Map.of("code", "unconfirmed", "message", "its media was not among the account's newest")));
        await().atMost(WAIT).untilAsserted(() -> Api.as(erin[1]).get("/api/videos/" + id).then()
                .body("publishings[0].status", equalTo("published"))
                .body("publishings[0].confirmed", equalTo(false))
                .body("publishings[0].error.code", equalTo("unconfirmed"))
                .body("publishings[0].error.message", equalTo("its media was not among the account's newest")));
        String other = UUID.randomUUID().toString();
        send("video.published", id, erin[0], Map.of("publishingId", other, "platform", "youtube", "status", "published",
                "confirmed", true, "platformId", "abc"));
        await().atMost(WAIT).untilAsserted(() -> Api.as(erin[1]).get("/api/videos/" + id).then()
                .body("publishings.find { it.platform == 'youtube' }.confirmed", equalTo(true))
                .body("publishings.find { it.platform == 'youtube' }.error", nullValue()));
    }

    @Test
    void failedEventMarksTheProjectFailedWithStageAndReason() {
        String[] carol = Api.newOwner("carol");
        String id = Api.create(Api.as(carol[1]), "A topic that will fail");
        send("video.failed", id, carol[0], Map.of());
        await().atMost(WAIT).untilAsserted(() -> Api.as(carol[1]).get("/api/videos/" + id).then()
                .body("status", equalTo("failed"))
                .body("failure.stage", equalTo("storage"))
                .body("failure.reason", containsString("sha256 mismatch")));
        // a late stored event does not resurrect it
        send("video.stored", id, carol[0], Map.of());
        String marker = send("video.progress", id, carol[0], Map.of());
        await().atMost(WAIT).until(() -> count("select count(*) from api.processed_events where event_id = '"
                + JSON.readTree(marker).path("eventId").asText() + "'") == 1);
        Api.as(carol[1]).get("/api/videos/" + id).then().body("status", equalTo("failed")).body("progress", nullValue());
    }

    @Test
    void poisonMessageGoesToTheDeadLetterTopicAndFailsTheProject() {
        String[] dave = Api.newOwner("dave");
        String id = Api.create(Api.as(dave[1]), "Poisoned project");
        KafkaTestClient.send("video.rendered", id, "{\"eventId\": \"not json at all");
        ConsumerRecord<String, String> dead = KafkaTestClient.awaitOne("video.rendered.api-service.dlq", r -> id.equals(r.key()), WAIT);
        assertTrue(dead.value().startsWith("{\"eventId\": \"not json"), dead.value());
        assertTrue(KafkaTestClient.header(dead, "dead-letter-reason") != null && !KafkaTestClient.header(dead, "dead-letter-reason")
                .isBlank());
        await().atMost(WAIT).untilAsserted(() -> Api.as(dave[1]).get("/api/videos/" + id).then()
                .body("status", equalTo("failed"))
                .body("failure.stage", equalTo("events"))
                .body("failure.reason", containsString("video.rendered")));
        // the consumer goes on with the next records
        String next = Api.create(Api.as(dave[1]), "After the poison");
        send("video.rendered", next, dave[0], Map.of());
        await().atMost(WAIT).untilAsserted(() -> Api.as(dave[1]).get("/api/videos/" + next).then().body("status", equalTo("rendered")));
    }

    @Test
    void sweeperFailsProjectsStuckInThePipelineAndTellsTheServices() throws Exception {
        String[] erin = Api.newOwner("erin");
        String stuck = Api.create(Api.as(erin[1]), "Stuck project");
        String stuckRendered = Api.create(Api.as(erin[1]), "Stuck after its render");
        String waiting = Api.create(Api.as(erin[1]), "Stored, waiting for its schedule");
        String fresh = Api.create(Api.as(erin[1]), "Fresh project");
        send("video.rendered", stuckRendered, erin[0], Map.of());
        send("video.stored", waiting, erin[0], Map.of());
        await().atMost(WAIT).untilAsserted(() -> {
            Api.as(erin[1]).get("/api/videos/" + stuckRendered).then().body("status", equalTo("rendered"));
            Api.as(erin[1]).get("/api/videos/" + waiting).then().body("status", equalTo("stored"));
        });
        try (Connection c = database.connect()) {
            c.createStatement().execute("listen api_project_updates");
            PGConnection pg = c.unwrap(PGConnection.class);
            List<String> heard = new ArrayList<>();
            execute("update api.projects set updated_at = now() - interval '31 minutes' where id in ('" + stuck + "', '"
                    + stuckRendered + "', '" + waiting + "')");
            // the scheduled sweep (every 2 s in tests) fails them and tells the live streams at once, as any other change
            await().atMost(WAIT).until(() -> notifications(pg, heard).containsAll(List.of(stuck, stuckRendered)));
            for (String id : List.of(stuck, stuckRendered)) {
                Api.as(erin[1]).get("/api/videos/" + id).then().body("status", equalTo("failed"))
                        .body("failure.stage", equalTo("timeout")).body("failure.reason", containsString("30 minutes"));
                // the services downstream hear it, so none stores or publishes a project the API calls failed
                ConsumerRecord<String, String> failed = KafkaTestClient.awaitOne("video.failed", r -> id.equals(r.key()), WAIT);
                Contract.assertValid("video.failed", failed.value());
                JsonNode event = JSON.readTree(failed.value());
                assertEquals("timeout", event.path("stage").asText());
                assertEquals(erin[0], event.path("ownerId").asText());
                assertFalse(event.path("retryable").asBoolean());
            }
            // a stored project may wait for a schedule or a platform's quota: never swept
            Api.as(erin[1]).get("/api/videos/" + waiting).then().body("status", equalTo("stored"));
            Api.as(erin[1]).get("/api/videos/" + fresh).then().body("status", equalTo("processing"));
            assertFalse(heard.contains(fresh), "a project that was not swept is not announced");
            assertFalse(heard.contains(waiting), "a stored project is not swept");
        }
    }

    @Test
    void everyChangeIsAnnouncedToTheReplicasLiveStreams() throws Exception {
        String[] owner = Api.newOwner("notify");
        String id = Api.create(Api.as(owner[1]), "Announced on commit");
        try (Connection c = database.connect()) {
            c.createStatement().execute("listen api_project_updates");
            PGConnection pg = c.unwrap(PGConnection.class);
            List<String> heard = new ArrayList<>();
            send("video.progress", id, owner[0], Map.of("stage", "voice", "percent", 20));
            await().atMost(WAIT).until(() -> notifications(pg, heard).contains(id));
            // announced only once the change is committed: a listener that reads at once sees it
            Api.as(owner[1]).get("/api/videos/" + id).then().body("progress.percent", equalTo(20));
            heard.clear();
            Api.as(owner[1]).delete("/api/videos/" + id).then().statusCode(204);
            await().atMost(WAIT).until(() -> notifications(pg, heard).contains(id));
        }
    }

    private static List<String> notifications(PGConnection pg, List<String> heard) throws Exception {
        PGNotification[] received = pg.getNotifications(200);
        if (received != null) {
            for (PGNotification n : received) {
                heard.add(n.getParameter());
            }
        }
        return heard;
    }

    /** Sends the contract's example for the topic, re-addressed to the project, with a fresh eventId; returns the JSON sent. */
    static String send(String topic, String projectId, String owner, Map<String, Object> overrides) {
        try {
            ObjectNode event = (ObjectNode) JSON.readTree(Contract.example(topic));
            event.put("eventId", UUID.randomUUID().toString());
            event.put("projectId", projectId);
            event.put("ownerId", owner);
            overrides.forEach((k, v) -> event.set(k, JSON.valueToTree(v)));
            String json = JSON.writeValueAsString(event);
            Contract.assertValid(topic, json);
            KafkaTestClient.send(topic, projectId, json);
            return json;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static void resend(String topic, String projectId, String json, String newEventId) {
        try {
            ObjectNode event = (ObjectNode) JSON.readTree(json);
            if (newEventId != null) {
                event.put("eventId", newEventId);
            }
            KafkaTestClient.send(topic, projectId, JSON.writeValueAsString(event));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    long count(String sql) throws Exception {
        try (Connection c = database.connect(); ResultSet rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    void execute(String sql) throws Exception {
        try (Connection c = database.connect()) {
            c.createStatement().execute(sql);
        }
    }
}
