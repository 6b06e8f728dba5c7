package io.contentmachine.sandbox;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** The OAuth connect flow of each platform: consent redirects back with a code, the code is exchanged once for tokens. */
@QuarkusTest
class OAuthConnectTest {

    static final String CALLBACK = "http://localhost:8084/publish/oauth/callback";

    @Test
    void googleCodeIsExchangedOnceForTokens() {
        Map<String, String> back = consent("/o/oauth2/v2/auth?client_id=cid&response_type=code&access_type=offline&redirect_uri="
                + CALLBACK + "&state=s1");
        assertEquals("s1", back.get("state"));
        String refresh = given().formParam("client_id", "cid").formParam("client_secret", "secret").formParam("code", back.get("code"))
                .formParam("grant_type", "authorization_code").formParam("redirect_uri", CALLBACK).post("/token")
                .then().statusCode(200).body("token_type", equalTo("Bearer")).extract().path("refresh_token");
        given().formParam("client_id", "cid").formParam("client_secret", "secret").formParam("refresh_token", refresh)
                .formParam("grant_type", "refresh_token").post("/token").then().statusCode(200);
        given().formParam("client_id", "cid").formParam("client_secret", "secret").formParam("code", back.get("code"))
                .formParam("grant_type", "authorization_code").post("/token")
                .then().statusCode(400).body("error", equalTo("invalid_grant"));
    }

    @Test
    void tiktokCodeIsExchangedForTokens() {
        Map<String, String> back = consent("/v2/auth/authorize/?client_key=key&scope=video.publish&response_type=code&redirect_uri="
                + CALLBACK + "&state=s2");
        given().formParam("client_key", "key").formParam("client_secret", "secret").formParam("code", back.get("code"))
                .formParam("grant_type", "authorization_code").formParam("redirect_uri", CALLBACK).post("/v2/oauth/token/")
                .then().statusCode(200).body("access_token", startsWith("act.")).body("refresh_token", startsWith("rft."));
    }

    @Test
    void instagramCodeIsExchangedForAShortThenALongLivedToken() {
        Map<String, String> back = consent("/oauth/authorize?client_id=cid&response_type=code&scope=instagram_business_basic"
                + "&redirect_uri=" + CALLBACK + "&state=s3");
        String shortLived = given().formParam("client_id", "cid").formParam("client_secret", "secret")
                .formParam("grant_type", "authorization_code").formParam("redirect_uri", CALLBACK).formParam("code", back.get("code"))
                .post("/oauth/access_token").then().statusCode(200).extract().path("data[0].access_token");
        given().queryParam("grant_type", "ig_exchange_token").queryParam("client_secret", "secret").queryParam("access_token", shortLived)
                .get("/access_token").then().statusCode(200).body("expires_in", equalTo(5_184_000));
    }

    private static Map<String, String> consent(String path) {
        String location = given().redirects().follow(false).get(path).then().statusCode(302).extract().header("Location");
        assertTrue(location.startsWith(CALLBACK + "?"), location);
        return Arrays.stream(URI.create(location).getQuery().split("&")).map(p -> p.split("=", 2))
                .collect(Collectors.toMap(p -> p[0], p -> p[1]));
    }
}
