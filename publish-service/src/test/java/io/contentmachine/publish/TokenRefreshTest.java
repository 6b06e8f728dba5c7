package io.contentmachine.publish;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import io.contentmachine.publish.accounts.Account;
import io.contentmachine.testsupport.KafkaResource;
import io.contentmachine.testsupport.PostgresResource;
import io.contentmachine.testsupport.SandboxResource;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.http.ContentType;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

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

    /**
     * An Instagram account that does not publish is refreshed well before its long-lived token expires, once the token is
     * a day old (Instagram's rule); a younger token is left alone.
     */
    @Test
    void idleInstagramAccountsAreRefreshedAheadOnceTheTokenIsADayOld() throws Throwable {
        String old = "idle-" + UUID.randomUUID();
        String young = "young-" + UUID.randomUUID();
        Instant expires = Instant.now().plus(Duration.ofDays(5)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        for (String owner : List.of(old, young)) {
            given().header("X-Internal-Token", TOKEN).contentType(ContentType.JSON)
                    .body(Map.of("accessToken", "sandbox-token", "expiresAt", expires.toString(), "platformUserId", "17841400000000001"))
                    .put("/publish/accounts/" + owner + "/instagram").then().statusCode(200);
        }
        VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> Panache.getSession().chain(session -> session
                .createNativeQuery("update accounts set updated_at = now() - interval '2 days' where owner_id = ?1")
                .setParameter(1, old).executeUpdate())));

        Instant refreshed = Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> expiresAt(old),
                at -> at.isAfter(Instant.now().plus(Duration.ofDays(50))));
        assertTrue(refreshed.isAfter(expires), "refreshed: " + refreshed);
        assertEquals(expires, expiresAt(young), "a token younger than a day is not refreshed");
        given().header("X-Internal-Token", TOKEN).get("/publish/accounts/" + old + "/instagram").then().statusCode(200)
                .body("status", equalTo("connected"));
    }

    private static Instant expiresAt(String owner) {
        return Instant.parse(given().header("X-Internal-Token", TOKEN).get("/publish/accounts/" + owner + "/instagram").then()
                .statusCode(200).extract().path("expiresAt"));
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
    void expiredStoredTokenIsRefreshedBeforeTheCallAndTheRotatedOneKept() throws Throwable {
        SandboxTokens.Pair issued = SandboxTokens.tiktok(sandbox);
        TestVideos video = TestVideos.generate(300_000);
        String stale = "stale-" + UUID.randomUUID();
        given().header("X-Internal-Token", TOKEN).contentType(ContentType.JSON)
                .body(Map.of("accessToken", stale, "refreshToken", issued.refreshToken(),
                        "expiresAt", Instant.now().minusSeconds(60).toString()))
                .put("/publish/accounts/" + video.ownerId + "/tiktok").then().statusCode(200);
        video.sendStored(UUID.randomUUID(), List.of("tiktok"));

        YouTubePublishingTest.awaitStatus(video, "published");
        assertTrue(SandboxTokens.refreshes(sandbox).contains("tiktok/" + issued.refreshToken()), "refreshed at the sandbox");
        // refreshed before the call: the stale token never reached TikTok (no 401 round trip)
        assertFalse(SandboxTokens.rejected(sandbox).contains(stale), "the expired token was sent to the platform");
        // TikTok rotated the refresh token: the spent one is refused now, and the account holds the new expiry
        given().formParam("client_key", "test").formParam("client_secret", "secret").formParam("grant_type", "refresh_token")
                .formParam("refresh_token", issued.refreshToken()).post(sandbox + "/v2/oauth/token/").then().statusCode(400)
                .body("error", equalTo("invalid_grant"));
        Instant expiresAt = Instant.parse(given().header("X-Internal-Token", TOKEN).get("/publish/accounts/" + video.ownerId + "/tiktok")
                .then().statusCode(200).body("hasRefreshToken", equalTo(true)).extract().path("expiresAt"));
        assertTrue(expiresAt.isAfter(Instant.now().plusSeconds(1800)), "new expiry saved: " + expiresAt);

        // the rotated refresh token was persisted: once the token expires again, a republish refreshes with the new one
        List<String> before = SandboxTokens.refreshes(sandbox);
        VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() ->
                Account.update("expiresAt = ?1 where ownerId = ?2", Instant.now().minusSeconds(1), video.ownerId)));
        given().header("X-Internal-Token", TOKEN).contentType(ContentType.JSON)
                .body(Map.of("ownerId", video.ownerId, "platforms", List.of("tiktok"), "republish", true,
                        "tiktok", Map.of("privacyLevel", "PUBLIC_TO_EVERYONE")))
                .post("/publish/projects/" + video.projectId + "/publishings").then().statusCode(202);
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> given().header("X-Internal-Token", TOKEN)
                .get("/publish/projects/" + video.projectId + "/publishings").then().extract().jsonPath()
                .getList("findAll { it.status == 'published' }").size() == 2);
        List<String> rotated = SandboxTokens.refreshes(sandbox).stream()
                .filter(r -> r.startsWith("tiktok/rft.") && !before.contains(r)).toList();
        assertEquals(1, rotated.size(), rotated.toString());
        assertNotEquals("tiktok/" + issued.refreshToken(), rotated.get(0));
    }

    @Test
    void tokenNearExpiryIsRefreshedFirstAndAFreshOneIsNot() throws Exception {
        SandboxTokens.Pair near = SandboxTokens.youtube(sandbox);
        SandboxTokens.Pair fresh = SandboxTokens.youtube(sandbox);
        TestVideos soon = TestVideos.generate(300_000);
        TestVideos later = TestVideos.generate(300_000);
        given().header("X-Internal-Token", TOKEN).contentType(ContentType.JSON)
                .body(Map.of("accessToken", near.accessToken(), "refreshToken", near.refreshToken(),
                        "expiresAt", Instant.now().plusSeconds(120).toString()))
                .put("/publish/accounts/" + soon.ownerId + "/youtube").then().statusCode(200);
        given().header("X-Internal-Token", TOKEN).contentType(ContentType.JSON)
                .body(Map.of("accessToken", fresh.accessToken(), "refreshToken", fresh.refreshToken(),
                        "expiresAt", Instant.now().plusSeconds(3000).toString()))
                .put("/publish/accounts/" + later.ownerId + "/youtube").then().statusCode(200);
        soon.sendStored(UUID.randomUUID(), List.of("youtube"));
        later.sendStored(UUID.randomUUID(), List.of("youtube"));

        YouTubePublishingTest.awaitStatus(soon, "published");
        YouTubePublishingTest.awaitStatus(later, "published");
        List<String> refreshes = SandboxTokens.refreshes(sandbox);
        assertTrue(refreshes.contains("youtube/" + near.refreshToken()), "expiring within the 5 min margin: refreshed first");
        assertFalse(refreshes.contains("youtube/" + fresh.refreshToken()), "valid for 50 min: not refreshed");
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
