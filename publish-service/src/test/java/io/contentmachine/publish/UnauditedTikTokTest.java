package io.contentmachine.publish;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import io.contentmachine.testsupport.KafkaResource;
import io.contentmachine.testsupport.PostgresResource;
import io.contentmachine.testsupport.SandboxResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** An app TikTok has not audited may post SELF_ONLY only: with publish.tiktok.audited=false every post is SELF_ONLY. */
@QuarkusTest
@TestProfile(UnauditedTikTokTest.Unaudited.class)
@WithTestResource(PostgresResource.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(SandboxResource.class)
@WithTestResource(StorageStandIn.class)
class UnauditedTikTokTest {

    /** The app is not audited, here and at the sandbox's TikTok. */
    public static class Unaudited implements QuarkusTestProfile {

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("publish.tiktok.audited", "false");
        }
    }

    @ConfigProperty(name = "sandbox.url")
    String sandbox;

    @AfterEach
    void resetCreator() {
        given().delete(sandbox + "/sandbox/tiktok/creator").then().statusCode(200);
    }

    @Test
    void everyPostIsSelfOnlyWhateverWasChosen() throws Exception {
        given().contentType(ContentType.JSON).body(Map.of("audited", false)).put(sandbox + "/sandbox/tiktok/creator").then()
                .statusCode(200);
        TestVideos video = TestVideos.generate(300_000);
        given().header("X-Internal-Token", "test-internal-token").get("/publish/accounts/" + video.ownerId + "/tiktok/creator-info")
                .then().statusCode(200).body("privacyLevelOptions", contains("SELF_ONLY")).body("audited", equalTo(false));
        // the request chose PUBLIC_TO_EVERYONE (TestVideos' choice): the sandbox refuses anything but SELF_ONLY from this app
        video.sendStored(UUID.randomUUID(), List.of("tiktok"));

        YouTubePublishingTest.awaitStatus(video, "published");
        JsonNode upload = YouTubePublishingTest.uploadsWithSha(sandbox, video.sha256).get(0);
        assertEquals("SELF_ONLY", upload.path("metadata").path("post_info").path("privacy_level").asText(), upload.toString());
    }
}
