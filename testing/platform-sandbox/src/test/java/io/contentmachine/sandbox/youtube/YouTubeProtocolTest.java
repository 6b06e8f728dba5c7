package io.contentmachine.sandbox.youtube;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URL;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;

import io.contentmachine.sandbox.SandboxClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The resumable protocol at the byte level: 308 + Range, resume queries, chunk rules, errors in Google's shape. */
@QuarkusTest
class YouTubeProtocolTest {

    static final int KIB256 = 256 * 1024;
    static final String METADATA = """
            {"snippet":{"title":"Protocol test","description":"d","tags":["a","b c"],"categoryId":"28"},
             "status":{"privacyStatus":"unlisted","selfDeclaredMadeForKids":false}}""";

    @TestHTTPResource("/")
    URL base;

    @BeforeEach
    void clean() {
        SandboxClient.reset();
    }

    @Test
    void chunksAnswer308WithRangeAndTheResumeQueryReportsWhatArrived() {
        byte[] bytes = SandboxClient.randomBytes(2 * KIB256 + 1000, 3);
        String session = start(bytes.length);
        assertTrue(session.startsWith(base.toString().replaceAll("/$", "") + "/upload/youtube/v3/videos?uploadType=resumable&upload_id="));

        HttpResponse<String> nothing = query(session, bytes.length);
        assertEquals(308, nothing.statusCode());
        assertTrue(nothing.headers().firstValue("Range").isEmpty(), "no Range header before any byte arrived");

        HttpResponse<String> first = put(session, bytes, 0, KIB256);
        assertEquals(308, first.statusCode());
        assertEquals("bytes=0-262143", first.headers().firstValue("Range").orElseThrow());
        assertEquals("bytes=0-262143", query(session, bytes.length).headers().firstValue("Range").orElseThrow());

        HttpResponse<String> second = put(session, bytes, KIB256, 2 * KIB256);
        assertEquals("bytes=0-524287", second.headers().firstValue("Range").orElseThrow());

        HttpResponse<String> last = put(session, bytes, 2 * KIB256, bytes.length);
        assertEquals(200, last.statusCode());
        JsonPath video = JsonPath.from(last.body());
        assertEquals("youtube#video", video.getString("kind"));
        assertEquals("uploaded", video.getString("status.uploadStatus"));
        assertEquals("unlisted", video.getString("status.privacyStatus"));
        assertEquals("Protocol test", video.getString("snippet.title"));

        // asking again after completion gives the final resource again
        HttpResponse<String> again = query(session, bytes.length);
        assertEquals(200, again.statusCode());
        assertEquals(video.getString("id"), JsonPath.from(again.body()).getString("id"));
        given().get("/sandbox/uploads/" + video.getString("id")).then().statusCode(200)
                .body("sha256", equalTo(SandboxClient.sha256(bytes))).body("sizeBytes", equalTo(bytes.length));
    }

    @Test
    void droppedConnectionKeepsWhatArrivedAndTheUploadResumesFromThere() {
        byte[] bytes = SandboxClient.randomBytes(3 * KIB256, 4);
        String session = start(bytes.length);
        assertEquals(308, put(session, bytes, 0, KIB256).statusCode());
        SandboxClient.arm("""
                {"platform":"youtube","operation":"upload","kind":"drop-connection","afterBytes":70000}""");

        assertThrows(IOException.class, () -> SandboxClient.HTTP.send(chunk(session, bytes, KIB256, 2 * KIB256),
                HttpResponse.BodyHandlers.ofString()));

        HttpResponse<String> range = query(session, bytes.length);
        assertEquals(308, range.statusCode());
        long next = KIB256 + 70000;
        assertEquals("bytes=0-" + (next - 1), range.headers().firstValue("Range").orElseThrow());
        // re-sending from the old offset is refused: the client must continue where the server is
        HttpResponse<String> stale = put(session, bytes, KIB256, 2 * KIB256);
        assertEquals(400, stale.statusCode());
        assertTrue(stale.body().contains("resume from byte " + next), stale.body());

        HttpResponse<String> done = put(session, bytes, (int) next, bytes.length);
        assertEquals(200, done.statusCode(), done.body());
        String id = JsonPath.from(done.body()).getString("id");
        given().get("/sandbox/uploads/" + id).then().body("sha256", equalTo(SandboxClient.sha256(bytes)));
    }

    @Test
    void chunkRulesAreEnforced() {
        byte[] bytes = SandboxClient.randomBytes(2 * KIB256, 5);
        String session = start(bytes.length);

        HttpResponse<String> small = put(session, bytes, 0, 100_000);
        assertEquals(400, small.statusCode());
        JsonPath error = JsonPath.from(small.body());
        assertEquals(400, error.getInt("error.code"));
        assertTrue(error.getString("error.message").contains("multiples of 262144"), small.body());
        assertEquals("badRequest", error.getString("error.errors[0].reason"));

        assertEquals(400, put(session, bytes, KIB256, 2 * KIB256).statusCode(), "a gap is refused");
        HttpResponse<String> wrongTotal = SandboxClient.send(SandboxClient.request(session)
                .header("Content-Range", "bytes 0-262143/999999999")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(Arrays.copyOf(bytes, KIB256))).build());
        assertEquals(400, wrongTotal.statusCode());
        assertTrue(wrongTotal.body().contains("differs from the upload's length"), wrongTotal.body());
        // nothing of the refused requests was kept
        assertTrue(query(session, bytes.length).headers().firstValue("Range").isEmpty());

        HttpResponse<String> unknown = query(session.replaceAll("upload_id=.*", "upload_id=nope"), bytes.length);
        assertEquals(404, unknown.statusCode());
    }

    @Test
    void aLargeBodyStreamsToDiskWithBackPressure() throws Exception {
        long size = 48L * 1024 * 1024 + 123;
        String session = start(size);
        java.security.MessageDigest sent = java.security.MessageDigest.getInstance("SHA-256");
        HttpRequest put = SandboxClient.request(session).header("Content-Range", "bytes 0-" + (size - 1) + "/" + size)
                .PUT(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(
                        () -> new java.security.DigestInputStream(new GeneratedStream(size), sent)), size)).build();
        HttpResponse<String> done = SandboxClient.send(put);
        assertEquals(200, done.statusCode(), done.body());
        given().get("/sandbox/uploads/" + JsonPath.from(done.body()).getString("id")).then()
                .body("sizeBytes", equalTo((int) size))
                .body("sha256", equalTo(java.util.HexFormat.of().formatHex(sent.digest())));
    }

    @Test
    void serverErrorsOnAChunkKeepNothingOfIt() {
        byte[] bytes = SandboxClient.randomBytes(2 * KIB256, 8);
        String session = start(bytes.length);
        SandboxClient.arm("""
                {"platform":"youtube","operation":"upload","kind":"http-5xx","status":503}""");
        HttpResponse<String> failed = put(session, bytes, 0, KIB256);
        assertEquals(503, failed.statusCode());
        assertEquals("backendError", JsonPath.from(failed.body()).getString("error.errors[0].reason"));
        assertTrue(query(session, bytes.length).headers().firstValue("Range").isEmpty());
        SandboxClient.arm("""
                {"platform":"youtube","operation":"upload","kind":"rate-limit","retryAfterSeconds":2}""");
        HttpResponse<String> limited = put(session, bytes, 0, KIB256);
        assertEquals(429, limited.statusCode());
        assertEquals("2", limited.headers().firstValue("Retry-After").orElseThrow());
        assertEquals(308, put(session, bytes, 0, KIB256).statusCode());
        assertEquals(200, put(session, bytes, KIB256, 2 * KIB256).statusCode());
    }

    /** Deterministic pseudo-random bytes of a given length, produced on the fly (never held in memory). */
    static final class GeneratedStream extends java.io.InputStream {
        private long left;
        private long state = 42;

        GeneratedStream(long size) {
            this.left = size;
        }

        @Override
        public int read() {
            if (left <= 0) {
                return -1;
            }
            left--;
            state = state * 6364136223846793005L + 1442695040888963407L;
            return (int) (state >>> 56) & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (left <= 0) {
                return -1;
            }
            int n = (int) Math.min(len, left);
            for (int i = 0; i < n; i++) {
                b[off + i] = (byte) read();
            }
            return n;
        }
    }

    @Test
    void expiredSessionAnswers404() {
        byte[] bytes = SandboxClient.randomBytes(KIB256 * 2, 6);
        String session = start(bytes.length);
        assertEquals(308, put(session, bytes, 0, KIB256).statusCode());
        SandboxClient.arm("""
                {"platform":"youtube","operation":"upload","kind":"session-expired"}""");
        assertEquals(404, put(session, bytes, KIB256, 2 * KIB256).statusCode());
        assertEquals(404, query(session, bytes.length).statusCode(), "the session is gone for good");
    }

    @Test
    void faultsAnswerInGoogleShape() {
        SandboxClient.arm("""
                {"platform":"youtube","operation":"init","kind":"quota-exceeded"}""");
        startRequest(METADATA, "sandbox-token").then().statusCode(403)
                .body("error.code", equalTo(403))
                .body("error.errors[0].domain", equalTo("youtube.quota"))
                .body("error.errors[0].reason", equalTo("quotaExceeded"));

        SandboxClient.arm("""
                {"platform":"youtube","operation":"init","kind":"upload-limit-exceeded"}""");
        startRequest(METADATA, "sandbox-token").then().statusCode(400)
                .body("error.errors[0].reason", equalTo("uploadLimitExceeded"));

        SandboxClient.arm("""
                {"platform":"youtube","operation":"init","kind":"rate-limit","retryAfterSeconds":7}""");
        startRequest(METADATA, "sandbox-token").then().statusCode(429).header("Retry-After", "7")
                .body("error.errors[0].reason", equalTo("rateLimitExceeded"));

        SandboxClient.arm("""
                {"platform":"youtube","kind":"http-5xx","status":502,"count":2}""");
        startRequest(METADATA, "sandbox-token").then().statusCode(502);
        startRequest(METADATA, "sandbox-token").then().statusCode(502);
        startRequest(METADATA, "sandbox-token").then().statusCode(200).header("Location", containsString("upload_id="));

        SandboxClient.arm("""
                {"platform":"youtube","operation":"init","kind":"token-expired"}""");
        startRequest(METADATA, "sandbox-token").then().statusCode(401)
                .header("WWW-Authenticate", containsString("invalid_token"))
                .body("error.status", equalTo("UNAUTHENTICATED"));
        startRequest(METADATA, "not-a-token").then().statusCode(401).body("error.errors[0].reason", equalTo("authError"));
    }

    @Test
    void metadataIsValidatedInItsOwnUnits() {
        String hundredEmoji = "😀".repeat(100);
        startRequest(meta(hundredEmoji, "x", "false"), "sandbox-token").then().statusCode(200);
        startRequest(meta(hundredEmoji + "a", "x", "false"), "sandbox-token").then().statusCode(400)
                .body("error.errors[0].reason", equalTo("invalidTitle"));
        startRequest(meta("a <b>", "x", "false"), "sandbox-token").then().statusCode(400)
                .body("error.errors[0].reason", equalTo("invalidTitle"));
        startRequest(meta("t", "é".repeat(2500), "false"), "sandbox-token").then().statusCode(200);
        startRequest(meta("t", "é".repeat(2500) + "a", "false"), "sandbox-token").then().statusCode(400)
                .body("error.errors[0].reason", equalTo("invalidDescription"))
                .body("error.message", containsString("5000 bytes (5001)"));
        startRequest(meta("t", "x", null), "sandbox-token").then().statusCode(400)
                .body("error.message", containsString("selfDeclaredMadeForKids"));
        // 2 tags of 249 with a comma = 499; a space in one adds 2 for the quotes = 501
        String tags = "\"" + "a".repeat(249) + "\",\"" + "b".repeat(249) + "\"";
        startRequest(METADATA.replace("[\"a\",\"b c\"]", "[" + tags + "]"), "sandbox-token").then().statusCode(200);
        startRequest(METADATA.replace("[\"a\",\"b c\"]", "[" + tags.replace("bbb", "b b") + "]"), "sandbox-token")
                .then().statusCode(400).body("error.errors[0].reason", equalTo("invalidTags"));
        startRequest(METADATA.replace("\"unlisted\"", "\"public\",\"publishAt\":\"2030-01-01T00:00:00Z\""), "sandbox-token")
                .then().statusCode(400).body("error.errors[0].reason", equalTo("invalidPublishAt"));
        startRequest("{not json", "sandbox-token").then().statusCode(400).body("error.errors[0].reason", equalTo("parseError"));
    }

    @Test
    void tokenRefreshIssuesAnAccessTokenTheApiAccepts() {
        String token = given().formParam("client_id", "cid").formParam("client_secret", "secret")
                .formParam("refresh_token", "sandbox-refresh").formParam("grant_type", "refresh_token")
                .post("/token").then().statusCode(200)
                .body("token_type", equalTo("Bearer")).body("expires_in", equalTo(3600))
                .body("scope", containsString("youtube.upload"))
                .body("access_token", startsWith("ya29."))
                .extract().path("access_token");
        startRequest(METADATA, token).then().statusCode(200);

        given().formParam("client_id", "cid").formParam("client_secret", "secret")
                .formParam("refresh_token", "revoked").formParam("grant_type", "refresh_token")
                .post("/token").then().statusCode(400)
                .body("error", equalTo("invalid_grant")).body("error_description", containsString("revoked"));
        given().formParam("client_id", "cid").formParam("client_secret", "secret").formParam("grant_type", "password")
                .post("/token").then().statusCode(400).body("error", equalTo("unsupported_grant_type"));
    }

    @Test
    void channelsMineNamesTheChannelOfTheTokensConsent() {
        JsonPath first = exchange(consentCode());
        JsonPath second = exchange(consentCode());
        JsonPath mine = channelsMine(first.getString("access_token")).then().statusCode(200).extract().jsonPath();
        assertEquals("youtube#channelListResponse", mine.getString("kind"));
        assertEquals(1, mine.getInt("pageInfo.totalResults"));
        assertEquals("youtube#channel", mine.getString("items[0].kind"));
        String id = mine.getString("items[0].id");
        assertTrue(id.matches("UC[A-Za-z0-9_-]{22}"), id);
        String title = mine.getString("items[0].snippet.title");
        assertTrue(title.matches("Sandbox Channel \\d+"), title);
        assertEquals("@" + title.toLowerCase().replace(" ", ""), mine.getString("items[0].snippet.customUrl"));
        assertEquals(title, mine.getString("items[0].snippet.localized.title"));
        assertEquals(88, mine.getInt("items[0].snippet.thumbnails.default.width"));

        // another consent is another channel; a refresh of the first consent's token stays on the first channel
        JsonPath other = channelsMine(second.getString("access_token")).then().statusCode(200).extract().jsonPath();
        assertFalse(id.equals(other.getString("items[0].id")));
        assertFalse(title.equals(other.getString("items[0].snippet.title")));
        String refreshed = given().formParam("client_id", "cid").formParam("client_secret", "secret")
                .formParam("refresh_token", first.getString("refresh_token")).formParam("grant_type", "refresh_token")
                .post("/token").then().statusCode(200).extract().path("access_token");
        channelsMine(refreshed).then().statusCode(200).body("items[0].id", equalTo(id)).body("items[0].snippet.title", equalTo(title));
        // the configured tokens act for the default channel, titled by sandbox.youtube.channel-title
        channelsMine("sandbox-token").then().statusCode(200).body("items[0].snippet.title", equalTo("Sandbox Channel"))
                .body("items[0].snippet.customUrl", equalTo("@sandboxchannel"));
        given().header("Authorization", "Bearer sandbox-token").get("/youtube/v3/channels?part=id&id=" + id + ",UCnope")
                .then().statusCode(200).body("items.id", contains(id))
                .body("items[0].snippet", nullValue());
    }

    @Test
    void channelsRefuseBadTokensAndMissingFiltersInGoogleShape() {
        channelsMine("not-a-token").then().statusCode(401).header("WWW-Authenticate", containsString("invalid_token"))
                .body("error.code", equalTo(401)).body("error.status", equalTo("UNAUTHENTICATED"))
                .body("error.errors[0].reason", equalTo("authError"));
        given().get("/youtube/v3/channels?part=snippet&mine=true").then().statusCode(401);
        given().header("Authorization", "Bearer sandbox-token").get("/youtube/v3/channels?part=snippet").then().statusCode(400)
                .body("error.errors[0].reason", equalTo("missingRequiredParameter")).body("error.status", equalTo("INVALID_ARGUMENT"));
        given().header("Authorization", "Bearer sandbox-token").get("/youtube/v3/channels?part=snippet&mine=false").then()
                .statusCode(400).body("error.errors[0].reason", equalTo("missingRequiredParameter"));
        given().header("Authorization", "Bearer sandbox-token").get("/youtube/v3/channels?mine=true").then().statusCode(400)
                .body("error.errors[0].reason", equalTo("required"));
        given().header("Authorization", "Bearer sandbox-token").get("/youtube/v3/channels?part=snippet,bogus&mine=true").then()
                .statusCode(400).body("error.errors[0].reason", equalTo("unknownPart")).body("error.message", equalTo("'bogus'"));
        SandboxClient.arm("""
                {"platform":"youtube","operation":"channels","kind":"token-expired"}""");
        channelsMine("sandbox-token").then().statusCode(401).body("error.errors[0].reason", equalTo("authError"));
        channelsMine("sandbox-token").then().statusCode(200);
    }

    @Test
    void pastPublishAtIsPublicAtOnceAndStatisticsGrow() throws Exception {
        byte[] bytes = SandboxClient.randomBytes(1000, 7);
        String session = start(bytes.length, METADATA.replace("\"unlisted\"", "\"private\",\"publishAt\":\"2020-01-01T00:00:00Z\""));
        String id = JsonPath.from(put(session, bytes, 0, bytes.length).body()).getString("id");
        Thread.sleep(2100);
        JsonPath list = given().header("Authorization", "Bearer sandbox-token")
                .get("/youtube/v3/videos?part=status,statistics&id=" + id).then().statusCode(200).extract().jsonPath();
        assertEquals("public", list.getString("items[0].status.privacyStatus"));
        assertEquals("processed", list.getString("items[0].status.uploadStatus"));
        assertFalse(list.getString("items[0].statistics.viewCount").equals("0"), "views grow once public");
        given().get("/youtube/v3/videos?part=status&id=" + id).then().statusCode(401);
    }

    private static io.restassured.response.Response channelsMine(String token) {
        return given().header("Authorization", "Bearer " + token).get("/youtube/v3/channels?part=snippet&mine=true");
    }

    /** A consent as the owner's browser gives it: the sandbox approves and redirects back with a code. */
    private static String consentCode() {
        String location = given().redirects().follow(false).get("/o/oauth2/v2/auth?client_id=cid&response_type=code&redirect_uri="
                + "http://localhost/callback").then().statusCode(302).extract().header("Location");
        return location.replaceAll(".*[?&]code=([^&]+).*", "$1");
    }

    private static JsonPath exchange(String code) {
        return given().formParam("client_id", "cid").formParam("client_secret", "secret").formParam("code", code)
                .formParam("grant_type", "authorization_code").formParam("redirect_uri", "http://localhost/callback")
                .post("/token").then().statusCode(200).extract().jsonPath();
    }

    private io.restassured.response.Response startRequest(String metadata, String token) {
        return given().header("Authorization", "Bearer " + token)
                .header("X-Upload-Content-Length", "1000").header("X-Upload-Content-Type", "video/mp4")
                .contentType(ContentType.JSON.withCharset("UTF-8")).body(metadata)
                .post("/upload/youtube/v3/videos?uploadType=resumable&part=snippet,status");
    }

    private static String meta(String title, String description, String kids) {
        return "{\"snippet\":{\"title\":\"" + title + "\",\"description\":\"" + description + "\"},"
                + "\"status\":{\"privacyStatus\":\"private\""
                + (kids == null ? "" : ",\"selfDeclaredMadeForKids\":" + kids) + "}}";
    }

    private String start(long length) {
        return start(length, METADATA);
    }

    private String start(long length, String metadata) {
        return given().header("Authorization", "Bearer sandbox-token")
                .header("X-Upload-Content-Length", length).header("X-Upload-Content-Type", "video/mp4")
                .contentType(ContentType.JSON.withCharset("UTF-8")).body(metadata)
                .post("/upload/youtube/v3/videos?uploadType=resumable&part=snippet,status")
                .then().statusCode(200).extract().header("Location");
    }

    private static HttpRequest chunk(String session, byte[] bytes, int from, int to) {
        return SandboxClient.request(session).header("Content-Range", "bytes " + from + "-" + (to - 1) + "/" + bytes.length)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes, from, to - from)).build();
    }

    private static HttpResponse<String> put(String session, byte[] bytes, int from, int to) {
        return SandboxClient.send(chunk(session, bytes, from, to));
    }

    private static HttpResponse<String> query(String session, long total) {
        return SandboxClient.send(SandboxClient.request(session).header("Content-Range", "bytes */" + total)
                .PUT(HttpRequest.BodyPublishers.noBody()).build());
    }
}
