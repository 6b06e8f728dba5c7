package io.contentmachine.publish;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.contentmachine.testsupport.KafkaResource;
import io.contentmachine.testsupport.PostgresResource;
import io.contentmachine.testsupport.SandboxResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

/** The preview shows what each platform would receive: the stored metadata with the override, through the publishers' adapter. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(SandboxResource.class)
@WithTestResource(StorageStandIn.class)
class PreviewTest {

    private static final String TOKEN = "test-internal-token";

    @Test
    void previewAdaptsTheMergedMetadataPerPlatformAndCreatesNothing() {
        TestVideos video = TestVideos.generate(100_000);
        video.sendStored(UUID.randomUUID(), null);
        String path = "/publish/projects/" + video.projectId + "/preview";
        String longTitle = "A better title that goes on " + "and on ".repeat(20);
        Map<String, Object> request = Map.of("ownerId", video.ownerId, "platforms", List.of("youtube", "tiktok", "instagram"),
                "metadata", Map.of("title", longTitle));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().header("X-Internal-Token", TOKEN).contentType(ContentType.JSON)
                .body(request).post(path).then().statusCode(200));
        given().header("X-Internal-Token", TOKEN).contentType(ContentType.JSON).body(request).post(path).then().statusCode(200)
                .body("platform", contains("youtube", "tiktok", "instagram"))
                // YouTube: the override's title cut to 100 code points, the stored description without '<' '>', hashtags at its end
                .body("[0].title.length()", equalTo(100))
                .body("[0].description", equalTo("A 30 second explainer about octopus hearts.\n\n#octopus #ocean"))
                .body("[0].tags", contains("octopus", "ocean life", "biology"))
                // TikTok: the post title is the title part then the hashtags
                .body("[1].text", containsString(" #octopus #ocean"))
                .body("[2].text", containsString("A 30 second explainer about <octopus> hearts."));
        // a preview creates no publishing
        given().header("X-Internal-Token", TOKEN).get("/publish/projects/" + video.projectId + "/publishings").then()
                .statusCode(200).body("$", hasSize(0));

        given().header("X-Internal-Token", TOKEN).contentType(ContentType.JSON)
                .body(Map.of("ownerId", "someone-else", "platforms", List.of("youtube"))).post(path).then().statusCode(409)
                .body("error", equalTo("Video not stored"));
        given().header("X-Internal-Token", TOKEN).contentType(ContentType.JSON)
                .body(Map.of("ownerId", video.ownerId, "platforms", List.of("myspace"))).post(path).then().statusCode(400)
                .body("error", equalTo("Unknown platform"));
        given().header("X-Internal-Token", TOKEN).contentType(ContentType.JSON)
                .body(Map.of("ownerId", video.ownerId, "platforms", List.of())).post(path).then().statusCode(400);
        given().contentType(ContentType.JSON).body(request).post(path).then().statusCode(401).body("error", not(equalTo(null)));
    }
}
