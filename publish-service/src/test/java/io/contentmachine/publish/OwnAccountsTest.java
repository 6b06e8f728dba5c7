package io.contentmachine.publish;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.contentmachine.publish.accounts.Account;
import io.contentmachine.publish.accounts.DefaultAccounts;
import io.contentmachine.publish.accounts.TokenCipher;
import io.contentmachine.testsupport.KafkaResource;
import io.contentmachine.testsupport.PostgresResource;
import io.contentmachine.testsupport.SandboxResource;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.smallrye.mutiny.Multi;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Each owner publishes through their own account: the configured default tokens are the admin's account (test profile),
 * rotate and persist like anyone's; an owner without an account gets a 409 and nothing is uploaded.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(SandboxResource.class)
@WithTestResource(StorageStandIn.class)
class OwnAccountsTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String TOKEN = "test-internal-token";

    @ConfigProperty(name = "sandbox.url")
    String sandbox;

    @Inject
    TokenCipher cipher;

    @Inject
    DefaultAccounts defaults;

    @Test
    void configuredTokensAreTheAdminsAccountAndNobodyElses() {
        for (String platform : List.of("youtube", "tiktok", "instagram")) {
            String body = given().header("X-Internal-Token", TOKEN).get("/publish/accounts/admin/" + platform).then().statusCode(200)
                    .body("ownerId", equalTo("admin")).body("status", equalTo("connected"))
                    .body("hasRefreshToken", equalTo(!"instagram".equals(platform))).extract().asString();
            assertFalse(body.contains("sandbox-token") || body.contains("sandbox-refresh"), "tokens are never shown: " + body);
        }
        given().header("X-Internal-Token", TOKEN).get("/publish/accounts/owner-" + UUID.randomUUID() + "/youtube").then().statusCode(404);
    }

    @Test
    void publishWithoutAnAccountIsRefusedAndNothingIsUploaded() throws Exception {
        TestVideos video = TestVideos.withoutAccounts(300_000);
        video.sendStored(UUID.randomUUID(), null);
        String path = "/publish/projects/" + video.projectId + "/publishings";
        Map<String, Object> request = Map.of("ownerId", video.ownerId, "platforms", List.of("youtube", "tiktok"));
        // the video is known once video.stored is consumed; until then the answer is "Video not stored"
        Response refused = Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> given().header("X-Internal-Token", TOKEN).contentType(ContentType.JSON).body(request).post(path),
                        response -> !"Video not stored".equals(response.jsonPath().getString("error")));
        assertEquals(409, refused.statusCode(), refused.asString());
        assertEquals("no connected youtube account; connect one with POST /api/accounts/youtube/connect",
                refused.jsonPath().getString("error"));
        assertEquals(List.of("no connected youtube account; connect one with POST /api/accounts/youtube/connect",
                "no connected tiktok account; connect one with POST /api/accounts/tiktok/connect"),
                refused.jsonPath().getList("details"));

        // one platform alone: the error names it, without details
        given().header("X-Internal-Token", TOKEN).contentType(ContentType.JSON)
                .body(Map.of("ownerId", video.ownerId, "platforms", List.of("instagram"))).post(path).then().statusCode(409)
                .body("error", equalTo("no connected instagram account; connect one with POST /api/accounts/instagram/connect"))
                .body("details", nullValue());
        JsonNode listed = MAPPER.readTree(given().header("X-Internal-Token", TOKEN).get(path).then().statusCode(200).extract().asString());
        assertEquals(0, listed.size(), listed.toString());
        assertTrue(YouTubePublishingTest.uploadsWithSha(sandbox, video.sha256).isEmpty());
    }

    @Test
    void publishAskedAtCreateWithoutAnAccountFailsWithTheSameReason() throws Exception {
        TestVideos video = TestVideos.withoutAccounts(300_000);
        video.sendStored(UUID.randomUUID(), List.of("tiktok"));

        JsonNode failed = YouTubePublishingTest.awaitStatus(video, "failed");
        assertEquals("no_account", failed.path("error").path("code").asText(), failed.toString());
        assertEquals("no connected tiktok account; connect one with POST /api/accounts/tiktok/connect",
                failed.path("error").path("message").asText());
        assertTrue(YouTubePublishingTest.uploadsWithSha(sandbox, video.sha256).isEmpty());
    }

    @Test
    void theAdminsConfiguredTokensRotateAndTheRotatedOnesPersist() throws Throwable {
        // the admin's TikTok access token has expired: the publish refreshes it first with the configured refresh token
        expire("admin", "tiktok");
        TestVideos first = TestVideos.withoutAccounts(300_000).of("admin");
        first.sendStored(UUID.randomUUID(), List.of("tiktok"));
        YouTubePublishingTest.awaitStatus(first, "published");
        assertTrue(SandboxTokens.refreshes(sandbox).contains("tiktok/sandbox-refresh"), SandboxTokens.refreshes(sandbox).toString());
        Account rotated = account("admin", "tiktok");
        String refresh = cipher.decrypt(rotated.refreshToken);
        assertTrue(refresh.startsWith("rft.sandbox-"), "the rotated refresh token is stored");
        assertTrue(cipher.decrypt(rotated.accessToken).startsWith("act.sandbox-"), "the new access token is stored");
        assertNotNull(rotated.configuredTokens, "still the account made of the configuration");

        // a restart reads the same configuration again: the rotated tokens stay
        VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> Multi.createFrom()
                .iterable(defaults.configured()).onItem().transformToUniAndConcatenate(defaults::apply).collect().last()));
        assertEquals(refresh, cipher.decrypt(account("admin", "tiktok").refreshToken));

        // the next refresh spends the rotated refresh token (the configured one would be the wrong one to keep using)
        expire("admin", "tiktok");
        TestVideos second = first.sameOwnerNewProject();
        second.sendStored(UUID.randomUUID(), List.of("tiktok"));
        YouTubePublishingTest.awaitStatus(second, "published");
        assertTrue(SandboxTokens.refreshes(sandbox).contains("tiktok/" + refresh), SandboxTokens.refreshes(sandbox).toString());
        String next = cipher.decrypt(account("admin", "tiktok").refreshToken);
        assertTrue(next.startsWith("rft.sandbox-") && !next.equals(refresh), "rotated again and stored again");
    }

    private static void expire(String ownerId, String platform) throws Throwable {
        VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> Account.update(
                "expiresAt = ?1 where ownerId = ?2 and platform = ?3", Instant.now().minusSeconds(60), ownerId, platform)));
    }

    private static Account account(String ownerId, String platform) throws Throwable {
        return VertxContextSupport.subscribeAndAwait(() -> Panache.withSession(() -> Account.<Account>findById(
                new Account.Key(ownerId, platform))));
    }
}
