package io.contentmachine.publish;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import io.contentmachine.publish.domain.PublishJob;
import io.contentmachine.publish.domain.Publishing;
import io.contentmachine.publish.domain.PublishingStatus;
import io.contentmachine.publish.domain.Video;
import io.contentmachine.testsupport.KafkaResource;
import io.contentmachine.testsupport.KafkaTestClient;
import io.contentmachine.testsupport.PostgresResource;
import io.contentmachine.testsupport.SandboxResource;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.http.ContentType;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A crash after the platform accepted the video but before the state was saved: the platform side is completed here by
 * hand (as the crashed worker did), the publishing is left as the crash left it, with the saved upload handle, and the
 * worker must reconcile it from the platform's answer without uploading or publishing again.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(SandboxResource.class)
@WithTestResource(StorageStandIn.class)
class CrashReconcileTest {

    @ConfigProperty(name = "sandbox.url")
    String sandbox;

    @ConfigProperty(name = "quarkus.rest-client.storage-service.url")
    String storage;

    @Test
    void youtubeSessionThatAlreadyHasEveryByteIsNotUploadedAgain() throws Throwable {
        TestVideos video = TestVideos.generate(700_000);
        String session = given().header("Authorization", "Bearer sandbox-token").contentType("application/json; charset=UTF-8")
                .header("X-Upload-Content-Length", video.size).header("X-Upload-Content-Type", "video/mp4")
                .body(Map.of("snippet", Map.of("title", "Crash test", "categoryId", "28"),
                        "status", Map.of("privacyStatus", "public", "selfDeclaredMadeForKids", false)))
                .post(sandbox + "/upload/youtube/v3/videos?uploadType=resumable&part=snippet,status")
                .then().statusCode(200).extract().header("Location");
        String videoId = given().urlEncodingEnabled(false).contentType("video/mp4")
                .header("Content-Range", "bytes 0-" + (video.size - 1) + "/" + video.size).body(video.file.toFile())
                .put(session).then().statusCode(200).extract().path("id");

        UUID publishingId = crashed(video, "youtube", PublishingStatus.UPLOADING, session, null);

        JsonNode published = YouTubePublishingTest.awaitStatus(video, "published");
        assertEquals(publishingId.toString(), published.get("publishingId").asText());
        assertEquals(videoId, published.get("platformId").asText());
        assertEquals(1, YouTubePublishingTest.uploadsWithSha(sandbox, video.sha256).size());
        assertEquals(0, StorageStandIn.bytesServed(video.projectId), "no byte read again from storage");
    }

    @Test
    void tiktokPostThatReceivedEveryChunkIsReconciledNotResent() throws Throwable {
        TestVideos video = TestVideos.generate(600_000);
        SandboxTokens.Pair tokens = SandboxTokens.tiktok(sandbox);
        given().header("X-Internal-Token", "test-internal-token").contentType(ContentType.JSON)
                .body(Map.of("accessToken", tokens.accessToken(), "refreshToken", tokens.refreshToken()))
                .put("/publish/accounts/" + video.ownerId + "/tiktok").then().statusCode(200);
        JsonNode data = YouTubePublishingTest.json(given().header("Authorization", "Bearer " + tokens.accessToken())
                .contentType("application/json; charset=UTF-8")
                .body(Map.of("post_info", Map.of("title", "Crash test #crash", "privacy_level", "PUBLIC_TO_EVERYONE",
                                "disable_duet", false, "disable_comment", false, "disable_stitch", false, "video_cover_timestamp_ms", 1000),
                        "source_info", Map.of("source", "FILE_UPLOAD", "video_size", video.size, "chunk_size", video.size,
                                "total_chunk_count", 1)))
                .post(sandbox + "/v2/post/publish/video/init/").then().statusCode(200).extract().asString()).path("data");
        String publishId = data.get("publish_id").asText();
        String uploadUrl = data.get("upload_url").asText();
        given().urlEncodingEnabled(false).contentType("video/mp4")
                .header("Content-Range", "bytes 0-" + (video.size - 1) + "/" + video.size).body(video.file.toFile())
                .put(uploadUrl).then().statusCode(201);

        UUID publishingId = crashed(video, "tiktok", PublishingStatus.UPLOADING, publishId, uploadUrl);

        JsonNode published = YouTubePublishingTest.awaitStatus(video, "published");
        assertEquals(publishingId.toString(), published.get("publishingId").asText());
        List<JsonNode> uploads = YouTubePublishingTest.uploadsWithSha(sandbox, video.sha256);
        assertEquals(1, uploads.size(), uploads.toString());
        assertEquals(uploads.get(0).get("postId").asText(), published.get("platformId").asText());
        assertEquals(0, StorageStandIn.bytesServed(video.projectId), "no chunk read again from storage");
    }

    @Test
    void instagramContainerAlreadyPublishedIsNotPublishedAgain() throws Throwable {
        TestVideos video = TestVideos.generate(300_000);
        // the caption the publisher makes of the stored metadata (see crashed): title, description, hashtags
        String caption = "Crash test\n\nd\n\n#crash";
        String mediaId = publishedReel(video, caption);
        // a newer Reel of the account: the reconcile must find its own media, not merely the newest one
        String newer = publishedReel(TestVideos.generate(200_000), "Another reel #other");
        long servedBefore = StorageStandIn.bytesServed(video.projectId);
        String container = YouTubePublishingTest.uploadsWithSha(sandbox, video.sha256).get(0).get("id").asText();

        crashed(video, "instagram", PublishingStatus.PROCESSING, container, null);

        JsonNode published = YouTubePublishingTest.awaitStatus(video, "published");
        assertNotEquals(mediaId, newer);
        assertEquals(mediaId, published.get("platformId").asText(), published.toString());
        assertEquals("https://www.instagram.com/reel/" + mediaId + "/", published.path("url").asText(), published.toString());
        List<JsonNode> containers = YouTubePublishingTest.uploadsWithSha(sandbox, video.sha256);
        assertEquals(1, containers.size(), containers.toString());
        assertEquals("PUBLISHED", containers.get(0).get("status").asText());
        assertEquals(mediaId, containers.get(0).get("postId").asText());
        List<Map<String, String>> listed = given().header("Authorization", "Bearer sandbox-token").queryParam("fields", "id,caption")
                .queryParam("limit", 100).get(sandbox + "/v23.0/me/media").then().statusCode(200).extract().jsonPath().getList("data");
        List<String> withCaption = listed.stream().filter(m -> caption.equals(m.get("caption"))).map(m -> m.get("id")).toList();
        assertEquals(List.of(mediaId), withCaption, "published once");
        assertEquals(servedBefore, StorageStandIn.bytesServed(video.projectId), "no new container fetched the video");
    }

    @AfterEach
    void clearFaults() {
        given().delete(sandbox + "/sandbox/faults").then().statusCode(204);
    }

    @Test
    void instagramMediaNotListedYetIsLookedForAgainAndConfirmedWhenFound() throws Throwable {
        TestVideos video = TestVideos.generate(300_000);
        String title = "Found later " + video.projectId;
        String mediaId = publishedReel(video, title + "\n\nd\n\n#crash");
        String container = YouTubePublishingTest.uploadsWithSha(sandbox, video.sha256).get(0).get("id").asText();
        // the account's media list has not caught up for two looks: the first miss, then one look after the reconcile interval
        arm(2);

        UUID publishingId = crashed(video, "instagram", PublishingStatus.PROCESSING, container, null, title);

        JsonNode published = YouTubePublishingTest.awaitStatus(video, "published");
        assertEquals(publishingId.toString(), published.get("publishingId").asText());
        assertEquals(mediaId, published.get("platformId").asText(), published.toString());
        assertTrue(published.path("confirmed").asBoolean(false), published.toString());
        assertTrue(published.path("error").isMissingNode(), published.toString());
        assertEquals(List.of(), given().get(sandbox + "/sandbox/faults").then().statusCode(200).extract().jsonPath().getList("$"),
                "both looks that missed it were made");
        assertEquals(List.of(mediaId), mediaWithCaption(title + "\n\nd\n\n#crash"), "published once");
    }

    @Test
    void instagramMediaNeverFoundIsPublishedUnconfirmedAfterTheDeadlineAndNotPublishedAgain() throws Throwable {
        TestVideos video = TestVideos.generate(300_000);
        String title = "Never found " + video.projectId;
        String caption = title + "\n\nd\n\n#crash";
        String mediaId = publishedReel(video, caption);
        String container = YouTubePublishingTest.uploadsWithSha(sandbox, video.sha256).get(0).get("id").asText();
        arm(1000);

        UUID publishingId = crashed(video, "instagram", PublishingStatus.PROCESSING, container, null, title);

        // within the deadline (8 s in tests): still processing, its job given back to wait for the next look
        Awaitility.await().atMost(Duration.ofSeconds(8)).until(() -> waitsForTheNextLook(publishingId));

        JsonNode published = YouTubePublishingTest.awaitStatus(video, "published");
        assertEquals(publishingId.toString(), published.get("publishingId").asText());
        assertFalse(published.path("confirmed").asBoolean(true), published.toString());
        assertTrue(published.path("platformId").isMissingNode(), "the container id is no media id: " + published);
        assertEquals("unconfirmed", published.path("error").path("code").asText(), published.toString());
        assertTrue(published.path("error").path("message").asText().contains("Instagram published container " + container),
                published.toString());
        JsonNode view = YouTubePublishingTest.json(given().header("X-Internal-Token", "test-internal-token")
                .get("/publish/projects/" + video.projectId + "/publishings").then().statusCode(200).extract().asString()).get(0);
        assertEquals("published", view.get("status").asText());
        assertFalse(view.path("confirmed").asBoolean(true), view.toString());
        assertEquals("unconfirmed", view.path("error").path("code").asText(), view.toString());
        // no second media_publish: one container, published once, and the account has the one media of that caption
        clearFaults();
        List<JsonNode> containers = YouTubePublishingTest.uploadsWithSha(sandbox, video.sha256);
        assertEquals(1, containers.size(), containers.toString());
        assertEquals(mediaId, containers.get(0).get("postId").asText());
        assertEquals(List.of(mediaId), mediaWithCaption(caption));
        assertThrows(AssertionError.class, () -> KafkaTestClient.await("video.published", r -> video.projectId.toString().equals(r.key())
                && r.value().contains("\"status\":\"failed\""), 1, Duration.ofSeconds(1)), "never failed");
    }

    /** Processing, the first miss saved, and the job given back (no lease) to run again later: a look was missed. */
    private static boolean waitsForTheNextLook(UUID publishingId) throws Exception {
        try {
            return VertxContextSupport.subscribeAndAwait(() -> Panache.withSession(() -> Publishing.<Publishing>findById(publishingId)
                    .chain(p -> PublishJob.<PublishJob>findById(publishingId).map(job -> "processing".equals(p.status)
                            && p.uploadUrl != null && p.uploadUrl.startsWith("reconciling-since:")
                            && job != null && job.leaseToken == null && job.runAt.isAfter(Instant.now())))));
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private void arm(int looks) {
        given().contentType(ContentType.JSON).body(Map.of("platform", "instagram", "operation", "media", "kind", "media-unlisted",
                "count", looks)).post(sandbox + "/sandbox/faults").then().statusCode(201);
    }

    private List<String> mediaWithCaption(String caption) {
        List<Map<String, String>> listed = given().header("Authorization", "Bearer sandbox-token").queryParam("fields", "id,caption")
                .queryParam("limit", 100).get(sandbox + "/v23.0/me/media").then().statusCode(200).extract().jsonPath().getList("data");
        return listed.stream().filter(m -> caption.equals(m.get("caption"))).map(m -> m.get("id")).toList();
    }

    /** A Reel published at the sandbox by hand (as the crashed worker did): the media id. */
    private String publishedReel(TestVideos video, String caption) {
        String version = sandbox + "/v23.0/";
        String container = given().header("Authorization", "Bearer sandbox-token")
                .formParam("media_type", "REELS").formParam("caption", caption)
                .formParam("video_url", storage + "/media/" + video.projectId + "?X-Amz-Signature=test")
                .post(version + "me/media").then().statusCode(200).extract().path("id");
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> "FINISHED".equals(given()
                .header("Authorization", "Bearer sandbox-token")
                .get(version + container + "?fields=status_code").then().extract().path("status_code")));
        return given().header("Authorization", "Bearer sandbox-token").formParam("creation_id", container)
                .post(version + "me/media_publish").then().statusCode(200).extract().path("id");
    }

    /** The state a worker that died right after the platform's answer leaves behind: the handle saved, the job due. */
    private static UUID crashed(TestVideos video, String platform, PublishingStatus status, String uploadRef, String uploadUrl)
            throws Throwable {
        return crashed(video, platform, status, uploadRef, uploadUrl, "Crash test");
    }

    private static UUID crashed(TestVideos video, String platform, PublishingStatus status, String uploadRef, String uploadUrl,
            String title) throws Throwable {
        UUID id = UUID.randomUUID();
        Instant now = Instant.now();
        VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> {
            Video stored = new Video();
            stored.videoId = video.videoId;
            stored.projectId = video.projectId;
            stored.ownerId = video.ownerId;
            stored.storageKey = video.projectId + "/" + video.videoId + ".mp4";
            stored.sha256 = video.sha256;
            stored.sizeBytes = video.size;
            stored.durationSeconds = 20;
            stored.resolution = "1080x1920";
            stored.metadata = "{\"title\":\"" + title + "\",\"description\":\"d\",\"tags\":[],\"hashtags\":[\"crash\"]}";
            stored.storedAt = now;
            Publishing publishing = new Publishing();
            publishing.id = id;
            publishing.videoId = video.videoId;
            publishing.projectId = video.projectId;
            publishing.ownerId = video.ownerId;
            publishing.platform = platform;
            publishing.status = status.id();
            publishing.uploadRef = uploadRef;
            publishing.uploadUrl = uploadUrl;
            publishing.createdAt = now;
            publishing.updatedAt = now;
            return stored.persist().chain(() -> publishing.persist()).chain(() -> PublishJob.due(id, now).persist());
        }));
        return id;
    }
}
