package io.contentmachine.sandbox.tiktok;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.emptyString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;

import io.contentmachine.sandbox.SandboxClient;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** TikTok Content Posting: chunk arithmetic, the init → chunks → status flow, faults, rotating refresh tokens. */
@QuarkusTest
class TikTokPostingTest {

    static final long MIB5 = 5L * 1024 * 1024;

    @BeforeEach
    void clean() {
        SandboxClient.reset();
    }

    @Test
    void chunkArithmeticIsCheckedExactly() {
        // 12,000,000 bytes in 5 MiB chunks: floor(12000000 / 5242880) = 2 chunks, the last one absorbs the rest
        init(12_000_000, MIB5, 2).then().statusCode(200).body("error.code", equalTo("ok"));
        init(12_000_000, MIB5, 3).then().statusCode(400).body("error.code", equalTo("invalid_params"))
                .body("error.message", containsString("floor(video_size / chunk_size) = 2"));
        init(30_000_000, 10_000_000, 3).then().statusCode(200);
        init(12_000_000, 5_000_000, 2).then().statusCode(400).body("error.message", containsString("chunk_size must be between"));
        init(200_000_000, 65_000_000, 3).then().statusCode(400).body("error.message", containsString("chunk_size must be between"));
        // the last chunk absorbs the remainder: 200 MB in 60 MB chunks = 3 chunks, the last 80 MB
        init(200_000_000, 60_000_000, 3).then().statusCode(200);
        init(300_000_000, 60_000_000, 5).then().statusCode(200);
        init(250_000_000, 64_000_000, 3).then().statusCode(200);
        init(199_000_000, 64_000_000, 3).then().statusCode(200);
        init(260_000_000, 64_000_000, 4).then().statusCode(200);
        init(191_000_000, 64_000_000, 2).then().statusCode(200);
        init(191_000_000, 64_000_000, 3).then().statusCode(400).body("error.message", containsString("floor"));
        init(6_000_000_000L, MIB5, 1144).then().statusCode(400).body("error.message", containsString("at most 1000"));
        // under 5 MB: one chunk of the whole file
        init(1_000_000, 1_000_000, 1).then().statusCode(200);
        init(4_000_000, 2_000_000, 2).then().statusCode(400).body("error.message", containsString("uploaded whole"));
        init(0, 0, 0).then().statusCode(400);
        given().spec(auth(freshToken()))
                .body("{\"post_info\":{\"privacy_level\":\"SELF_ONLY\"},\"source_info\":{\"source\":\"FILE_UPLOAD\"}}")
                .post("/v2/post/publish/video/init/").then().statusCode(400).body("error.message", containsString("video_size"));
        given().spec(auth(freshToken())).body("{\"post_info\":{\"privacy_level\":\"FRIENDS\"},\"source_info\":{\"source\":\"FILE_UPLOAD\","
                + "\"video_size\":1000,\"chunk_size\":1000,\"total_chunk_count\":1}}")
                .post("/v2/post/publish/video/init/").then().statusCode(400).body("error.code", equalTo("privacy_level_option_mismatch"));
        given().spec(auth(freshToken())).body("{not json").post("/v2/post/publish/video/init/").then().statusCode(400)
                .body("error.code", equalTo("invalid_params")).body("error.log_id", not(emptyString()));
    }

    @Test
    void initChunksAndStatusUntilPublished() throws Exception {
        given().spec(auth()).post("/v2/post/publish/creator_info/query/").then().statusCode(200)
                .body("error.code", equalTo("ok"))
                .body("data.privacy_level_options", hasSize(3))
                .body("data.max_video_post_duration_sec", equalTo(600))
                .body("data.creator_username", equalTo("sandbox_creator"));
        byte[] bytes = SandboxClient.randomBytes(12_000_000, 11);
        JsonPath init = init(bytes.length, MIB5, 2).then().statusCode(200).extract().jsonPath();
        String publishId = init.getString("data.publish_id");
        String uploadUrl = init.getString("data.upload_url");

        assertEquals(416, put(uploadUrl, bytes, MIB5, bytes.length).statusCode(), "chunks go in order");
        assertEquals(206, put(uploadUrl, bytes, 0, MIB5).statusCode());
        status(publishId).body("data.status", equalTo("PROCESSING_UPLOAD")).body("data.uploaded_bytes", equalTo((int) MIB5));
        HttpResponse<String> wrongSize = put(uploadUrl, bytes, MIB5, MIB5 + 1_000_000);
        assertEquals(416, wrongSize.statusCode());
        assertEquals("invalid_params", JsonPath.from(wrongSize.body()).getString("error.code"));
        assertEquals(201, put(uploadUrl, bytes, MIB5, bytes.length).statusCode());

        JsonPath done = awaitStatus(publishId, "PUBLISH_COMPLETE");
        assertEquals(1, done.getList("data.publicaly_available_post_id").size());
        assertEquals(bytes.length, done.getLong("data.uploaded_bytes"));
        given().get("/sandbox/uploads/" + publishId).then().statusCode(200)
                .body("platform", equalTo("tiktok"))
                .body("sha256", equalTo(SandboxClient.sha256(bytes)))
                .body("sizeBytes", equalTo(bytes.length))
                .body("privacyStatus", equalTo("PUBLIC_TO_EVERYONE"))
                .body("metadata.post_info.title", equalTo("Sandbox #test"));
    }

    @Test
    void videoQueryCountsViewsOfPublicPosts() throws Exception {
        byte[] bytes = SandboxClient.randomBytes(1500, 15);
        JsonPath init = init(bytes.length, bytes.length, 1).then().statusCode(200).extract().jsonPath();
        assertEquals(201, put(init.getString("data.upload_url"), bytes, 0, bytes.length).statusCode());
        String postId = awaitStatus(init.getString("data.publish_id"), "PUBLISH_COMPLETE").getString("data.publicaly_available_post_id[0]");
        Thread.sleep(1100);
        JsonPath videos = given().spec(auth()).body("{\"filters\":{\"video_ids\":[\"" + postId + "\",\"123\"]}}")
                .post("/v2/video/query/?fields=id,view_count,like_count,comment_count").then().statusCode(200)
                .body("error.code", equalTo("ok")).body("data.videos", hasSize(1)).extract().jsonPath();
        assertEquals(postId, videos.getString("data.videos[0].id"));
        assertTrue(videos.getLong("data.videos[0].view_count") >= 1, videos.prettify());
        assertTrue(videos.getLong("data.videos[0].like_count") <= videos.getLong("data.videos[0].view_count"));
        given().spec(auth()).body("{\"filters\":{\"video_ids\":[\"" + postId + "\"]}}").post("/v2/video/query/?fields=plays")
                .then().statusCode(400).body("error.code", equalTo("invalid_params"));
        given().spec(auth()).body("{}").post("/v2/video/query/?fields=id").then().statusCode(400);
        given().spec(auth("nope")).body("{\"filters\":{\"video_ids\":[\"" + postId + "\"]}}").post("/v2/video/query/?fields=id")
                .then().statusCode(401);
        // the control API tells which refreshes were granted and which access tokens were refused
        String rotated = refresh("sandbox-refresh").then().statusCode(200).extract().path("refresh_token");
        refresh(rotated).then().statusCode(200);
        JsonPath journal = given().get("/sandbox/tokens").then().statusCode(200).extract().jsonPath();
        assertTrue(journal.getList("refreshes.credential").contains(rotated), journal.prettify());
        assertTrue(journal.getList("rejectedAccessTokens").contains("nope"), journal.prettify());
    }

    @Test
    void aCutChunkIsDiscardedAndSentAgain() {
        byte[] bytes = SandboxClient.randomBytes(3_000_000, 12);
        String uploadUrl = init(bytes.length, bytes.length, 1).then().statusCode(200).extract().path("data.upload_url");
        SandboxClient.arm("""
                {"platform":"tiktok","operation":"upload","kind":"drop-connection","afterBytes":1000000}""");
        assertThrows(IOException.class, () -> SandboxClient.HTTP.send(chunk(uploadUrl, bytes, 0, bytes.length),
                HttpResponse.BodyHandlers.ofString()));
        assertEquals(201, put(uploadUrl, bytes, 0, bytes.length).statusCode());
    }

    @Test
    void failedPostsComeBackWithOkAndAFailReason() throws Exception {
        SandboxClient.arm("""
                {"platform":"tiktok","operation":"init","kind":"tiktok-failed","failReason":"duration_check_failed"}""");
        byte[] bytes = SandboxClient.randomBytes(1000, 13);
        JsonPath init = init(bytes.length, bytes.length, 1).then().statusCode(200).extract().jsonPath();
        assertEquals(201, put(init.getString("data.upload_url"), bytes, 0, bytes.length).statusCode());
        JsonPath failed = awaitStatus(init.getString("data.publish_id"), "FAILED");
        assertEquals("ok", failed.getString("error.code"));
        assertEquals("duration_check_failed", failed.getString("data.fail_reason"));
    }

    @Test
    void pullFromUrlFetchesTheVideo() throws Exception {
        byte[] bytes = SandboxClient.randomBytes(2000, 14);
        JsonPath first = init(bytes.length, bytes.length, 1).then().extract().jsonPath();
        put(first.getString("data.upload_url"), bytes, 0, bytes.length);
        String url = io.restassured.RestAssured.baseURI + ":" + io.restassured.RestAssured.port + "/sandbox/uploads/"
                + first.getString("data.publish_id") + "/content";
        String publishId = given().spec(auth(freshToken())).body("{\"post_info\":{\"title\":\"pulled\",\"privacy_level\":\"SELF_ONLY\"},"
                        + "\"source_info\":{\"source\":\"PULL_FROM_URL\",\"video_url\":\"" + url + "\"}}")
                .post("/v2/post/publish/video/init/").then().statusCode(200).extract().path("data.publish_id");
        JsonPath done = awaitStatus(publishId, "PUBLISH_COMPLETE");
        assertEquals(0, done.getList("data.publicaly_available_post_id").size(), "a SELF_ONLY post has no public id");
        given().get("/sandbox/uploads/" + publishId).then().body("sha256", equalTo(SandboxClient.sha256(bytes)));
    }

    @Test
    void tokensRefreshRotatingAndBadTokensAreRefused() {
        String rotated = refresh("sandbox-refresh").then().statusCode(200).body("token_type", equalTo("Bearer"))
                .body("open_id", not(emptyString())).extract().path("refresh_token");
        JsonPath next = refresh(rotated).then().statusCode(200).extract().jsonPath();
        assertNotEquals(rotated, next.getString("refresh_token"));
        refresh(rotated).then().statusCode(400).body("error", equalTo("invalid_grant")).body("log_id", not(emptyString()));
        given().contentType(ContentType.JSON).header("Authorization", "Bearer " + next.getString("access_token"))
                .post("/v2/post/publish/creator_info/query/").then().statusCode(200);
        given().contentType(ContentType.JSON).header("Authorization", "Bearer nope")
                .post("/v2/post/publish/creator_info/query/").then().statusCode(401)
                .body("error.code", equalTo("access_token_invalid"));
    }

    @Test
    void rateLimitsAndFaults() {
        for (int i = 0; i < 20; i++) {
            given().spec(auth()).post("/v2/post/publish/creator_info/query/").then().statusCode(200);
        }
        String retryAfter = given().spec(auth()).post("/v2/post/publish/creator_info/query/").then().statusCode(429)
                .body("error.code", equalTo("rate_limit_exceeded")).extract().header("Retry-After");
        int seconds = Integer.parseInt(retryAfter);
        assertTrue(seconds >= 55 && seconds <= 61, "the oldest call leaves the window in about a minute: " + seconds);
        SandboxClient.arm("""
                {"platform":"tiktok","operation":"init","kind":"rate-limit","retryAfterSeconds":3}""");
        init(1000, 1000, 1, "sandbox-token").then().statusCode(429).header("Retry-After", "3");
        SandboxClient.arm("""
                {"platform":"tiktok","operation":"init","kind":"http-5xx"}""");
        init(1000, 1000, 1, "sandbox-token").then().statusCode(500).body("error.code", equalTo("internal_error"));
        for (int i = 0; i < 6; i++) {
            init(1000, 1000, 1, "sandbox-token").then().statusCode(200);
        }
        init(1000, 1000, 1, "sandbox-token").then().statusCode(429).body("error.code", equalTo("rate_limit_exceeded"));
        SandboxClient.reset();
        SandboxClient.arm("""
                {"platform":"tiktok","operation":"status","kind":"drop-connection"}""");
        assertThrows(IOException.class, () -> SandboxClient.HTTP.send(SandboxClient.request(
                io.restassured.RestAssured.baseURI + ":" + io.restassured.RestAssured.port + "/v2/post/publish/status/fetch/")
                .header("Authorization", "Bearer sandbox-token").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"publish_id\":\"x\"}")).build(), HttpResponse.BodyHandlers.ofString()));
        status("unknown", 400).body("error.code", equalTo("invalid_params"));
    }

    private static io.restassured.response.Response refresh(String token) {
        return given().formParam("client_key", "key").formParam("client_secret", "secret")
                .formParam("grant_type", "refresh_token").formParam("refresh_token", token).post("/v2/oauth/token/");
    }

    @Test
    void creatorRulesAreEnforcedAndChangeableAtRunTime() {
        given().contentType(ContentType.JSON).body("{\"privacyLevelOptions\":[\"MUTUAL_FOLLOW_FRIENDS\",\"SELF_ONLY\"],"
                + "\"commentDisabled\":true}").put("/sandbox/tiktok/creator").then().statusCode(200)
                .body("commentDisabled", equalTo(true)).body("audited", equalTo(true));
        given().spec(auth()).post("/v2/post/publish/creator_info/query/").then().statusCode(200)
                .body("data.privacy_level_options", contains("MUTUAL_FOLLOW_FRIENDS", "SELF_ONLY"))
                .body("data.comment_disabled", equalTo(true)).body("data.duet_disabled", equalTo(false));
        String source = ",\"source_info\":{\"source\":\"FILE_UPLOAD\",\"video_size\":1000,\"chunk_size\":1000,"
                + "\"total_chunk_count\":1}}";
        // a level the creator does not offer, an interaction the creator disabled: refused
        given().spec(auth(freshToken())).body("{\"post_info\":{\"privacy_level\":\"PUBLIC_TO_EVERYONE\",\"disable_comment\":true}"
                + source).post("/v2/post/publish/video/init/").then().statusCode(400)
                .body("error.code", equalTo("privacy_level_option_mismatch"));
        given().spec(auth(freshToken())).body("{\"post_info\":{\"privacy_level\":\"SELF_ONLY\",\"disable_comment\":false}" + source)
                .post("/v2/post/publish/video/init/").then().statusCode(400).body("error.code", equalTo("invalid_params"))
                .body("error.message", containsString("disable_comment must be true"));
        given().spec(auth(freshToken())).body("{\"post_info\":{\"privacy_level\":\"SELF_ONLY\",\"disable_comment\":true,"
                + "\"is_aigc\":true,\"brand_organic_toggle\":false}" + source).post("/v2/post/publish/video/init/").then().statusCode(200);
        // an unaudited app may post SELF_ONLY only
        given().contentType(ContentType.JSON).body("{\"audited\":false}").put("/sandbox/tiktok/creator").then().statusCode(200);
        given().spec(auth(freshToken())).body("{\"post_info\":{\"privacy_level\":\"MUTUAL_FOLLOW_FRIENDS\",\"disable_comment\":true}"
                + source).post("/v2/post/publish/video/init/").then().statusCode(403)
                .body("error.code", equalTo("unaudited_client_can_only_post_to_private_accounts"));
        given().contentType(ContentType.JSON).body("{\"nope\":1}").put("/sandbox/tiktok/creator").then().statusCode(400)
                .body("error", containsString("unknown setting nope"));
        given().delete("/sandbox/tiktok/creator").then().statusCode(200).body("commentDisabled", equalTo(false))
                .body("audited", equalTo(true)).body("privacyLevelOptions", hasSize(3));
    }

    private static RequestSpecification auth() {
        return auth("sandbox-token");
    }

    private static RequestSpecification auth(String token) {
        return given().contentType(ContentType.JSON.withCharset("UTF-8")).header("Authorization", "Bearer " + token);
    }

    private static String freshToken() {
        return refresh("sandbox-refresh").then().statusCode(200).extract().path("access_token");
    }

    /** init 6/min per token is the documented limit: each init here runs with a token of its own. */
    private static io.restassured.response.Response init(long size, long chunk, long count) {
        return init(size, chunk, count, refresh("sandbox-refresh").then().extract().path("access_token"));
    }

    private static io.restassured.response.Response init(long size, long chunk, long count, String token) {
        return given().contentType(ContentType.JSON.withCharset("UTF-8")).header("Authorization", "Bearer " + token)
                .body("{\"post_info\":{\"title\":\"Sandbox #test\",\"privacy_level\":\"PUBLIC_TO_EVERYONE\","
                + "\"disable_duet\":false,\"disable_comment\":false,\"disable_stitch\":false,\"video_cover_timestamp_ms\":1000},"
                + "\"source_info\":{\"source\":\"FILE_UPLOAD\",\"video_size\":" + size + ",\"chunk_size\":" + chunk
                + ",\"total_chunk_count\":" + count + "}}").post("/v2/post/publish/video/init/");
    }

    private static io.restassured.response.ValidatableResponse status(String publishId) {
        return status(publishId, 200);
    }

    private static io.restassured.response.ValidatableResponse status(String publishId, int expected) {
        return given().spec(auth()).body("{\"publish_id\":\"" + publishId + "\"}").post("/v2/post/publish/status/fetch/")
                .then().statusCode(expected);
    }

    private static JsonPath awaitStatus(String publishId, String wanted) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(15));
        JsonPath last = null;
        while (Instant.now().isBefore(deadline)) {
            last = status(publishId).extract().jsonPath();
            if (wanted.equals(last.getString("data.status"))) {
                return last;
            }
            Thread.sleep(300);
        }
        throw new AssertionError("status never became " + wanted + ": " + (last == null ? null : last.prettify()));
    }

    private static HttpRequest chunk(String url, byte[] bytes, long from, long to) {
        return SandboxClient.request(url).header("Content-Type", "video/mp4")
                .header("Content-Range", "bytes " + from + "-" + (to - 1) + "/" + bytes.length)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes, (int) from, (int) (to - from))).build();
    }

    private static HttpResponse<String> put(String url, byte[] bytes, long from, long to) {
        return SandboxClient.send(chunk(url, bytes, from, to));
    }
}
