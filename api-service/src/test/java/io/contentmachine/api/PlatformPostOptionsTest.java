package io.contentmachine.api;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.contentmachine.testsupport.KafkaResource;
import io.contentmachine.testsupport.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/**
 * YouTube's and Instagram's per-request options at the gateway (issue 15): made-for-kids and synthetic-media declarations
 * and first comments, checked against the platforms' limits (400 naming the field), stored with the create request and
 * passed to publish-service.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(KafkaResource.class)
class PlatformPostOptionsTest {

    @Test
    void commentsOverThePlatformsLimitsAndUnknownFieldsAre400sNamingTheField() {
        String[] owner = Api.newOwner("comments");
        Api.as(owner[1]).body(create(Map.of("platforms", List.of("youtube"), "youtube",
                Map.of("firstComment", "é".repeat(10_001))))).post("/api/videos").then().statusCode(400)
                .body("error", equalTo("Validation failed"))
                .body("details", hasItem("config.publish.youtube.firstComment: at most 10000 characters, got 10001"));
        Api.as(owner[1]).body(create(Map.of("platforms", List.of("instagram"), "instagram",
                Map.of("firstComment", "x".repeat(2_201))))).post("/api/videos").then().statusCode(400)
                .body("details", hasItem("config.publish.instagram.firstComment: at most 2200 characters, got 2201"));
        Api.as(owner[1]).body(create(Map.of("platforms", List.of("instagram"), "instagram",
                Map.of("firstComment", "#a ".repeat(31))))).post("/api/videos").then().statusCode(400)
                .body("details", hasItem("config.publish.instagram.firstComment: at most 30 hashtags, got 31"));
        Api.as(owner[1]).body(create(Map.of("platforms", List.of("youtube"), "youtube", Map.of("firstComment", "  "))))
                .post("/api/videos").then().statusCode(400)
                .body("details", hasItem("config.publish.youtube.firstComment: must not be blank (leave it out for no comment)"));
        Api.as(owner[1]).body(create(Map.of("platforms", List.of("youtube"), "youtube", Map.of("madeForKids", false, "pinned", true),
                "instagram", Map.of("firstComment", "hi", "collab", "x")))).post("/api/videos").then().statusCode(400)
                .body("error", equalTo("Unknown fields"))
                .body("details", hasItems("config.publish.youtube.pinned: not a field of this request",
                        "config.publish.instagram.collab: not a field of this request"));
        Api.as(owner[1]).body(create(Map.of("platforms", List.of("youtube"), "youtube", Map.of("madeForKids", "maybe"))))
                .post("/api/videos").then().statusCode(400).body("error", notNullValue());
        // exactly at the limits: accepted
        Api.as(owner[1]).body(create(Map.of("platforms", List.of("youtube", "instagram"),
                "youtube", Map.of("firstComment", "é".repeat(10_000)),
                "instagram", Map.of("firstComment", "#a ".repeat(30) + "x".repeat(2_200 - 90)))))
                .post("/api/videos").then().statusCode(201);
    }

    @Test
    void theOptionsAreStoredWithTheVideoAndPassedToPublishService() {
        String[] owner = Api.newOwner("yopts");
        Map<String, Object> youtube = Map.of("madeForKids", true, "containsSyntheticMedia", false, "firstComment", "Sources below");
        String id = Api.as(owner[1]).body(create(Map.of("platforms", List.of("youtube"), "youtube", youtube,
                "instagram", Map.of("firstComment", "Hi #reels")))).post("/api/videos").then().statusCode(201).extract().path("projectId");
        Api.as(owner[1]).get("/api/videos/" + id).then().statusCode(200)
                .body("config.publish.youtube.madeForKids", equalTo(true))
                .body("config.publish.youtube.containsSyntheticMedia", equalTo(false))
                .body("config.publish.youtube.firstComment", equalTo("Sources below"))
                .body("config.publish.instagram.firstComment", equalTo("Hi #reels"));

        VideoLifecycleTest.send("video.stored", id, owner[0], Map.of());
        await().atMost(VideoLifecycleTest.WAIT).untilAsserted(() -> Api.as(owner[1]).get("/api/videos/" + id).then()
                .body("status", equalTo("stored")));
        FakeServices.accounts.add(owner[0] + ":youtube");
        Api.as(owner[1]).body(Map.of("platforms", List.of("youtube"), "youtube", Map.of("firstComment", "Hello", "madeForKids", true)))
                .post("/api/videos/" + id + "/publish").then().statusCode(202);
        JsonNode sent = FakeServices.publishRequests.get(FakeServices.publishRequests.size() - 1);
        assertEquals(owner[0], sent.path("ownerId").asText());
        assertEquals("Hello", sent.path("youtube").path("firstComment").asText());
        assertTrue(sent.path("youtube").path("madeForKids").asBoolean());
        assertFalse(sent.path("youtube").has("pinned"));
        Api.as(owner[1]).body(Map.of("platforms", List.of("youtube"), "youtube", Map.of("firstComment", "y".repeat(10_001))))
                .post("/api/videos/" + id + "/publish").then().statusCode(400)
                .body("details", hasItem("youtube.firstComment: at most 10000 characters, got 10001"));
    }

    private static Map<String, Object> create(Map<String, Object> publish) {
        return Map.of("topic", "Post options " + System.nanoTime(), "allowDuplicate", true, "config", Map.of("publish", publish));
    }
}
