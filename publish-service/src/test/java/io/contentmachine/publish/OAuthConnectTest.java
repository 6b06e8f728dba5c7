package io.contentmachine.publish;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import io.contentmachine.publish.accounts.Account;
import io.contentmachine.publish.accounts.OAuthState;
import io.contentmachine.publish.accounts.TokenCipher;
import io.contentmachine.testsupport.KafkaResource;
import io.contentmachine.testsupport.PostgresResource;
import io.contentmachine.testsupport.SandboxResource;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.path.json.JsonPath;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * The OAuth connect flow against the sandbox's consent pages and token endpoints: start → consent (the sandbox approves
 * and redirects back with a code) → callback → connected account that publishes; replayed, expired, denied and
 * unknown states are 400s.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(SandboxResource.class)
@WithTestResource(StorageStandIn.class)
class OAuthConnectTest {

    private static final String TOKEN = "test-internal-token";
    private static final String REDIRECT_BASE = "http://localhost:8080/api/oauth/";

    @ConfigProperty(name = "sandbox.url")
    String sandbox;
    @Inject
    TokenCipher cipher;

    @Test
    void youtubeConnectFlowStoresAnAccountThatPublishes() throws Throwable {
        TestVideos video = TestVideos.generate(400_000);
        JsonPath started = start("youtube", video.ownerId);
        String url = started.getString("authorizationUrl");
        Map<String, String> query = query(URI.create(url));
        assertTrue(url.startsWith(sandbox + "/o/oauth2/v2/auth?"), url);
        assertEquals("offline", query.get("access_type"));
        assertEquals("consent", query.get("prompt"));
        assertEquals("code", query.get("response_type"));
        assertEquals("sandbox-client", query.get("client_id"));
        assertEquals(REDIRECT_BASE + "youtube/callback", query.get("redirect_uri"));
        assertTrue(query.get("scope").contains("youtube.upload"), url);
        assertEquals(started.getString("state"), query.get("state"));
        assertTrue(started.getString("state").length() >= 32);
        Instant expiresAt = Instant.parse(started.getString("expiresAt"));
        assertTrue(expiresAt.isAfter(Instant.now().plus(Duration.ofMinutes(9))) && expiresAt.isBefore(Instant.now()
                .plus(Duration.ofMinutes(11))));

        Map<String, String> back = consent(url, "youtube");
        // the callback is the one route without the internal token (the gateway proxies it publicly)
        JsonPath connected = given().queryParam("code", back.get("code")).queryParam("state", back.get("state"))
                .get("/publish/oauth/youtube/callback").then().statusCode(200)
                .body("ownerId", equalTo(video.ownerId)).body("platform", equalTo("youtube")).body("status", equalTo("connected"))
                .extract().jsonPath();
        // the channel is the one the sandbox reports for the token this consent gave (each consent has a channel of its own)
        JsonPath channel = given().header("Authorization", "Bearer " + storedAccessToken(video.ownerId, "youtube"))
                .get(sandbox + "/youtube/v3/channels?part=snippet&mine=true").then().statusCode(200).extract().jsonPath();
        String channelId = channel.getString("items[0].id");
        String channelTitle = channel.getString("items[0].snippet.title");
        assertTrue(channelId != null && channelId.startsWith("UC"), channelId);
        assertFalse(channelTitle == null || channelTitle.isBlank());
        assertEquals(channelTitle, connected.getString("accountName"));
        given().header("X-Internal-Token", TOKEN).get("/publish/accounts/" + video.ownerId + "/youtube").then().statusCode(200)
                .body("status", equalTo("connected")).body("hasRefreshToken", equalTo(true))
                .body("platformUserId", equalTo(channelId)).body("accountName", equalTo(channelTitle))
                .body(not(containsString("ya29")));

        video.sendStored(UUID.randomUUID(), List.of("youtube"));
        YouTubePublishingTest.awaitStatus(video, "published");
        assertEquals(1, YouTubePublishingTest.uploadsWithSha(sandbox, video.sha256).size());

        // the same callback again: the state was spent
        given().queryParam("code", back.get("code")).queryParam("state", back.get("state"))
                .get("/publish/oauth/youtube/callback").then().statusCode(400).body("error", containsString("already used"));
    }

    @Test
    void tiktokAndInstagramConnectWithTheirAccountNames() {
        String owner = UUID.randomUUID().toString();
        for (String platform : List.of("tiktok", "instagram")) {
            String url = start(platform, owner).getString("authorizationUrl");
            assertEquals(REDIRECT_BASE + platform + "/callback", query(URI.create(url)).get("redirect_uri"));
            Map<String, String> back = consent(url, platform);
            JsonPath connected = given().queryParam("code", back.get("code")).queryParam("state", back.get("state"))
                    .get("/publish/oauth/" + platform + "/callback").then().statusCode(200).extract().jsonPath();
            assertEquals(owner, connected.getString("ownerId"));
            assertEquals("connected", connected.getString("status"));
            assertFalse(connected.getString("accountName") == null || connected.getString("accountName").isBlank(), platform);
            given().header("X-Internal-Token", TOKEN).get("/publish/accounts/" + owner + "/" + platform).then().statusCode(200)
                    .body("accountName", equalTo(connected.getString("accountName")));
        }
        given().header("X-Internal-Token", TOKEN).get("/publish/accounts/" + owner + "/tiktok").then().statusCode(200)
                .body("platformUserId", equalTo("sandbox-open-id")).body("hasRefreshToken", equalTo(true));
        given().header("X-Internal-Token", TOKEN).get("/publish/accounts/" + owner + "/instagram").then().statusCode(200)
                .body("platformUserId", equalTo("17841400000000001"));
    }

    @Test
    void expiredStateIsRefused() throws Throwable {
        String owner = UUID.randomUUID().toString();
        String url = start("youtube", owner).getString("authorizationUrl");
        Map<String, String> back = consent(url, "youtube");
        VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() ->
                OAuthState.update("expiresAt = ?1 where ownerId = ?2", Instant.now().minusSeconds(1), owner)));
        given().queryParam("code", back.get("code")).queryParam("state", back.get("state"))
                .get("/publish/oauth/youtube/callback").then().statusCode(400).body("error", containsString("expired"));
        given().header("X-Internal-Token", TOKEN).get("/publish/accounts/" + owner + "/youtube").then().statusCode(404);
    }

    @Test
    void deniedConsentIsA400AndSpendsTheState() {
        String owner = UUID.randomUUID().toString();
        String state = start("tiktok", owner).getString("state");
        given().queryParam("error", "access_denied").queryParam("error_description", "The user denied the request")
                .queryParam("state", state).get("/publish/oauth/tiktok/callback").then().statusCode(400)
                .body("error", equalTo("Authorization denied by the user"));
        given().queryParam("code", "tiktok-code-anything").queryParam("state", state)
                .get("/publish/oauth/tiktok/callback").then().statusCode(400).body("error", containsString("already used"));
        given().header("X-Internal-Token", TOKEN).get("/publish/accounts/" + owner + "/tiktok").then().statusCode(404);
    }

    @Test
    void badCallbacksAndStartsAre4xxJson() {
        String owner = UUID.randomUUID().toString();
        given().queryParam("ownerId", owner).get("/publish/oauth/youtube/start").then().statusCode(401);
        given().header("X-Internal-Token", TOKEN).queryParam("ownerId", owner).get("/publish/oauth/vimeo/start").then()
                .statusCode(400).body("error", equalTo("Unknown platform"));
        given().header("X-Internal-Token", TOKEN).get("/publish/oauth/youtube/start").then()
                .statusCode(400).body("error", equalTo("Validation failed"));
        given().queryParam("code", "c").queryParam("state", "s").get("/publish/oauth/vimeo/callback").then()
                .statusCode(400).body("error", equalTo("Unknown platform"));
        given().queryParam("code", "c").queryParam("state", "never-issued").get("/publish/oauth/youtube/callback").then()
                .statusCode(400).body("error", equalTo("Unknown OAuth state"));
        given().queryParam("code", "c").get("/publish/oauth/youtube/callback").then()
                .statusCode(400).body("error", equalTo("The state parameter is missing"));
        // a state started for YouTube is not accepted by TikTok's callback
        String state = start("youtube", owner).getString("state");
        given().queryParam("code", "c").queryParam("state", state).get("/publish/oauth/tiktok/callback").then()
                .statusCode(400).body("error", containsString("issued for youtube"));
        // a code the platform refuses (made up) is a 400 too, with the platform's reason
        String fresh = start("youtube", owner).getString("state");
        given().queryParam("code", "made-up-code").queryParam("state", fresh).get("/publish/oauth/youtube/callback").then()
                .statusCode(400).body("error", containsString("invalid_grant"));
    }

    /** The access token the connect flow stored for the owner, decrypted. */
    private String storedAccessToken(String ownerId, String platform) throws Throwable {
        Account account = VertxContextSupport.subscribeAndAwait(() -> Panache.withSession(() ->
                Account.<Account>findById(new Account.Key(ownerId, platform))));
        return cipher.decrypt(account.accessToken);
    }

    private static JsonPath start(String platform, String ownerId) {
        return given().header("X-Internal-Token", TOKEN).queryParam("ownerId", ownerId)
                .get("/publish/oauth/" + platform + "/start").then().statusCode(200).extract().jsonPath();
    }

    /** Opens the consent URL as the owner's browser would: the sandbox approves and redirects to the callback. */
    private static Map<String, String> consent(String url, String platform) {
        String location = given().urlEncodingEnabled(false).redirects().follow(false).get(url).then().statusCode(302).extract()
                .header("Location");
        assertTrue(location.startsWith(REDIRECT_BASE + platform + "/callback?"), location);
        return query(URI.create(location));
    }

    private static Map<String, String> query(URI uri) {
        return Arrays.stream(uri.getRawQuery().split("&")).map(p -> p.split("=", 2))
                .collect(Collectors.toMap(p -> p[0], p -> URLDecoder.decode(p[1], StandardCharsets.UTF_8)));
    }
}
