package io.contentmachine.api;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.contentmachine.testsupport.KafkaResource;
import io.contentmachine.testsupport.PostgresDatabase;
import io.contentmachine.testsupport.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

/** Per-key create rate and per-owner in-flight cap answer 429 with Retry-After. */
@QuarkusTest
@TestProfile(LimitsTest.Limited.class)
@WithTestResource(PostgresResource.class)
@WithTestResource(KafkaResource.class)
class LimitsTest {

    PostgresDatabase database;

    public static class Limited implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("api.limits.creates-per-minute", "3", "api.limits.max-in-flight", "2");
        }
    }

    @Test
    void inFlightCapThenRateLimit() {
        String[] owner = Api.newOwner("busy");
        String first = Api.create(Api.as(owner[1]), "In flight one");
        String second = Api.create(Api.as(owner[1]), "In flight two");
        String retry = Api.as(owner[1]).body(Map.of("topic", "Third", "allowDuplicate", true)).post("/api/videos").then()
                .statusCode(429).body("error", equalTo("Too many projects in flight")).header("Retry-After", notNullValue())
                .extract().header("Retry-After");
        assertTrue(Integer.parseInt(retry) > 0);
        // failed projects are no longer in flight
        VideoLifecycleTest.send("video.failed", first, owner[0], Map.of());
        VideoLifecycleTest.send("video.failed", second, owner[0], Map.of());
        await().atMost(VideoLifecycleTest.WAIT).untilAsserted(() -> Api.as(owner[1]).get("/api/videos/" + second).then()
                .body("status", equalTo("failed")));
        await().atMost(VideoLifecycleTest.WAIT).untilAsserted(() -> Api.as(owner[1]).get("/api/videos/" + first).then()
                .body("status", equalTo("failed")));
        Api.create(Api.as(owner[1]), "Third, now allowed");
        // that was the key's third create this minute
        String wait = Api.as(owner[1]).body(Map.of("topic", "Fourth", "allowDuplicate", true)).post("/api/videos").then()
                .statusCode(429).body("error", equalTo("Rate limit exceeded")).extract().header("Retry-After");
        assertTrue(Integer.parseInt(wait) > 0 && Integer.parseInt(wait) <= 60, wait);
        // another key of another owner is not affected
        String[] other = Api.newOwner("calm");
        Api.create(Api.as(other[1]), "Other owner");
    }

    @Test
    void theRateIsCountedAcrossReplicas() throws Exception {
        String[] owner = Api.newOwner("replicated");
        // another gateway replica accepted two creates of this key 50 s ago (its own memory is out of this one's reach)
        try (Connection c = database.connect();
                PreparedStatement key = c.prepareStatement("select id::text from api.api_keys where owner_id = ?");
                PreparedStatement insert = c.prepareStatement("""
                        insert into api.projects (id, owner_id, key_id, topic, template, voice, length_seconds, status, created_at,
                            updated_at)
                        values (gen_random_uuid(), ?, ?, 'elsewhere', 'tiktok-bold', 'af_heart', 60, 'failed',
                                now() - interval '50 seconds', now() - interval '50 seconds')""")) {
            key.setString(1, owner[0]);
            ResultSet row = key.executeQuery();
            assertTrue(row.next());
            for (int i = 0; i < 2; i++) {
                insert.setString(1, owner[0]);
                insert.setString(2, row.getString(1));
                insert.executeUpdate();
            }
        }
        Api.create(Api.as(owner[1]), "The third create of the minute");
        String wait = Api.as(owner[1]).body(Map.of("topic", "The fourth", "allowDuplicate", true)).post("/api/videos").then()
                .statusCode(429).body("error", equalTo("Rate limit exceeded")).body("details[0]", equalTo("3 creates per minute per key"))
                .extract().header("Retry-After");
        // the window frees up when the other replica's creates are a minute old: about 10 s from now
        int seconds = Integer.parseInt(wait);
        assertTrue(seconds >= 1 && seconds <= 11, wait);
    }

    @Test
    void concurrentCreatesOfOneOwnerCannotPassTheSameCount() throws Exception {
        String[] owner = Api.newOwner("parallel");
        int requests = 12;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(requests);
        try {
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < requests; i++) {
                String topic = "Parallel create " + i;
                answers.add(pool.submit(() -> {
                    start.await();
                    return Api.as(owner[1]).body(Map.of("topic", topic, "allowDuplicate", true)).post("/api/videos").statusCode();
                }));
            }
            start.countDown();
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> answer : answers) {
                statuses.add(answer.get());
            }
            // the cap is 2 in flight: exactly two are accepted however the requests interleave, the rest are told to wait
            assertEquals(2, statuses.stream().filter(s -> s == 201).count(), statuses.toString());
            assertEquals(requests - 2, statuses.stream().filter(s -> s == 429).count(), statuses.toString());
        } finally {
            pool.shutdownNow();
        }
        try (Connection c = database.connect();
                PreparedStatement count = c.prepareStatement("select count(*) from api.projects where owner_id = ?")) {
            count.setString(1, owner[0]);
            ResultSet row = count.executeQuery();
            assertTrue(row.next());
            assertEquals(2, row.getInt(1));
        }
    }
}
