package io.contentmachine.publish;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.contentmachine.testsupport.KafkaResource;
import io.contentmachine.testsupport.PostgresResource;
import io.contentmachine.testsupport.SandboxResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** Expired token → one refresh → success; invalid_grant → account disconnected and publishing failed; tokens encrypted at rest. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(SandboxResource.class)
@WithTestResource(StorageStandIn.class)
class TokenRefreshTest {

    private static final String TOKEN = "test-internal-token";

    @ConfigProperty(name = "sandbox.url")
    String sandbox;

    @AfterEach
    void clearFaults() {
        given().delete(sandbox + "/sandbox/faults").then().statusCode(204);
    }

    @Test
    void expiredTokenIsRefreshedOnceAndTheUploadSucceeds() throws Exception {
        given().contentType(ContentType.JSON).body(Map.of("platform", "youtube", "operation", "init", "kind", "token-expired", "count", 1))
                .post(sandbox + "/sandbox/faults").then().statusCode(201);
        TestVideos video = TestVideos.generate(300_000);
        video.sendStored(UUID.randomUUID(), List.of("youtube"));

        YouTubePublishingTest.awaitStatus(video, "published");
        assertEquals(1, YouTubePublishingTest.uploadsWithSha(sandbox, video.sha256).size());
    }

    @Test
    void invalidGrantDisconnectsTheAccountAndFailsClearly() throws Exception {
        TestVideos video = TestVideos.generate(300_000);
        given().header("X-Internal-Token", TOKEN).contentType(ContentType.JSON)
                .body(Map.of("accessToken", "revoked-access-token", "refreshToken", "revoked-refresh-token"))
                .put("/publish/accounts/" + video.ownerId + "/youtube").then().statusCode(200)
                .body("status", equalTo("connected")).body("hasRefreshToken", equalTo(true))
                .body(not(containsString("revoked")));
        video.sendStored(UUID.randomUUID(), List.of("youtube"));

        JsonNode failed = YouTubePublishingTest.awaitStatus(video, "failed");
        assertEquals("invalid_grant", failed.path("error").path("code").asText(), failed.toString());
        assertTrue(failed.path("error").path("message").asText().contains("connected again"), failed.toString());
        given().header("X-Internal-Token", TOKEN).get("/publish/accounts/" + video.ownerId + "/youtube").then().statusCode(200)
                .body("status", equalTo("disconnected"));
        assertTrue(YouTubePublishingTest.uploadsWithSha(sandbox, video.sha256).isEmpty());
    }

    @Test
    void accountValidation() {
        given().header("X-Internal-Token", TOKEN).contentType(ContentType.JSON).body(Map.of("accessToken", " "))
                .put("/publish/accounts/o/youtube").then().statusCode(400).body("error", equalTo("Validation failed"));
        given().header("X-Internal-Token", TOKEN).contentType(ContentType.JSON).body(Map.of("accessToken", "x"))
                .put("/publish/accounts/o/vimeo").then().statusCode(400).body("error", equalTo("Unknown platform"));
        given().header("X-Internal-Token", TOKEN).get("/publish/accounts/nobody/tiktok").then().statusCode(404);
    }
}
