package io.contentmachine.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import java.util.Map;

import io.contentmachine.testsupport.KafkaResource;
import io.contentmachine.testsupport.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

/** Connecting a platform account through OAuth: connect (API key, owner = caller) and the public callback, via publish-service. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(KafkaResource.class)
class AccountConnectTest {

    @Test
    void connectStartsOAuthForTheCallerAndTheCallbackCompletesItWithoutAKey() {
        String[] owner = Api.newOwner("oauth");
        Response connect = Api.as(owner[1]).post("/api/accounts/tiktok/connect");
        connect.then().statusCode(200)
                .body("authorizationUrl", startsWith("http://sandbox.test/oauth/tiktok/authorize?state="))
                .body("state", nullValue());
        Instant.parse(connect.path("expiresAt"));
        String state = ((String) connect.path("authorizationUrl")).replaceAll(".*state=", "");
        // the owner publish-service was asked for is the key's owner, never something the caller chose
        assertEquals(owner[0] + ":tiktok", FakeServices.oauthStates.get(state));

        // the platform redirects the browser, which carries no API key
        given().queryParam("code", "good-code").queryParam("state", state).get("/api/oauth/tiktok/callback").then().statusCode(200)
                .body("ownerId", equalTo(owner[0])).body("platform", equalTo("tiktok")).body("status", equalTo("connected"))
                .body("accountName", equalTo(owner[0] + "-channel"));
        Map<String, String> forwarded = FakeServices.callbacks.get(FakeServices.callbacks.size() - 1);
        assertEquals(Map.of("platform", "tiktok", "code", "good-code", "state", state), Map.of("platform", forwarded.get("platform"),
                "code", forwarded.get("code"), "state", forwarded.get("state")));
        assertNull(forwarded.get("error"));
        Api.as(owner[1]).get("/api/accounts").then().statusCode(200).body("find { it.platform == 'tiktok' }.connected", equalTo(true));

        // the state is single-use: a replayed callback is refused with publish-service's JSON error
        given().queryParam("code", "good-code").queryParam("state", state).get("/api/oauth/tiktok/callback").then().statusCode(400)
                .body("error", equalTo("Unknown or expired state"));
    }

    @Test
    void aDeniedConsentIsForwardedAndAnswered400() {
        String[] owner = Api.newOwner("denied");
        String url = Api.as(owner[1]).post("/api/accounts/youtube/connect").then().statusCode(200).extract().path("authorizationUrl");
        String state = url.replaceAll(".*state=", "");
        given().queryParam("error", "access_denied").queryParam("error_description", "The user said no").queryParam("state", state)
                .get("/api/oauth/youtube/callback").then()
                .statusCode(400).contentType(containsString("json")).body("error", equalTo("Authorization denied: access_denied"));
        Map<String, String> forwarded = FakeServices.callbacks.get(FakeServices.callbacks.size() - 1);
        assertEquals("access_denied", forwarded.get("error"));
        assertEquals("The user said no", forwarded.get("error_description"));
        assertEquals(state, forwarded.get("state"));
        assertNull(forwarded.get("code"));
        Api.as(owner[1]).get("/api/accounts").then().body("find { it.platform == 'youtube' }.connected", equalTo(false));
    }

    @Test
    void connectNeedsAKeyAndAKnownPlatform() {
        String[] owner = Api.newOwner("connect");
        given().post("/api/accounts/youtube/connect").then().statusCode(401).body("error", equalTo("Missing or invalid API key"));
        given().header("X-API-Key", "not-a-key").post("/api/accounts/youtube/connect").then().statusCode(401);
        Api.as(owner[1]).post("/api/accounts/myspace/connect").then().statusCode(400)
                .body("details", hasItem(containsString("valid: youtube, tiktok, instagram")));
        // only the callback is public: the other account routes and look-alike paths still need a key
        given().get("/api/accounts/youtube").then().statusCode(401);
        given().get("/api/oauth/youtube/callback/extra").then().statusCode(401);
        given().post("/api/oauth/youtube/callback").then().statusCode(401);
        given().get("/api/oauth/../videos/callback").then().statusCode(401);
    }

    @Test
    void callbackChecksItsParametersBeforeAskingPublishService() {
        int before = FakeServices.callbacks.size();
        given().queryParam("code", "x").queryParam("state", "s").get("/api/oauth/myspace/callback").then().statusCode(400)
                .body("details", hasItem(containsString("valid: youtube, tiktok, instagram")));
        given().queryParam("code", "x").get("/api/oauth/youtube/callback").then().statusCode(400)
                .body("details", hasItem("state: required"));
        given().queryParam("state", "s").get("/api/oauth/youtube/callback").then().statusCode(400)
                .body("details", hasItem("code: required unless error is given"));
        given().queryParam("state", "s").queryParam("code", "c".repeat(3000)).get("/api/oauth/youtube/callback").then().statusCode(400);
        assertEquals(before, FakeServices.callbacks.size());
        // a state publish-service never issued
        given().queryParam("code", "good-code").queryParam("state", "forged").get("/api/oauth/instagram/callback").then()
                .statusCode(400).body("error", equalTo("Unknown or expired state"));
    }

    @Test
    void aPlatformThatFailsTheExchangeIsA502WithPublishServicesReasonNotAnOutage() {
        String[] owner = Api.newOwner("exchange");
        String url = Api.as(owner[1]).post("/api/accounts/instagram/connect").then().statusCode(200).extract().path("authorizationUrl");
        given().queryParam("code", "platform-fails").queryParam("state", url.replaceAll(".*state=", ""))
                .get("/api/oauth/instagram/callback").then().statusCode(502)
                .body("error", equalTo("Could not complete the connection: token endpoint answered 500"));
    }

    @Test
    void publishServiceDownIs503Json() {
        String[] owner = Api.newOwner("down");
        FakeServices.publishDown = true;
        try {
            Api.as(owner[1]).post("/api/accounts/youtube/connect").then().statusCode(503)
                    .body("error", equalTo("Publishing unavailable, try again shortly"));
            given().queryParam("code", "good-code").queryParam("state", "s").get("/api/oauth/youtube/callback").then().statusCode(503)
                    .contentType(containsString("json")).body("error", equalTo("Publishing unavailable, try again shortly"));
        } finally {
            FakeServices.publishDown = false;
        }
    }
}
