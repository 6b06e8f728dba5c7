package io.contentmachine.api;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.contentmachine.testsupport.KafkaResource;
import io.contentmachine.testsupport.PostgresDatabase;
import io.contentmachine.testsupport.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

/**
 * Console sessions: an API key is exchanged for an httpOnly cookie; the cookie alone reads, and writes also need the CSRF
 * token and this server's Origin. Expired, signed-out and revoked sessions are refused; the catalog is public.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(KafkaResource.class)
class ConsoleSessionTest {

    PostgresDatabase database;

    @TestHTTPResource("/")
    URI base;

    /** A signed-in console: its cookie and CSRF token. */
    record Console(String cookie, String csrf) {
    }

    private String origin() {
        return "http://" + base.getHost() + ":" + base.getPort();
    }

    private Console signIn(String key) {
        Response response = given().contentType(ContentType.JSON).header("Origin", origin()).body(Map.of("key", key))
                .post("/api/session").then().statusCode(201).extract().response();
        return new Console(response.getCookie("cm_session"), response.path("csrfToken"));
    }

    private RequestSpecification read(Console console) {
        return given().cookie("cm_session", console.cookie());
    }

    private RequestSpecification write(Console console) {
        return given().cookie("cm_session", console.cookie()).header("X-CSRF-Token", console.csrf()).header("Origin", origin())
                .contentType(ContentType.JSON);
    }

    @Test
    void signInSetsAnHttpOnlyLaxCookieThatReadsAndWritesWithCsrfAndOrigin() {
        String[] ann = Api.newOwner("ann");
        Response signIn = given().contentType(ContentType.JSON).header("Origin", origin()).body(Map.of("key", ann[1]))
                .post("/api/session").then().statusCode(201)
                .body("owner", equalTo(ann[0])).body("admin", equalTo(false))
                .body("csrfToken", matchesPattern("[0-9a-f]{64}")).body("expiresAt", notNullValue())
                .extract().response();
        String setCookie = signIn.getHeader("Set-Cookie");
        assertTrue(setCookie.contains("HttpOnly"), setCookie);
        assertTrue(setCookie.contains("SameSite=Lax"), setCookie);
        assertTrue(!setCookie.contains("Secure"), "plain HTTP: no Secure flag: " + setCookie);
        assertTrue(!setCookie.contains(ann[1]), "the API key never goes into the cookie");
        Console console = new Console(signIn.getCookie("cm_session"), signIn.path("csrfToken"));

        // the key's hash is not the token's: the database keeps the token's SHA-256 only
        try (Connection c = database.connect();
                ResultSet row = c.createStatement().executeQuery("select token_hash, owner_id from api.sessions where owner_id = '"
                        + ann[0] + "'")) {
            assertTrue(row.next());
            assertEquals(64, row.getString("token_hash").length());
            assertTrue(!row.getString("token_hash").contains(console.cookie()));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }

        // behind a TLS proxy (X-Forwarded-Proto: https) the cookie is Secure
        Response behindTls = given().contentType(ContentType.JSON).header("X-Forwarded-Proto", "https")
                .body(Map.of("key", ann[1])).post("/api/session").then().statusCode(201).extract().response();
        assertTrue(behindTls.getHeader("Set-Cookie").contains("Secure"), behindTls.getHeader("Set-Cookie"));

        read(console).get("/api/session").then().statusCode(200).body("owner", equalTo(ann[0])).body("csrfToken", equalTo(console.csrf()));
        String id = write(console).body(Map.of("topic", "Console made this", "allowDuplicate", true)).post("/api/videos")
                .then().statusCode(201).extract().path("projectId");
        read(console).get("/api/videos").then().statusCode(200).body("items.id", hasItem(id));
        // another owner's cookie does not see it
        Console other = signIn(Api.newOwner("ben")[1]);
        read(other).get("/api/videos/" + id).then().statusCode(404);
    }

    @Test
    void wrongKeyMissingCsrfAndWrongOriginAreRefusedWithJson() {
        given().contentType(ContentType.JSON).body(Map.of("key", "cm_not-a-key")).post("/api/session")
                .then().statusCode(401).contentType(ContentType.JSON).body("error", equalTo("Missing or invalid API key"))
                .header("Set-Cookie", nullValue());
        given().contentType(ContentType.JSON).body("{}").post("/api/session")
                .then().statusCode(400).body("details", hasItem("key: required"));
        given().contentType(ContentType.JSON).body(Map.of("key", "x", "owner", "admin")).post("/api/session")
                .then().statusCode(400).body("error", equalTo("Unknown fields"));
        String[] cara = Api.newOwner("cara");
        // an origin the CORS settings allow (a frontend's) still may not sign in to this console; one they do not allow is
        // refused by the CORS layer before the application (a 403 without a body)
        given().contentType(ContentType.JSON).header("Origin", "http://localhost:5173").body(Map.of("key", cara[1])).post("/api/session")
                .then().statusCode(403).contentType(ContentType.JSON).body("error", containsString("Origin"));
        given().contentType(ContentType.JSON).header("Origin", "https://evil.example").body(Map.of("key", cara[1])).post("/api/session")
                .then().statusCode(403).header("Set-Cookie", nullValue());

        Console console = signIn(cara[1]);
        Map<String, Object> body = Map.of("topic", "Forged", "allowDuplicate", true);
        given().cookie("cm_session", console.cookie()).header("Origin", origin()).contentType(ContentType.JSON).body(body)
                .post("/api/videos").then().statusCode(403).contentType(ContentType.JSON).body("error", containsString("CSRF"));
        given().cookie("cm_session", console.cookie()).header("Origin", origin()).header("X-CSRF-Token", "0".repeat(64))
                .contentType(ContentType.JSON).body(body).post("/api/videos").then().statusCode(403).body("error", containsString("CSRF"));
        given().cookie("cm_session", console.cookie()).header("X-CSRF-Token", console.csrf()).header("Origin", "http://localhost:5173")
                .contentType(ContentType.JSON).body(body).post("/api/videos").then().statusCode(403).contentType(ContentType.JSON)
                .body("error", containsString("Origin"));
        given().cookie("cm_session", console.cookie()).header("X-CSRF-Token", console.csrf()).header("Origin", "https://evil.example")
                .contentType(ContentType.JSON).body(body).post("/api/videos").then().statusCode(403);
        given().cookie("cm_session", console.cookie()).header("X-CSRF-Token", console.csrf())
                .contentType(ContentType.JSON).body(body).post("/api/videos").then().statusCode(403).body("error",
                containsString("Origin"));
        read(console).get("/api/videos").then().statusCode(200).body("items", empty());
        given().cookie("cm_session", "forged-token").get("/api/videos").then().statusCode(401).contentType(ContentType.JSON)
                .body("error", containsString("sign in again"));
        // the JSON API keeps taking keys, without CSRF token or Origin
        Api.as(cara[1]).body(body).post("/api/videos").then().statusCode(201);
    }

    @Test
    void expiredSignedOutAndRevokedSessionsAreRefused() throws Exception {
        String[] dan = Api.newOwner("dan");
        Console expiring = signIn(dan[1]);
        Console leaving = signIn(dan[1]);
        Console revoked = signIn(dan[1]);
        read(expiring).get("/api/videos").then().statusCode(200);

        try (Connection c = database.connect()) {
            c.createStatement()
                    .execute("update api.sessions set expires_at = now() - interval '1 second' where token_hash = encode(sha256('"
                    + expiring.cookie() + "'::bytea), 'hex')");
        }
        read(expiring).get("/api/videos").then().statusCode(401).contentType(ContentType.JSON)
                .body("error", equalTo("Session expired or signed out; sign in again"))
                .header("Set-Cookie", containsString("Max-Age=0"));

        given().cookie("cm_session", leaving.cookie()).header("Origin", origin()).delete("/api/session").then().statusCode(403);
        write(leaving).delete("/api/session").then().statusCode(204).header("Set-Cookie", containsString("Max-Age=0"));
        read(leaving).get("/api/videos").then().statusCode(401);

        read(revoked).get("/api/videos").then().statusCode(200);
        String keyId = Api.admin().get("/api/keys").then().extract().path("find { it.owner == '" + dan[0] + "' }.id");
        Api.admin().delete("/api/keys/" + keyId).then().statusCode(204);
        read(revoked).get("/api/videos").then().statusCode(401).body("error", containsString("sign in again"));
        try (Connection c = database.connect();
                ResultSet left = c.createStatement().executeQuery("select count(*) from api.sessions where owner_id = '" + dan[0] + "'")) {
            left.next();
            assertEquals(0, left.getInt(1), "revoking the key deleted its sessions");
        }
        given().contentType(ContentType.JSON).body(Map.of("key", dan[1])).post("/api/session").then().statusCode(401);
    }

    @Test
    void eventSourceWorksWithTheCookieAndCorsNeverAllowsCredentials() throws Exception {
        String[] eve = Api.newOwner("eve");
        Console console = signIn(eve[1]);
        String id = Api.create(Api.as(eve[1]), "Live progress in a browser");
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest events = HttpRequest.newBuilder(base.resolve("/api/videos/" + id + "/events"))
                .header("Cookie", "cm_session=" + console.cookie()).header("Accept", "text/event-stream").build();
        HttpResponse<java.io.InputStream> stream = http.send(events, HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, stream.statusCode());
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
            String line = lines.readLine();
            while (line != null && !line.startsWith("data:")) {
                line = lines.readLine();
            }
            assertTrue(line != null && line.contains("\"status\":\"processing\""), String.valueOf(line));
        }
        // another owner's cookie gets a 404, before any stream starts
        Console other = signIn(Api.newOwner("fay")[1]);
        assertEquals(404, http.send(HttpRequest.newBuilder(base.resolve("/api/videos/" + id + "/events"))
                .header("Cookie", "cm_session=" + other.cookie()).build(), HttpResponse.BodyHandlers.ofString()).statusCode());

        given().header("Origin", "http://localhost:5173").header("Access-Control-Request-Method", "POST")
                .options("/api/videos").then().header("Access-Control-Allow-Credentials", not(equalTo("true")));
        given().header("Origin", "http://localhost:5173").cookie("cm_session", console.cookie()).get("/api/videos")
                .then().statusCode(200).header("Access-Control-Allow-Credentials", not(equalTo("true")));
    }

    @Test
    void catalogIsPublicAndThumbnailsRedirectToTheirPresignedUrl() {
        given().get("/api/catalog").then().statusCode(200).contentType(ContentType.JSON)
                .body("templates.id", hasItem("tiktok-bold")).body("voices.id", hasItem("af_heart")).body("length.min", notNullValue());

        String[] gil = Api.newOwner("gil");
        Console console = signIn(gil[1]);
        String id = Api.create(Api.as(gil[1]), "A thumbnail to show");
        read(console).redirects().follow(false).get("/api/videos/" + id + "/thumbnail").then().statusCode(404)
                .body("error", equalTo("Video not ready"));
        VideoLifecycleTest.send("video.rendered", id, gil[0], Map.of());
        VideoLifecycleTest.send("video.stored", id, gil[0], Map.of());
        await().atMost(VideoLifecycleTest.WAIT).untilAsserted(() -> read(console).get("/api/videos/" + id).then()
                .body("status", equalTo("stored"))
                .body("provenance.writer", equalTo("offline"))
                .body("provenance.voiceEngine", equalTo("festival"))
                .body("provenance.captionTiming", equalTo("synthesizer"))
                .body("provenance.music.assetId", equalTo("5e0c7a1b-2d3f-4a5b-8c6d-7e8f9a0b1c2d"))
                .body("provenance.visuals[0].sequence", equalTo(1))
                .body("provenance.visuals[0].visual.source", equalTo("generated"))
                .body("provenance.quality.sceneCuts", equalTo(11))
                .body("provenance.quality.integratedLufs", equalTo(-14.3f)));
        FakeServices.stored.add(UUID.fromString(id));
        read(console).redirects().follow(false).get("/api/videos/" + id + "/thumbnail").then().statusCode(303)
                .header("Location", containsString("/videos/" + id + "/thumbnail"));
        given().redirects().follow(false).get("/api/videos/" + id + "/thumbnail").then().statusCode(401);

        // the publish preview goes to publish-service with the owner, the platforms and the override
        write(console).body(Map.of("platforms", List.of("youtube", "tiktok"), "metadata", Map.of("title", "Octopus hearts, previewed")))
                .post("/api/videos/" + id + "/publish/preview").then().statusCode(400)
                .body("details", hasItem(containsString("tiktok.privacyLevel: required")));
        write(console).body(Map.of("platforms", List.of("youtube", "tiktok"), "metadata", Map.of("title", "Octopus hearts, previewed"),
                        "tiktok", Map.of("privacyLevel", "SELF_ONLY")))
                .post("/api/videos/" + id + "/publish/preview").then().statusCode(200)
                .body("platform", contains("youtube", "tiktok")).body("[1].text", equalTo("Octopus hearts, previewed #octopus"));
        var sent = FakeServices.previewRequests.get(FakeServices.previewRequests.size() - 1);
        assertEquals(gil[0], sent.path("ownerId").asText());
        assertEquals("Octopus hearts, previewed", sent.path("metadata").path("title").asText());
        write(console).body(Map.of("platforms", List.of("myspace"))).post("/api/videos/" + id + "/publish/preview").then().statusCode(400)
                .body("details[0]", containsString("myspace"));
        String fresh = Api.create(Api.as(gil[1]), "Not stored yet");
        write(console).body(Map.of("platforms", List.of("youtube"))).post("/api/videos/" + fresh + "/publish/preview").then()
                .statusCode(409);
    }

    @Test
    void anOAuthConnectionStartedInTheConsoleMustReturnToThatSession() {
        String[] hal = Api.newOwner("hal");
        Console console = signIn(hal[1]);
        Console otherTab = signIn(hal[1]);
        String url = write(console).post("/api/accounts/youtube/connect").then().statusCode(200).extract().path("authorizationUrl");
        String state = URI.create(url).getQuery().replace("state=", "");

        given().redirects().follow(false).get("/api/oauth/youtube/callback?code=good-code&state=" + state).then().statusCode(403)
                .contentType(ContentType.JSON).body("error", containsString("another console session"));
        read(otherTab).redirects().follow(false).get("/api/oauth/youtube/callback?code=good-code&state=" + state).then().statusCode(403);
        read(console).redirects().follow(false).get("/api/oauth/youtube/callback?code=good-code&state=" + state).then().statusCode(303)
                .header("Location", endsWith("/#/accounts?connected=youtube"));
        read(console).get("/api/accounts/youtube").then().statusCode(200);

        // a refusal goes back to the console too, saying why
        String again = write(console).post("/api/accounts/tiktok/connect").then().statusCode(200).extract().path("authorizationUrl");
        String second = URI.create(again).getQuery().replace("state=", "");
        read(console).redirects().follow(false).get("/api/oauth/tiktok/callback?error=access_denied&state=" + second).then().statusCode(303)
                .header("Location", containsString("/#/accounts?platform=tiktok&error=Authorization+denied"));
        // a connection started with an API key keeps its JSON answer
        String byKey = Api.as(hal[1]).post("/api/accounts/instagram/connect").then().statusCode(200).extract().path("authorizationUrl");
        given().get("/api/oauth/instagram/callback?code=good-code&state=" + URI.create(byKey).getQuery().replace("state=", ""))
                .then().statusCode(200).body("status", equalTo("connected"));
    }
}
