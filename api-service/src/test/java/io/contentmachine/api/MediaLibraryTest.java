package io.contentmachine.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.contentmachine.testsupport.Contract;
import io.contentmachine.testsupport.KafkaResource;
import io.contentmachine.testsupport.KafkaTestClient;
import io.contentmachine.testsupport.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * /api/assets in front of storage-service's media library (the test's stand-in, FakeServices): the owner comes from the key or
 * session, never the body; storage's refusals reach the caller with their status and words; another owner's asset is a 404;
 * storage down is a 503. And a video request's music bed: an asset id must be the owner's ready audio, a tag passes on.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(KafkaResource.class)
class MediaLibraryTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @TestHTTPResource("/")
    URI base;

    static Map<String, Object> body(String filename, String contentType, byte[] bytes) {
        Map<String, Object> body = new HashMap<>();
        body.put("filename", filename);
        body.put("contentType", contentType);
        body.put("sizeBytes", bytes.length);
        body.put("sha256", FakeServices.sha256(bytes));
        body.put("description", "Boats leaving a harbour at dawn");
        body.put("tags", List.of("harbour", " calm ", "harbour"));
        body.put("license", "CC BY 4.0");
        return body;
    }

    @Test
    void createGrantsAnUploadForTheCallersOwnerThenCompleteGetListAndDelete() throws Exception {
        String[] ann = Api.newOwner("lib");
        byte[] bytes = "not really a video, but bytes".getBytes(StandardCharsets.UTF_8);
        Map<String, Object> request = body("harbour.mp4", "video/mp4", bytes);
        Response created = Api.as(ann[1]).body(request).post("/api/assets");
        created.then().statusCode(201).contentType(ContentType.JSON)
                .body("asset.kind", equalTo("video")).body("asset.status", equalTo("uploading"))
                .body("asset.filename", equalTo("harbour.mp4")).body("asset.tags", equalTo(List.of("harbour", "calm")))
                .body("asset.ownerId", equalTo(ann[0])).body("asset", not(hasKey("storageKey")))
                .body("upload.method", equalTo("single")).body("upload.url", startsWith("http://s3.test/assets/originals/" + ann[0] + "/"))
                .body("upload.headers.Content-Type", equalTo("video/mp4")).body("upload.headers.x-amz-checksum-sha256", notNullValue())
                .body("upload", not(hasKey("stagingKey")));
        String id = created.path("asset.id");
        assertEquals("/api/assets/" + id, URI.create(created.header("Location")).getPath());
        JsonNode sent = FakeServices.assetRequests.get(FakeServices.assetRequests.size() - 1);
        assertEquals(ann[0], sent.path("ownerId").asText(), "the owner is the key's");
        assertEquals(FakeServices.sha256(bytes), sent.path("sha256").asText());
        assertEquals(bytes.length, sent.path("sizeBytes").asLong());

        // nothing uploaded yet: storage's 409 reaches the caller as it is
        Api.as(ann[1]).body("{}").post("/api/assets/" + id + "/complete").then().statusCode(409).contentType(ContentType.JSON)
                .body("error", equalTo("The uploaded object does not match the grant")).body("details", hasItem("object: not uploaded"));
        FakeServices.objects.put("assets/originals/" + ann[0] + "/" + id, bytes);
        Api.as(ann[1]).body("{}").post("/api/assets/" + id + "/complete").then().statusCode(200).body("id", equalTo(id))
                .body("status", equalTo("processing"));
        Api.as(ann[1]).get("/api/assets/" + id).then().statusCode(200).body("status", equalTo("processing"))
                .body("previewUrl", nullValue());
        FakeServices.markReady(UUID.fromString(id));
        Api.as(ann[1]).get("/api/assets/" + id).then().statusCode(200).body("status", equalTo("ready"))
                .body("previewUrl", startsWith("http://s3.test/assets/normalised/")).body("license", equalTo("CC BY 4.0"));

        // another owner sees nothing of it and cannot touch it
        String[] bob = Api.newOwner("lib");
        Api.as(bob[1]).get("/api/assets/" + id).then().statusCode(404).contentType(ContentType.JSON);
        Api.as(bob[1]).body("{}").post("/api/assets/" + id + "/complete").then().statusCode(404);
        Api.as(bob[1]).delete("/api/assets/" + id).then().statusCode(404);
        Api.as(bob[1]).get("/api/assets").then().statusCode(200).body("items", equalTo(List.of()));
        Api.as(ann[1]).get("/api/assets/" + id).then().statusCode(200);

        Api.as(ann[1]).delete("/api/assets/" + id).then().statusCode(204);
        Api.as(ann[1]).get("/api/assets/" + id).then().statusCode(404);
        assertFalse(FakeServices.assets.containsKey(UUID.fromString(id)));
        Api.as(ann[1]).get("/api/assets/not-a-uuid").then().statusCode(400).body("details", hasItem("id: not a UUID"));
    }

    @Test
    void listIsNewestFirstWithCursorPagingAndFilters() {
        String[] cy = Api.newOwner("lib");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(Api.as(cy[1]).body(body("clip" + i + ".mp4", "video/mp4", ("clip" + i).getBytes(StandardCharsets.UTF_8)))
                    .post("/api/assets").then().statusCode(201).extract().path("asset.id"));
        }
        UUID music = FakeServices.readyAsset(cy[0], "audio/mpeg", "piano.mp3", "Calm piano", List.of("calm"));
        Response first = Api.as(cy[1]).queryParam("limit", 2).get("/api/assets");
        first.then().statusCode(200).body("items.id", equalTo(List.of(music.toString(), ids.get(2)))).body("nextCursor", notNullValue());
        Api.as(cy[1]).queryParam("limit", 2).queryParam("cursor", (String) first.path("nextCursor")).get("/api/assets").then()
                .statusCode(200).body("items.id", equalTo(List.of(ids.get(1), ids.get(0)))).body("nextCursor", nullValue());
        Api.as(cy[1]).queryParam("kind", "audio").queryParam("status", "ready").get("/api/assets").then()
                .body("items.id", equalTo(List.of(music.toString()))).body("items[0].tags", equalTo(List.of("calm")));
        Api.as(cy[1]).queryParam("limit", 0).queryParam("kind", "font").queryParam("status", "lost").get("/api/assets").then()
                .statusCode(400).body("details", equalTo(List.of("limit: between 1 and 100", "kind: video, image or audio",
                        "status: uploading, processing, ready or rejected")));
        Api.as(cy[1]).queryParam("cursor", "%%%").get("/api/assets").then().statusCode(400).body("error", equalTo("Invalid cursor"));
    }

    @Test
    void badBodiesAreRefusedHereAndStoragesRefusalsPassWithTheirStatus() {
        String[] dee = Api.newOwner("lib");
        Map<String, Object> smuggled = body("a.mp4", "video/mp4", new byte[] {1});
        smuggled.put("ownerId", "someone-else");
        Api.as(dee[1]).body(smuggled).post("/api/assets").then().statusCode(400).body("error", equalTo("Unknown fields"))
                .body("details", hasItem(containsString("ownerId")));
        Map<String, Object> bad = new HashMap<>();
        bad.put("filename", "../etc/passwd");
        bad.put("sizeBytes", 0);
        bad.put("sha256", "ABC");
        bad.put("tags", List.of("ok", ""));
        Api.as(dee[1]).body(bad).post("/api/assets").then().statusCode(400).body("details", equalTo(List.of(
                "filename: a file name, without path separators or control characters",
                "contentType: required, e.g. video/mp4, image/jpeg or audio/mpeg", "sizeBytes: required, at least 1",
                "sha256: required, 64 lowercase hex digits", "tags: each tag 1 to 50 characters")));
        Api.as(dee[1]).body("{\"filename\": \"x.mp4\"").post("/api/assets").then().statusCode(400);

        Api.as(dee[1]).body(body("notes.txt", "text/plain", new byte[] {1})).post("/api/assets").then().statusCode(415)
                .contentType(ContentType.JSON).body("error", equalTo("Unsupported content type text/plain"))
                .body("details[0]", startsWith("contentType: one of"));
        Map<String, Object> huge = body("huge.mp4", "video/mp4", new byte[] {1});
        huge.put("sizeBytes", FakeServices.assetMaxBytes + 1);
        Api.as(dee[1]).body(huge).post("/api/assets").then().statusCode(413).body("error", equalTo("File too large"))
                .body("details", equalTo(List.of("sizeBytes: at most " + FakeServices.assetMaxBytes)));
        Api.as(dee[1]).body(Map.of("parts", List.of(Map.of("partNumber", 0, "etag", "x")))).post("/api/assets/" + UUID.randomUUID()
                + "/complete").then().statusCode(400).body("details", equalTo(List.of("parts[0].partNumber: 1 to 10000")));
        given().contentType(ContentType.JSON).body(body("a.mp4", "video/mp4", new byte[] {1})).post("/api/assets").then().statusCode(401);
    }

    @Test
    void storageDownIsA503WithJsonAndABlipIsRiddenOutOnReads() {
        String[] eve = Api.newOwner("lib");
        FakeServices.storageDown = true;
        try {
            Api.as(eve[1]).get("/api/assets").then().statusCode(503).contentType(ContentType.JSON)
                    .body("error", equalTo("Storage unavailable, try again shortly"));
            Api.as(eve[1]).body(body("a.mp4", "video/mp4", new byte[] {1})).post("/api/assets").then().statusCode(503);
            Api.as(eve[1]).delete("/api/assets/" + UUID.randomUUID()).then().statusCode(503);
            // a music bed cannot be checked while storage is down: no video is made on a guess
            Api.as(eve[1]).body(Map.of("topic", "Storm petrels", "allowDuplicate", true,
                    "config", Map.of("music", Map.of("assetId", UUID.randomUUID().toString())))).post("/api/videos").then().statusCode(503);
        } finally {
            FakeServices.storageDown = false;
        }
        // a blip: reads are tried again and succeed; a create is not repeated (it is not idempotent)
        FakeServices.storageBlips.set(2);
        Api.as(eve[1]).get("/api/assets").then().statusCode(200);
        assertEquals(0, FakeServices.storageBlips.get());
        FakeServices.storageBlips.set(1);
        Api.as(eve[1]).body(body("a.mp4", "video/mp4", new byte[] {1})).post("/api/assets").then().statusCode(503);
        assertEquals(0, FakeServices.storageBlips.get());
    }

    @Test
    void consoleWritesNeedTheCsrfTokenAndOrigin() {
        String[] fay = Api.newOwner("lib");
        String origin = "http://" + base.getHost() + ":" + base.getPort();
        Response signIn = given().contentType(ContentType.JSON).header("Origin", origin).body(Map.of("key", fay[1])).post("/api/session")
                .then().statusCode(201).extract().response();
        String cookie = signIn.getCookie("cm_session");
        String csrf = signIn.path("csrfToken");
        Map<String, Object> request = body("a.png", "image/png", new byte[] {7});
        given().cookie("cm_session", cookie).header("Origin", origin).contentType(ContentType.JSON).body(request).post("/api/assets")
                .then().statusCode(403).body("error", containsString("CSRF"));
        given().cookie("cm_session", cookie).header("X-CSRF-Token", csrf).header("Origin", "https://evil.example")
                .contentType(ContentType.JSON).body(request).post("/api/assets").then().statusCode(403);
        String id = given().cookie("cm_session", cookie).header("X-CSRF-Token", csrf).header("Origin", origin)
                .contentType(ContentType.JSON).body(request).post("/api/assets").then().statusCode(201).extract().path("asset.id");
        given().cookie("cm_session", cookie).get("/api/assets/" + id).then().statusCode(200).body("kind", equalTo("image"));
        given().cookie("cm_session", cookie).header("Origin", origin).delete("/api/assets/" + id).then().statusCode(403);
        assertTrue(FakeServices.assets.containsKey(UUID.fromString(id)));
    }

    @Test
    void aVideoMayNameTheOwnersReadyAudioAsItsMusicBed() throws Exception {
        String[] gus = Api.newOwner("music");
        UUID piano = FakeServices.readyAsset(gus[0], "audio/mpeg", "piano.mp3", "Calm piano", List.of("calm"));
        String id = Api.as(gus[1]).body(Map.of("topic", "Why octopuses have three hearts", "allowDuplicate", true,
                "config", Map.of("length", 30, "music", Map.of("assetId", piano.toString())))).post("/api/videos")
                .then().statusCode(201).extract().path("projectId");
        ConsumerRecord<String, String> record = KafkaTestClient.awaitOne("video.requested", r -> id.equals(r.key()),
                VideoLifecycleTest.WAIT);
        Contract.assertValid("video.requested", record.value());
        JsonNode music = JSON.readTree(record.value()).path("config").path("music");
        assertEquals(piano.toString(), music.path("assetId").asText());
        assertTrue(music.path("tag").isMissingNode() || music.path("tag").isNull(), music.toString());

        String tagged = Api.as(gus[1]).body(Map.of("topic", "Why the sea is salty", "allowDuplicate", true,
                "config", Map.of("music", Map.of("tag", " calm ")))).post("/api/videos")
                .then().statusCode(201).extract().path("projectId");
        record = KafkaTestClient.awaitOne("video.requested", r -> tagged.equals(r.key()), VideoLifecycleTest.WAIT);
        Contract.assertValid("video.requested", record.value());
        assertEquals("calm", JSON.readTree(record.value()).path("config").path("music").path("tag").asText());

        UUID image = FakeServices.readyAsset(gus[0], "image/png", "boat.png", "A boat", List.of());
        refused(gus[1], Map.of("assetId", image.toString()), "config.music.assetId: asset " + image + " is image, not audio");
        String uploading = Api.as(gus[1]).body(body("song.mp3", "audio/mpeg", new byte[] {3})).post("/api/assets").then().statusCode(201)
                .extract().path("asset.id");
        refused(gus[1], Map.of("assetId", uploading), "config.music.assetId: asset " + uploading + " is uploading, not ready yet");
        String[] hal = Api.newOwner("music");
        UUID theirs = FakeServices.readyAsset(hal[0], "audio/mpeg", "theirs.mp3", "Not yours", List.of());
        refused(gus[1], Map.of("assetId", theirs.toString()), "config.music.assetId: no asset " + theirs + " in your media library");
        refused(gus[1], Map.of("assetId", "piano"), "config.music.assetId: not a UUID");
        refused(gus[1], Map.of("assetId", piano.toString(), "tag", "calm"), "config.music: give either assetId or tag");
        refused(gus[1], Map.of(), "config.music: give either assetId or tag");
        Api.as(gus[1]).body(Map.of("topic", "Tides", "config", Map.of("music", Map.of("assetId", piano.toString(), "volume", 3))))
                .post("/api/videos").then().statusCode(400).body("details", hasItem(containsString("config.music.volume")));
    }

    private static void refused(String key, Map<String, Object> music, String detail) {
        Api.as(key).body(Map.of("topic", "Refused music " + UUID.randomUUID(), "allowDuplicate", true, "config", Map.of("music", music)))
                .post("/api/videos").then().statusCode(400).contentType(ContentType.JSON).body("error", equalTo("Validation failed"))
                .body("details", equalTo(List.of(detail)));
    }

    @Test
    void theOpenApiDocumentShowsTheMediaLibrary() {
        String doc = given().accept(ContentType.JSON).get("/q/openapi?format=json").then().statusCode(200).extract().asString();
        for (String path : new String[] {"\"/api/assets\"", "\"/api/assets/{id}\"", "\"/api/assets/{id}/complete\"", "\"AssetUploadGrant\"",
                "\"MusicChoice\"", "x-amz-checksum-sha256"}) {
            assertTrue(doc.contains(path), path);
        }
    }
}
