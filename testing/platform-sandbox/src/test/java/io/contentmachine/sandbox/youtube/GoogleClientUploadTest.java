package io.contentmachine.sandbox.youtube;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;

import com.google.api.client.googleapis.media.MediaHttpUploader;
import com.google.api.client.http.HttpBackOffIOExceptionHandler;
import com.google.api.client.http.HttpBackOffUnsuccessfulResponseHandler;
import com.google.api.client.http.InputStreamContent;
import com.google.api.client.http.javanet.NetHttpTransport;
import com.google.api.client.json.gson.GsonFactory;
import com.google.api.client.util.DateTime;
import com.google.api.client.util.ExponentialBackOff;
import com.google.api.services.youtube.YouTube;
import com.google.api.services.youtube.model.Video;
import com.google.api.services.youtube.model.VideoSnippet;
import com.google.api.services.youtube.model.VideoStatus;
import io.contentmachine.sandbox.SandboxClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Proves the YouTube endpoint speaks the real resumable protocol: Google's own client uploads through it. */
@QuarkusTest
class GoogleClientUploadTest {

    @TestHTTPResource("/")
    URL base;

    @BeforeEach
    void clean() {
        SandboxClient.reset();
    }

    @Test
    void googleClientUploadsInSeveralChunksAndEverythingArrives() throws Exception {
        byte[] bytes = SandboxClient.randomBytes(4 * MediaHttpUploader.MINIMUM_CHUNK_SIZE + 12_345, 1);
        List<MediaHttpUploader.UploadState> states = new ArrayList<>();
        YouTube.Videos.Insert insert = insert(bytes, "Sandbox ✓ upload 🎬", "2030-01-02T03:04:05Z");
        insert.getMediaHttpUploader().setProgressListener(u -> states.add(u.getUploadState()));

        Video video = insert.execute();

        assertEquals("uploaded", video.getStatus().getUploadStatus());
        assertEquals("private", video.getStatus().getPrivacyStatus());
        assertEquals("Sandbox ✓ upload 🎬", video.getSnippet().getTitle());
        assertTrue(states.stream().filter(s -> s == MediaHttpUploader.UploadState.MEDIA_IN_PROGRESS).count() >= 4,
                "the client sent several chunks: " + states);
        JsonPath upload = given().get("/sandbox/uploads/" + video.getId()).then().statusCode(200).extract().jsonPath();
        assertEquals("youtube", upload.getString("platform"));
        assertEquals(bytes.length, upload.getLong("sizeBytes"));
        assertEquals(SandboxClient.sha256(bytes), upload.getString("sha256"));
        assertEquals("Sandbox ✓ upload 🎬", upload.getString("metadata.snippet.title"));
        assertEquals(List.of("sandbox", "test"), upload.getList("metadata.snippet.tags"));
        assertEquals(false, upload.getBoolean("metadata.status.selfDeclaredMadeForKids"));
        assertEquals("private", upload.getString("privacyStatus"));
        assertEquals("2030-01-02T03:04:05.000Z", upload.getString("publishAt"));
        assertEquals("video/mp4", upload.getString("contentType"));
        byte[] stored = given().get("/sandbox/uploads/" + video.getId() + "/content").then().statusCode(200).extract().asByteArray();
        assertArrayEquals(bytes, stored);

        given().header("Authorization", "Bearer sandbox-token")
                .get("/youtube/v3/videos?part=status,statistics&id=" + video.getId() + ",unknownId").then().statusCode(200)
                .body("items.size()", equalTo(1))
                .body("items[0].id", equalTo(video.getId()))
                .body("items[0].status.privacyStatus", equalTo("private"))
                .body("items[0].status.publishAt", equalTo("2030-01-02T03:04:05.000Z"))
                .body("items[0].statistics.viewCount", equalTo("0"));
    }

    @Test
    void googleClientResumesAfterTheConnectionDropsMidChunk() throws Exception {
        byte[] bytes = SandboxClient.randomBytes(3 * MediaHttpUploader.MINIMUM_CHUNK_SIZE + 999, 2);
        // the second chunk is cut after 100,000 of its bytes; the client must ask for the Range and go on from there
        SandboxClient.arm("""
                {"platform":"youtube","operation":"upload","kind":"drop-connection","afterBytes":100000,"skip":1}""");

        Video video = insert(bytes, "Resumed", null).execute();

        JsonPath upload = given().get("/sandbox/uploads/" + video.getId()).then().statusCode(200).extract().jsonPath();
        assertEquals(bytes.length, upload.getLong("sizeBytes"));
        assertEquals(SandboxClient.sha256(bytes), upload.getString("sha256"));
        given().get("/sandbox/faults").then().body("size()", equalTo(0));
    }

    @Test
    void googleClientUploadsAStreamOfUnknownLength() throws Exception {
        // without a length the client sends "bytes 0-262143/*" until the last chunk names the total
        byte[] bytes = SandboxClient.randomBytes(2 * MediaHttpUploader.MINIMUM_CHUNK_SIZE + 7, 3);
        YouTube.Videos.Insert insert = insert(bytes, "Unknown length", null);
        ((InputStreamContent) insert.getMediaHttpUploader().getMediaContent()).setLength(-1);

        Video video = insert.execute();

        given().get("/sandbox/uploads/" + video.getId()).then().statusCode(200)
                .body("sizeBytes", equalTo(bytes.length)).body("sha256", equalTo(SandboxClient.sha256(bytes)))
                .body("privacyStatus", equalTo("unlisted"));
    }

    private YouTube.Videos.Insert insert(byte[] bytes, String title, String publishAt) throws Exception {
        YouTube youtube = new YouTube.Builder(new NetHttpTransport(), GsonFactory.getDefaultInstance(), request -> {
            request.getHeaders().setAuthorization("Bearer sandbox-token");
            ExponentialBackOff backOff = new ExponentialBackOff.Builder().setInitialIntervalMillis(10)
                    .setMaxElapsedTimeMillis(10_000).build();
            request.setIOExceptionHandler(new HttpBackOffIOExceptionHandler(backOff));
            request.setUnsuccessfulResponseHandler(new HttpBackOffUnsuccessfulResponseHandler(backOff));
        }).setRootUrl(base.toString()).setApplicationName("platform-sandbox-test").build();
        VideoStatus status = new VideoStatus().setSelfDeclaredMadeForKids(false)
                .setPrivacyStatus(publishAt == null ? "unlisted" : "private");
        if (publishAt != null) {
            status.setPublishAt(new DateTime(publishAt));
        }
        Video video = new Video()
                .setSnippet(new VideoSnippet().setTitle(title).setDescription("Uploaded by Google's Java client")
                        .setTags(List.of("sandbox", "test")).setCategoryId("28"))
                .setStatus(status);
        InputStreamContent content = new InputStreamContent("video/mp4", new ByteArrayInputStream(bytes));
        content.setLength(bytes.length);
        YouTube.Videos.Insert insert = youtube.videos().insert(List.of("snippet", "status"), video, content);
        insert.getMediaHttpUploader().setDirectUploadEnabled(false).setChunkSize(MediaHttpUploader.MINIMUM_CHUNK_SIZE);
        return insert;
    }
}
