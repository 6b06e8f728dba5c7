package io.contentmachine.sandbox.instagram;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.emptyString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;

import io.contentmachine.sandbox.SandboxClient;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Instagram Reels: container → download → FINISHED → media_publish, quota, faults, caption limits, token refresh. */
@QuarkusTest
class InstagramReelsTest {

    static final String USER = "17841400000000001";

    @BeforeEach
    void clean() {
        SandboxClient.reset();
    }

    @Test
    void containerIsDownloadedThenPublishedAndCountsAgainstTheQuota() throws Exception {
        byte[] bytes = SandboxClient.randomBytes(50_000, 21);
        String videoUrl = SandboxClient.seedVideo(bytes);
        quota().body("data[0].quota_usage", equalTo(0)).body("data[0].config.quota_total", equalTo(50))
                .body("data[0].config.quota_duration", equalTo(86400));

        String caption = "Reel ✨ " + "#tag ".repeat(30);
        String container = create(videoUrl, caption).then().statusCode(200).extract().path("id");
        status(container).body("status_code", equalTo("IN_PROGRESS"));
        given().formParam("creation_id", container).formParam("access_token", "sandbox-token")
                .post("/v23.0/" + USER + "/media_publish").then().statusCode(400)
                .body("error.code", equalTo(9007)).body("error.error_subcode", equalTo(2207027));

        awaitStatus(container, "FINISHED");
        given().get("/sandbox/uploads/" + container).then().statusCode(200)
                .body("platform", equalTo("instagram"))
                .body("sha256", equalTo(SandboxClient.sha256(bytes)))
                .body("metadata.caption", equalTo(caption))
                .body("metadata.media_type", equalTo("REELS"));

        String mediaId = given().queryParam("creation_id", container).header("Authorization", "Bearer sandbox-token")
                .post("/v21.0/" + USER + "/media_publish").then().statusCode(200).extract().path("id");
        status(container).body("status_code", equalTo("PUBLISHED"));
        quota().body("data[0].quota_usage", equalTo(1));
        given().get("/sandbox/uploads/" + container).then().body("status", equalTo("PUBLISHED")).body("postId", equalTo(mediaId));
        given().queryParam("fields", "id,permalink,like_count,comments_count,media_product_type")
                .queryParam("access_token", "sandbox-token")
                .get("/v23.0/" + mediaId).then().statusCode(200)
                .body("media_product_type", equalTo("REELS")).body("permalink", containsString(mediaId))
                .body("like_count", greaterThanOrEqualTo(0));
        given().queryParam("metric", "views,likes,comments").queryParam("access_token", "sandbox-token")
                .get("/v23.0/" + mediaId + "/insights").then().statusCode(200)
                .body("data.size()", equalTo(3)).body("data[0].name", equalTo("views"));
        given().formParam("creation_id", container).formParam("access_token", "sandbox-token")
                .post("/v23.0/" + USER + "/media_publish").then().statusCode(400).body("error.error_subcode", equalTo(2207006));
    }

    @Test
    void publishedMediaAreListedNewestFirstWithCursorPaging() throws Exception {
        String url = SandboxClient.seedVideo(SandboxClient.randomBytes(1000, 23));
        String first = publish(url, "first");
        String unpublished = create(url, "never published").then().statusCode(200).extract().path("id");
        String second = publish(url, "second");
        String third = publish(url, "third");

        JsonPath page = given().queryParam("fields", "id,caption,media_product_type,permalink,timestamp").queryParam("limit", 2)
                .queryParam("access_token", "sandbox-token").get("/v23.0/me/media").then().statusCode(200).extract().jsonPath();
        assertEquals(java.util.List.of(third, second), page.getList("data.id"));
        assertEquals(java.util.List.of("third", "second"), page.getList("data.caption"));
        assertEquals("REELS", page.getString("data[0].media_product_type"));
        assertEquals(true, page.getString("data[0].permalink").contains(third));
        String next = page.getString("paging.next");
        assertEquals(true, next != null && next.contains("after="), page.prettify());

        JsonPath rest = given().urlEncodingEnabled(false).get(next).then().statusCode(200).extract().jsonPath();
        assertEquals(java.util.List.of(first), rest.getList("data.id"));
        assertEquals(null, rest.getString("paging.next"));
        assertEquals(false, rest.getList("data.id").contains(unpublished));

        given().queryParam("access_token", "sandbox-token").get("/v23.0/17841400000000099/media").then().statusCode(200)
                .body("data.size()", equalTo(0));
        given().queryParam("access_token", "bogus").get("/v23.0/" + USER + "/media").then().statusCode(400)
                .body("error.code", equalTo(190));
        given().queryParam("after", "not-a-cursor").queryParam("access_token", "sandbox-token").get("/v23.0/" + USER + "/media")
                .then().statusCode(400).body("error.code", equalTo(100));
    }

    @Test
    void captionLimitsAreCountedInCodePoints() {
        String url = "http://127.0.0.1:1/never-fetched.mp4";
        create(url, "😀".repeat(2200)).then().statusCode(200);
        create(url, "😀".repeat(2201)).then().statusCode(400).body("error.code", equalTo(100))
                .body("error.error_user_msg", containsString("2201"));
        create(url, "#a ".repeat(31)).then().statusCode(400).body("error.error_user_msg", containsString("31 hashtags"));
        create(url, "@u ".repeat(21)).then().statusCode(400).body("error.error_user_msg", containsString("@-mentions"));
        given().formParam("media_type", "IMAGE").formParam("image_url", url).formParam("access_token", "sandbox-token")
                .post("/v23.0/" + USER + "/media").then().statusCode(400).body("error.type", equalTo("OAuthException"));
    }

    @Test
    void unreachableVideoUrlEndsInError() throws Exception {
        String container = create("http://127.0.0.1:1/missing.mp4", "x").then().statusCode(200).extract().path("id");
        JsonPath error = awaitStatus(container, "ERROR");
        assertEquals(true, error.getString("status").startsWith("Error:"));
    }

    @Test
    void faultsMakeContainersFailOrExpire() throws Exception {
        String url = SandboxClient.seedVideo(SandboxClient.randomBytes(1000, 22));
        SandboxClient.arm("""
                {"platform":"instagram","operation":"container","kind":"container-error"}""");
        String broken = create(url, "x").then().statusCode(200).extract().path("id");
        status(broken).body("status_code", equalTo("ERROR")).body("status", containsString("Error"));

        SandboxClient.arm("""
                {"platform":"instagram","operation":"container","kind":"container-expired"}""");
        String expired = create(url, "x").then().statusCode(200).extract().path("id");
        status(expired).body("status_code", equalTo("EXPIRED"));
        given().formParam("creation_id", expired).formParam("access_token", "sandbox-token")
                .post("/v23.0/" + USER + "/media_publish").then().statusCode(400).body("error.error_subcode", equalTo(2207020));

        SandboxClient.arm("""
                {"platform":"instagram","operation":"publish","kind":"http-5xx","status":503}""");
        given().formParam("creation_id", expired).formParam("access_token", "sandbox-token")
                .post("/v23.0/" + USER + "/media_publish").then().statusCode(503)
                .body("error.is_transient", equalTo(true)).body("error.fbtrace_id", not(emptyString()));

        SandboxClient.arm("""
                {"platform":"instagram","operation":"status","kind":"token-expired"}""");
        status(expired, 400).body("error.code", equalTo(190)).body("error.type", equalTo("OAuthException"));
        status(expired).body("status_code", equalTo("EXPIRED"));
    }

    @Test
    void tokensAreCheckedAndRefreshed() {
        given().queryParam("fields", "user_id,username").header("Authorization", "Bearer sandbox-token").get("/v23.0/me")
                .then().statusCode(200).body("user_id", equalTo(USER));
        given().queryParam("fields", "quota_usage").queryParam("access_token", "bogus")
                .get("/v23.0/" + USER + "/content_publishing_limit").then().statusCode(400).body("error.code", equalTo(190));
        String token = given().queryParam("grant_type", "ig_refresh_token").queryParam("access_token", "sandbox-token")
                .get("/refresh_access_token").then().statusCode(200).body("token_type", equalTo("bearer"))
                .body("expires_in", equalTo(5_184_000)).extract().path("access_token");
        given().queryParam("fields", "quota_usage,config").queryParam("access_token", token)
                .get("/v23.0/" + USER + "/content_publishing_limit").then().statusCode(200);
        given().queryParam("grant_type", "ig_refresh_token").queryParam("access_token", "bogus")
                .get("/refresh_access_token").then().statusCode(400).body("error.code", equalTo(190));
    }

    private static Response create(String videoUrl, String caption) {
        return given().contentType("application/x-www-form-urlencoded; charset=UTF-8")
                .formParam("media_type", "REELS").formParam("video_url", videoUrl).formParam("caption", caption)
                .formParam("share_to_feed", "true").formParam("access_token", "sandbox-token")
                .post("/v23.0/" + USER + "/media");
    }

    /** A container published as soon as its video is in: the media id. */
    private static String publish(String videoUrl, String caption) throws InterruptedException {
        String container = create(videoUrl, caption).then().statusCode(200).extract().path("id");
        awaitStatus(container, "FINISHED");
        return given().formParam("creation_id", container).formParam("access_token", "sandbox-token")
                .post("/v23.0/" + USER + "/media_publish").then().statusCode(200).extract().path("id");
    }

    private static io.restassured.response.ValidatableResponse quota() {
        return given().queryParam("fields", "quota_usage,config").queryParam("access_token", "sandbox-token")
                .get("/v23.0/" + USER + "/content_publishing_limit").then().statusCode(200);
    }

    private static io.restassured.response.ValidatableResponse status(String container) {
        return status(container, 200);
    }

    private static io.restassured.response.ValidatableResponse status(String container, int expected) {
        return given().queryParam("fields", "status_code,status").queryParam("access_token", "sandbox-token")
                .get("/v23.0/" + container).then().statusCode(expected);
    }

    private static JsonPath awaitStatus(String container, String wanted) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(15));
        JsonPath last = null;
        while (Instant.now().isBefore(deadline)) {
            last = status(container).extract().jsonPath();
            if (wanted.equals(last.getString("status_code"))) {
                return last;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("status_code never became " + wanted + ": " + (last == null ? null : last.prettify()));
    }
}
