package io.contentmachine.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;

import io.contentmachine.testsupport.KafkaResource;
import io.contentmachine.testsupport.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

/** Strict input, authentication and ownership: every mistake is a clear 4xx JSON error, never a 500. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(KafkaResource.class)
class InputAndAuthTest {

    @TestHTTPResource("/api/videos")
    URI videos;

    private static void rejects(String body, int status, String error, String detail) {
        var response = Api.admin().body(body).post("/api/videos").then().log().ifValidationFails().statusCode(status)
                .contentType(ContentType.JSON)
                .body("error", equalTo(error));
        if (detail != null) {
            response.body("details", hasItem(containsString(detail)));
        }
    }

    @Test
    void badBodiesAreRefusedWithTheRightStatusAndJson() {
        rejects("{}", 400, "Validation failed", "topic: required");
        rejects("{\"topic\": \"   \"}", 400, "Validation failed", "topic: required");
        rejects("{\"topic\": \"" + "x".repeat(501) + "\"}", 400, "Validation failed", "topic: at most 500");
        rejects("{\"topic\": 123}", 400, "Malformed JSON", "topic");
        rejects("{\"topic\": \"t\", \"config\": {\"length\": \"60\"}}", 400, "Malformed JSON", "length");
        rejects("{\"topic\": \"t\", \"config\": {\"length\": 60.5}}", 400, "Malformed JSON", "length");
        rejects("{\"topic\": \"t\", \"config\": {\"length\": 10}}", 400, "Validation failed", "config.length: must be between 15 and 180");
        rejects("{\"topic\": \"t\", \"config\": {\"length\": 181}}", 400, "Validation failed", "config.length");
        rejects("{\"topic\": \"t\", \"config\": \"fast\"}", 400, "Malformed JSON", "config");
        rejects("{\"topic\": \"t\", \"allowDuplicate\": \"yes\"}", 400, "Malformed JSON", "allowDuplicate");
        rejects("{\"topic\": \"t\"", 400, "Malformed JSON", null);
        rejects("not json", 400, "Malformed JSON", null);
        rejects("[1, 2]", 400, "Malformed JSON", null);
        rejects("null", 400, "Validation failed", "body: required");
        rejects("{\"topic\": \"t\", \"config\": {\"template\": \"nope\"}}", 400, "Validation failed",
                "config.template: unknown template 'nope'; valid: tiktok-bold, minimal");
        rejects("{\"topic\": \"t\", \"config\": {\"voice\": \"robot\"}}", 400, "Validation failed",
                "config.voice: unknown voice 'robot'; valid: af_heart, de_anna, ja_kenji");
        // a voice must not read a script in another language: one whose language no writer writes is refused, naming those that work
        rejects("{\"topic\": \"t\", \"config\": {\"voice\": \"ja_kenji\"}}", 400, "Validation failed",
                "config.voice: no script writer writes ja-JP (voice 'ja_kenji'); languages that work: de-DE, en-US");
        rejects("{\"topic\": \"t\", \"config\": {\"publish\": {\"platforms\": [\"myspace\"]}}}", 400, "Validation failed",
                "config.publish.platforms: unknown platform 'myspace'");
        rejects("{\"topic\": \"t\", \"config\": {\"publish\": {\"platforms\": [\"youtube\"], \"publishAt\": \"tomorrow\"}}}", 400,
                "Validation failed", "config.publish.publishAt");
    }

    @Test
    void undeclaredFieldsAreNamedAndNeverTaken() {
        Api.admin().body("{\"topic\": \"t\", \"status\": \"published\", \"ownerId\": \"bob\", \"id\": \"x\","
                        + " \"config\": {\"length\": 30, \"priority\": 1}}")
                .post("/api/videos").then().statusCode(400)
                .body("error", equalTo("Unknown fields"))
                .body("details", hasSize(4))
                .body("details", hasItem(containsString("status")))
                .body("details", hasItem(containsString("ownerId")))
                .body("details", hasItem(containsString("id")))
                .body("details", hasItem(containsString("config.priority")));
    }

    @Test
    void contentTypeSizeAndIdsAreChecked() throws Exception {
        given().header("Authorization", "Bearer " + Api.ADMIN_KEY).contentType("text/plain").body("topic=x")
                .post("/api/videos").then().statusCode(415).contentType(ContentType.JSON).body("error", notNullValue());
        String big = "{\"topic\": \"" + "x".repeat(70 * 1024) + "\"}";
        Api.admin().body(big).post("/api/videos").then().statusCode(413).contentType(ContentType.JSON)
                .body("error", equalTo("Body too large"));
        // without a Content-Length (chunked: an InputStream body of unknown length) it is cut off at 64 KiB while it is read:
        // Quarkus answers a bare 413 and closes the connection before the rest of the body arrives, so there is no JSON here
        HttpResponse<String> chunked = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                .send(HttpRequest.newBuilder(videos)
                .header("Authorization", "Bearer " + Api.ADMIN_KEY).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big.getBytes(StandardCharsets.UTF_8))))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(413, chunked.statusCode());
        assertEquals("close", chunked.headers().firstValue("Connection").orElse(""));
        Api.admin().get("/api/videos/not-a-uuid").then().statusCode(400).contentType(ContentType.JSON)
                .body("error", equalTo("Invalid id"));
        Api.admin().get("/api/videos/" + UUID.randomUUID()).then().statusCode(404).body("error", equalTo("Not found"));
        Api.admin().get("/api/videos/" + UUID.randomUUID() + "/download").then().statusCode(404).body("error", equalTo("Not found"));
        Api.admin().delete("/api/videos/123").then().statusCode(400).body("error", equalTo("Invalid id"));
        Api.admin().put("/api/videos").then().statusCode(405).contentType(ContentType.JSON);
        Api.admin().get("/api/nothing-here").then().statusCode(404).contentType(ContentType.JSON);
    }

    @Test
    void withoutAValidKeyEverythingIs401() {
        given().get("/api/videos").then().statusCode(401).contentType(ContentType.JSON).body("error",
                equalTo("Missing or invalid API key"));
        given().header("Authorization", "Bearer wrong").get("/api/videos").then().statusCode(401);
        given().header("X-API-Key", "wrong").contentType(ContentType.JSON).body("{\"topic\": \"t\"}").post("/api/videos")
                .then().statusCode(401);
        given().header("Authorization", "Basic " + Api.ADMIN_KEY).get("/api/videos").then().statusCode(401);
        given().header("X-API-Key", Api.ADMIN_KEY).get("/api/videos").then().statusCode(200);
        // health and the OpenAPI document stay public
        given().get("/q/health/live").then().statusCode(200);
    }

    @Test
    void keysAreManagedByTheAdminOnlyAndRevocationTakesEffect() {
        String[] owner = Api.newOwner("keys");
        Api.as(owner[1]).get("/api/keys").then().statusCode(403).body("error", equalTo("Admin key required"));
        Api.as(owner[1]).body(Map.of("owner", "me", "name", "x")).post("/api/keys").then().statusCode(403);
        Response list = Api.admin().get("/api/keys");
        list.then().statusCode(200).body("find { it.owner == '" + owner[0] + "' }.prefix", equalTo(owner[1].substring(0, 10)))
                .body("key", not(hasItem(notNullValue())));
        String id = list.path("find { it.owner == '" + owner[0] + "' }.id");
        Api.admin().body(Map.of("owner", "bad owner!", "name", "")).post("/api/keys").then().statusCode(400)
                .body("details", hasSize(2));
        Api.admin().body(Map.of("owner", "o", "name", "n", "admin", true)).post("/api/keys").then().statusCode(400)
                .body("error", equalTo("Unknown fields"));
        Api.admin().delete("/api/keys/" + id).then().statusCode(204);
        Api.admin().delete("/api/keys/" + UUID.randomUUID()).then().statusCode(404);
        Api.as(owner[1]).get("/api/videos").then().statusCode(401);
    }

    @Test
    void anotherOwnersProjectLooksExactlyLikeAMissingOne() {
        String[] alice = Api.newOwner("alice");
        String[] mallory = Api.newOwner("mallory");
        String id = Api.create(Api.as(alice[1]), "Alice's private topic");
        String missing = UUID.randomUUID().toString();
        for (String path : new String[] {"", "/download", "/events"}) {
            Response theirs = Api.as(mallory[1]).get("/api/videos/" + id + path);
            Response none = Api.as(mallory[1]).get("/api/videos/" + missing + path);
            assertEquals(404, theirs.statusCode(), path);
            assertEquals(none.statusCode(), theirs.statusCode(), path);
            assertEquals(none.asString(), theirs.asString(), path);
        }
        Api.as(mallory[1]).delete("/api/videos/" + id).then().statusCode(404).body("error", equalTo("Not found"));
        Api.as(mallory[1]).body(Map.of("platforms", new String[] {"youtube"})).post("/api/videos/" + id + "/publish")
                .then().statusCode(404).body("error", equalTo("Not found"));
        Api.as(mallory[1]).get("/api/videos").then().statusCode(200).body("items", hasSize(0));
        Api.as(alice[1]).get("/api/videos/" + id).then().statusCode(200).body("topic", equalTo("Alice's private topic"));
        Api.as(alice[1]).get("/api/videos").then().body("items.id", hasItem(id)).body("items", hasSize(1));
    }
}
