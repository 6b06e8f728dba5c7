package io.contentmachine.sandbox.pexels;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.contentmachine.sandbox.SandboxClient;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Pexels stand-in speaks Pexels' documented protocol: search endpoints for videos and photos with their response
 * shapes and pagination, the key in the Authorization header, X-Ratelimit-* on successful answers only, 429 over the
 * hourly limit, 401 for a bad key, and file links serving real media of the listed sizes.
 */
@QuarkusTest
class PexelsProtocolTest {

    static final String KEY = "sandbox-pexels-key";

    @BeforeEach
    void clean() {
        SandboxClient.reset();
    }

    @Test
    void videoSearchAnswersAsPexelsDoesWithPagesAndRateLimitHeaders() {
        Response first = given().header("Authorization", KEY).queryParam("query", "octopus ocean").queryParam("orientation", "portrait")
                .queryParam("per_page", 2).get("/videos/search");
        first.then().statusCode(200).header("X-Ratelimit-Limit", "20000").header("X-Ratelimit-Remaining", "19999")
                .body("page", equalTo(1)).body("per_page", equalTo(2)).body("total_results", greaterThan(2))
                .body("prev_page", nullValue()).body("next_page", containsString("page=2"))
                .body("videos.size()", equalTo(2))
                .body("videos[0].id", equalTo(5100101)).body("videos[0].url", containsString("https://www.pexels.com/video/"))
                .body("videos[0].user.name", equalTo("Maya Reef")).body("videos[0].user.url", containsString("pexels.com/@"))
                .body("videos[0].duration", equalTo(6))
                .body("videos[0].video_files.quality", hasItem("uhd")).body("videos[0].video_files.quality", hasItem("hls"))
                .body("videos.height", everyItem(greaterThan(2000)));
        long reset = Long.parseLong(first.header("X-Ratelimit-Reset"));
        assertTrue(reset > Instant.now().getEpochSecond(), "the monthly period rolls over in the future");

        String next = first.jsonPath().getString("next_page");
        given().header("Authorization", KEY).get(next).then().statusCode(200).body("page", equalTo(2))
                .body("prev_page", containsString("page=1")).header("X-Ratelimit-Remaining", "19998");
        given().header("Authorization", KEY).queryParam("query", "unicorn").get("/videos/search").then().statusCode(200)
                .body("total_results", equalTo(0)).body("videos.size()", equalTo(0)).body("next_page", nullValue());
        given().header("Authorization", KEY).queryParam("query", "ocean").queryParam("per_page", 500).get("/videos/search").then()
                .body("per_page", equalTo(80));
    }

    @Test
    void photoSearchListsEverySizeAndTheFilesAreRealImagesOfThatSize() throws Exception {
        Response r = given().header("Authorization", KEY).queryParam("query", "heart").queryParam("orientation", "portrait")
                .get("/v1/search");
        r.then().statusCode(200).header("X-Ratelimit-Remaining", notNullValue())
                .body("photos[0].id", equalTo(6200202)).body("photos[0].photographer", equalTo("Ruth Lab"))
                .body("photos[0].photographer_url", containsString("pexels.com/@")).body("photos[0].url", containsString("/photo/"))
                .body("photos[0].src.original", notNullValue()).body("photos[0].src.large2x", notNullValue())
                .body("photos[0].alt", equalTo("A model of a heart"));
        Path file = download(r.jsonPath().getString("photos[0].src.large2x"), "photo.jpeg");
        assertEquals("867x1300", size(file), "large2x: into 1880x1300, the photo's 2:3 kept");
        Response v = given().header("Authorization", KEY).queryParam("query", "octopus").get("/videos/search");
        String sd = v.jsonPath().getString("videos[0].video_files.find { it.quality == 'sd' }.link");
        Path clip = download(sd, "clip.mp4");
        assertEquals("540x960", size(clip));
        assertEquals(List.of("photos/6200202/large2x.jpeg", "videos/5100101/sd.mp4"),
                given().get("/sandbox/pexels/downloads").jsonPath().getList("$", String.class));
    }

    @Test
    void aBadKeyIs401AndTheHourlyLimitIs429WithoutRateLimitHeaders() {
        given().queryParam("query", "ocean").get("/videos/search").then().statusCode(401).body("error", containsString("API key"));
        given().header("Authorization", "wrong").queryParam("query", "ocean").get("/v1/search").then().statusCode(401)
                .header("X-Ratelimit-Limit", nullValue());
        for (int i = 0; i < 30; i++) {
            given().header("Authorization", "hourly-test-key").queryParam("query", "ocean").get("/v1/search").then().statusCode(200);
        }
        given().header("Authorization", "hourly-test-key").queryParam("query", "ocean").get("/videos/search").then().statusCode(429)
                .header("X-Ratelimit-Remaining", nullValue());
        // another key is not affected; an armed fault gives one 429 to it too
        given().contentType("application/json").body("{\"platform\":\"pexels\",\"operation\":\"videos\",\"kind\":\"rate-limit\"}")
                .post("/sandbox/faults").then().statusCode(201);
        given().header("Authorization", KEY).queryParam("query", "ocean").get("/videos/search").then().statusCode(429);
        given().header("Authorization", KEY).queryParam("query", "ocean").get("/videos/search").then().statusCode(200);
    }

    private static Path download(String url, String name) throws Exception {
        Path file = Files.createTempDirectory("pexels-test-").resolve(name);
        Files.write(file, given().get(url).then().statusCode(200).extract().asByteArray());
        return file;
    }

    private static String size(Path file) throws Exception {
        Process p = new ProcessBuilder("ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries", "stream=width,height",
                "-of", "csv=p=0:s=x", file.toString()).start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        return new String(p.getInputStream().readAllBytes()).strip();
    }
}
