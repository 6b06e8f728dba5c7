package io.contentmachine.sandbox.instagram;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import java.time.Duration;

import io.contentmachine.sandbox.SandboxClient;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** POST /{ig-media-id}/comments: a comment on a published Reel, its limits, and a token without the comments permission. */
@QuarkusTest
class InstagramCommentsTest {

    static final String USER = InstagramReelsTest.USER;

    @BeforeEach
    void clean() {
        SandboxClient.reset();
    }

    @Test
    void aCommentOnAPublishedReelIsRecordedAndItsLimitsAreChecked() {
        String media = publishedReel();
        String text = "Sources and music credits below 👇 " + "#tag ".repeat(30);
        String id = comment(media, text, "sandbox-token").then().statusCode(200).extract().path("id");
        given().get("/sandbox/instagram/media/" + media + "/comments").then().statusCode(200)
                .body("$", hasSize(1)).body("[0].id", equalTo(id)).body("[0].text", equalTo(text));

        comment(media, text + " #one_too_many", "sandbox-token").then().statusCode(400).body("error.code", equalTo(100));
        comment(media, "é".repeat(2201), "sandbox-token").then().statusCode(400).body("error.code", equalTo(100));
        comment(media, "", "sandbox-token").then().statusCode(400).body("error.code", equalTo(100));
        comment("17999999999999999", text, "sandbox-token").then().statusCode(400).body("error.error_subcode", equalTo(33));
        comment(media, text, "bogus").then().statusCode(400).body("error.code", equalTo(190));

        SandboxClient.arm("""
                {"platform":"instagram","operation":"comments","kind":"insufficient-permissions"}""");
        comment(media, text, "sandbox-token").then().statusCode(403).body("error.code", equalTo(10));
        given().get("/sandbox/instagram/media/" + media + "/comments").then().body("$", hasSize(1));
    }

    private static Response comment(String media, String message, String token) {
        return given().contentType("application/x-www-form-urlencoded; charset=UTF-8").formParam("message", message)
                .formParam("access_token", token).post("/v23.0/" + media + "/comments");
    }

    private static String publishedReel() {
        String videoUrl = SandboxClient.seedVideo(SandboxClient.randomBytes(40_000, 31));
        String container = given().contentType("application/x-www-form-urlencoded; charset=UTF-8")
                .formParam("media_type", "REELS").formParam("video_url", videoUrl).formParam("caption", "a reel")
                .formParam("access_token", "sandbox-token").post("/v23.0/" + USER + "/media").then().statusCode(200)
                .extract().path("id");
        await().atMost(Duration.ofSeconds(15)).until(() -> "FINISHED".equals(given().queryParam("fields", "status_code")
                .queryParam("access_token", "sandbox-token").get("/v23.0/" + container).then().extract().path("status_code")));
        return given().formParam("creation_id", container).formParam("access_token", "sandbox-token")
                .post("/v23.0/" + USER + "/media_publish").then().statusCode(200).extract().path("id");
    }
}
