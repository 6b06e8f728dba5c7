package io.contentmachine.publish;

import static io.contentmachine.publish.YouTubePublishingTest.awaitStatus;
import static io.contentmachine.publish.YouTubePublishingTest.uploadsWithSha;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.contentmachine.testsupport.KafkaResource;
import io.contentmachine.testsupport.KafkaTestClient;
import io.contentmachine.testsupport.PostgresResource;
import io.contentmachine.testsupport.SandboxResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * TikTok's posting rules: creator_info for the post screen, a privacy level chosen per post among the creator's options,
 * interactions off unless allowed and off where the creator disabled them, AI-generated content flagged.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(SandboxResource.class)
@WithTestResource(StorageStandIn.class)
class TikTokRulesTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String TOKEN = "test-internal-token";

    @ConfigProperty(name = "sandbox.url")
    String sandbox;

    @AfterEach
    void resetCreator() {
        given().delete(sandbox + "/sandbox/tiktok/creator").then().statusCode(200);
    }

    @Test
    void creatorInfoGivesThePostScreenWhatItNeeds() {
        creator(Map.of("commentDisabled", true, "privacyLevelOptions", List.of("MUTUAL_FOLLOW_FRIENDS", "SELF_ONLY")));
        TestVideos video = TestVideos.generate(1000);
        given().header("X-Internal-Token", TOKEN).get("/publish/accounts/" + video.ownerId + "/tiktok/creator-info").then()
                .statusCode(200).body("creatorNickname", equalTo("Sandbox Creator")).body("creatorUsername", equalTo("sandbox_creator"))
                .body("privacyLevelOptions", contains("MUTUAL_FOLLOW_FRIENDS", "SELF_ONLY")).body("commentDisabled", equalTo(true))
                .body("duetDisabled", equalTo(false)).body("maxVideoPostDurationSec", equalTo(600)).body("audited", equalTo(true));
        given().header("X-Internal-Token", TOKEN).get("/publish/accounts/owner-" + UUID.randomUUID() + "/tiktok/creator-info").then()
                .statusCode(409).body("error", equalTo("no connected tiktok account; connect one with POST /api/accounts/tiktok/connect"));
    }

    @Test
    void privacyLevelIsRequiredAndMustBeOneTheCreatorIsOffered() throws Exception {
        creator(Map.of("commentDisabled", true, "privacyLevelOptions", List.of("MUTUAL_FOLLOW_FRIENDS", "SELF_ONLY")));
        TestVideos video = TestVideos.generate(300_000);
        video.sendStored(UUID.randomUUID(), null);
        String path = "/publish/projects/" + video.projectId + "/publishings";
        // until video.stored is consumed the answer is 409 "Video not stored"; the TikTok checks come first
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> given().header("X-Internal-Token", TOKEN)
                .contentType(ContentType.JSON).body(Map.of("ownerId", video.ownerId, "platforms", List.of("youtube"))).post(path)
                .statusCode() == 202);

        publish(path, video, null).then().statusCode(400)
                .body("error", equalTo("tiktok.privacyLevel is required: choose one of the creator's privacy levels"))
                .body("details", contains("tiktok.privacyLevel: one of MUTUAL_FOLLOW_FRIENDS, SELF_ONLY"));
        publish(path, video, Map.of("privacyLevel", "FRIENDS")).then().statusCode(400).body("error", equalTo("Validation failed"))
                .body("details[0]", equalTo("tiktok.privacyLevel: unknown privacy level 'FRIENDS'; valid: PUBLIC_TO_EVERYONE, "
                        + "MUTUAL_FOLLOW_FRIENDS, FOLLOWER_OF_CREATOR, SELF_ONLY"));
        publish(path, video, Map.of("privacyLevel", "PUBLIC_TO_EVERYONE")).then().statusCode(400)
                .body("error", equalTo("tiktok.privacyLevel PUBLIC_TO_EVERYONE is not offered to this creator"))
                .body("details", contains("tiktok.privacyLevel: one of MUTUAL_FOLLOW_FRIENDS, SELF_ONLY"));
        assertEquals(0, uploadsWithSha(sandbox, video.sha256).stream().filter(u -> "tiktok".equals(u.path("platform").asText())).count());

        // every interaction asked for; the creator disabled comments, so they stay off
        publish(path, video, Map.of("privacyLevel", "MUTUAL_FOLLOW_FRIENDS", "allowComment", true, "allowDuet", true,
                "allowStitch", true, "brandOrganicToggle", true)).then().statusCode(202).body("find { it.platform == 'tiktok' }.status",
                equalTo("pending"));
        awaitTikTok(video, "published");
        JsonNode postInfo = tiktokUpload(video).path("metadata").path("post_info");
        assertEquals("MUTUAL_FOLLOW_FRIENDS", postInfo.path("privacy_level").asText(), postInfo.toString());
        assertEquals(true, postInfo.path("disable_comment").asBoolean(false), "the creator disabled comments: " + postInfo);
        assertEquals(false, postInfo.path("disable_duet").asBoolean(true), postInfo.toString());
        assertEquals(false, postInfo.path("disable_stitch").asBoolean(true), postInfo.toString());
        assertEquals(true, postInfo.path("is_aigc").asBoolean(false), "generated videos are flagged: " + postInfo);
        assertEquals(true, postInfo.path("brand_organic_toggle").asBoolean(false), postInfo.toString());
        assertEquals(false, postInfo.path("brand_content_toggle").asBoolean(true), postInfo.toString());
    }

    @Test
    void interactionsStayOffUnlessAllowed() throws Exception {
        TestVideos video = TestVideos.generate(300_000);
        video.sendStored(UUID.randomUUID(), List.of("tiktok"));

        awaitTikTok(video, "published");
        JsonNode postInfo = tiktokUpload(video).path("metadata").path("post_info");
        assertEquals("PUBLIC_TO_EVERYONE", postInfo.path("privacy_level").asText(), postInfo.toString());
        for (String flag : List.of("disable_comment", "disable_duet", "disable_stitch", "is_aigc")) {
            assertEquals(true, postInfo.path(flag).asBoolean(false), flag + ": " + postInfo);
        }
    }

    @Test
    void aPublishAskedAtCreateWithoutPrivacyLevelFailsWithTheOptions() throws Exception {
        TestVideos video = TestVideos.generate(300_000);
        ObjectNode event = (ObjectNode) MAPPER.readTree(video.storedEvent(UUID.randomUUID(), List.of("tiktok"), null));
        ((ObjectNode) event.path("publish")).remove("tiktok");
        KafkaTestClient.send("video.stored", video.projectId.toString(), event.toString());

        JsonNode failed = awaitStatus(video, "failed");
        assertEquals("privacy_level_required", failed.path("error").path("code").asText(), failed.toString());
        assertEquals("TikTok needs a privacy level chosen for each post (tiktok.privacyLevel), one of [PUBLIC_TO_EVERYONE,"
                + " MUTUAL_FOLLOW_FRIENDS, SELF_ONLY]", failed.path("error").path("message").asText());
        assertEquals(0, uploadsWithSha(sandbox, video.sha256).size());
    }

    private void creator(Map<String, Object> settings) {
        given().contentType(ContentType.JSON).body(settings).put(sandbox + "/sandbox/tiktok/creator").then().statusCode(200);
    }

    private static io.restassured.response.Response publish(String path, TestVideos video, Map<String, Object> tiktok) {
        Map<String, Object> body = tiktok == null ? Map.of("ownerId", video.ownerId, "platforms", List.of("tiktok"))
                : Map.of("ownerId", video.ownerId, "platforms", List.of("tiktok"), "tiktok", tiktok);
        return given().header("X-Internal-Token", TOKEN).contentType(ContentType.JSON).body(body).post(path);
    }

    private static JsonNode awaitTikTok(TestVideos video, String status) throws Exception {
        var record = KafkaTestClient.awaitOne("video.published", r -> video.projectId.toString().equals(r.key())
                && r.value().contains("\"platform\":\"tiktok\"") && r.value().contains("\"status\":\"" + status + "\""),
                Duration.ofSeconds(120));
        return MAPPER.readTree(record.value());
    }

    private JsonNode tiktokUpload(TestVideos video) throws Exception {
        return uploadsWithSha(sandbox, video.sha256).stream().filter(u -> "tiktok".equals(u.path("platform").asText())).findFirst()
                .orElseThrow();
    }
}
