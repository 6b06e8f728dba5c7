package io.contentmachine.sandbox.youtube;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Base64;
import java.util.Map;

import io.contentmachine.sandbox.SandboxClient;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** thumbnails.set and commentThreads.insert as Google answers them, and the per-video flags the upload declared. */
@QuarkusTest
class YouTubeThumbnailsAndCommentsTest {

    static final byte[] JPEG = jpeg(5_000);

    @BeforeEach
    void clean() {
        SandboxClient.reset();
    }

    @Test
    void theUploadsDeclarationsAreRecordedPerVideo() {
        String kids = upload("public", true, true);
        String adults = upload("public", false, false);
        given().get("/sandbox/youtube/videos/" + kids).then().statusCode(200)
                .body("status.selfDeclaredMadeForKids", equalTo(true)).body("status.containsSyntheticMedia", equalTo(true));
        given().get("/sandbox/youtube/videos/" + adults).then().statusCode(200)
                .body("status.selfDeclaredMadeForKids", equalTo(false)).body("status.containsSyntheticMedia", equalTo(false));
        given().get("/sandbox/youtube/videos/nope").then().statusCode(404);
    }

    @Test
    void aThumbnailIsRecordedByteForByteAndANonImageIsRefused() {
        String video = upload("private", false, false);
        given().get("/sandbox/youtube/videos/" + video + "/thumbnail").then().statusCode(404);

        thumbnail(video, "image/jpeg", JPEG, "sandbox-token").then().statusCode(200)
                .body("kind", equalTo("youtube#thumbnailSetResponse"))
                .body("items[0].default.url", startsWith("https://i.ytimg.com/vi/" + video));
        String stored = given().get("/sandbox/youtube/videos/" + video + "/thumbnail").then().statusCode(200)
                .body("contentType", equalTo("image/jpeg")).body("sizeBytes", equalTo(JPEG.length)).extract().path("base64");
        assertArrayEquals(JPEG, Base64.getDecoder().decode(stored));

        thumbnail(video, "image/jpeg", "not an image".getBytes(), "sandbox-token").then().statusCode(400)
                .body("error.errors[0].domain", equalTo("youtube.thumbnail")).body("error.errors[0].reason", equalTo("invalidImage"));
        thumbnail(video, "text/plain", JPEG, "sandbox-token").then().statusCode(400)
                .body("error.errors[0].reason", equalTo("badContent"));
        thumbnail(video, "image/jpeg", jpeg(2 * 1024 * 1024 + 1), "sandbox-token").then().statusCode(413);
        thumbnail("unknownVid1", "image/jpeg", JPEG, "sandbox-token").then().statusCode(404)
                .body("error.errors[0].reason", equalTo("videoNotFound"));
        thumbnail(video, "image/jpeg", JPEG, "bogus").then().statusCode(401);
        // the refused attempts left the first thumbnail as it was
        given().get("/sandbox/youtube/videos/" + video + "/thumbnail").then().body("base64", equalTo(stored));
    }

    @Test
    void aCommentIsPostedOnAPublicVideoOnly() {
        String video = upload("public", false, false);
        String text = "First! Sources in the description ✨";
        String id = comment(video, text, "sandbox-token").then().statusCode(200)
                .body("kind", equalTo("youtube#commentThread"))
                .body("snippet.videoId", equalTo(video))
                .body("snippet.topLevelComment.snippet.textOriginal", equalTo(text))
                .extract().path("id");
        given().get("/sandbox/youtube/videos/" + video + "/comments").then().statusCode(200)
                .body("$", hasSize(1)).body("[0].id", equalTo(id)).body("[0].text", equalTo(text));

        String hidden = upload("private", false, false);
        comment(hidden, text, "sandbox-token").then().statusCode(403).body("error.errors[0].reason", equalTo("forbidden"));
        comment(video, "x".repeat(10_001), "sandbox-token").then().statusCode(400)
                .body("error.errors[0].reason", equalTo("commentTextTooLong"));
        comment(video, " ", "sandbox-token").then().statusCode(400).body("error.errors[0].reason", equalTo("commentTextRequired"));
        comment("unknownVid1", text, "sandbox-token").then().statusCode(404);
        comment(video, text, "bogus").then().statusCode(401);
        given().header("Authorization", "Bearer sandbox-token").contentType(ContentType.JSON).body("{}")
                .post("/youtube/v3/commentThreads").then().statusCode(400).body("error.errors[0].reason", equalTo("required"));

        SandboxClient.arm("""
                {"platform":"youtube","operation":"comments","kind":"insufficient-permissions"}""");
        comment(video, text, "sandbox-token").then().statusCode(403)
                .body("error.errors[0].reason", equalTo("insufficientPermissions"));
        given().get("/sandbox/youtube/videos/" + video + "/comments").then().body("$", hasSize(1));
    }

    private static Response thumbnail(String video, String type, byte[] body, String token) {
        return given().header("Authorization", "Bearer " + token).contentType(type).body(body)
                .post("/upload/youtube/v3/thumbnails/set?uploadType=media&videoId=" + video);
    }

    private static Response comment(String video, String text, String token) {
        return given().header("Authorization", "Bearer " + token).contentType(ContentType.JSON)
                .body(Map.of("snippet", Map.of("videoId", video,
                        "topLevelComment", Map.of("snippet", Map.of("textOriginal", text)))))
                .post("/youtube/v3/commentThreads?part=snippet");
    }

    /** A finished upload with these declarations; its video id. */
    private static String upload(String privacy, boolean kids, boolean synthetic) {
        String session = given().header("Authorization", "Bearer sandbox-token").header("X-Upload-Content-Length", 1000)
                .header("X-Upload-Content-Type", "video/mp4").contentType(ContentType.JSON)
                .body("{\"snippet\":{\"title\":\"engagement\"},\"status\":{\"privacyStatus\":\"" + privacy
                        + "\",\"selfDeclaredMadeForKids\":" + kids + ",\"containsSyntheticMedia\":" + synthetic + "}}")
                .post("/upload/youtube/v3/videos?uploadType=resumable&part=snippet,status").then().statusCode(200)
                .extract().header("Location");
        HttpResponse<String> done = SandboxClient.send(SandboxClient.request(session)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(SandboxClient.randomBytes(1000, 5))).build());
        return JsonPath.from(done.body()).getString("id");
    }

    /** Bytes with JPEG's signature (the sandbox checks the signature, as a first look at the image). */
    static byte[] jpeg(int size) {
        byte[] bytes = SandboxClient.randomBytes(size, 9);
        bytes[0] = (byte) 0xff;
        bytes[1] = (byte) 0xd8;
        bytes[2] = (byte) 0xff;
        return bytes;
    }
}
