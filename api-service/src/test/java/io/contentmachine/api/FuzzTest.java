package io.contentmachine.api;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import io.contentmachine.testsupport.KafkaResource;
import io.contentmachine.testsupport.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

/** 1,200 random or malformed requests: every answer is below 500 and, on /api, JSON. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(KafkaResource.class)
class FuzzTest {

    private static final String[] FRAGMENTS = {"{", "}", "[", "]", "\"topic\"", "\"config\"", ":", ",", "null", "true", "1e309", "-1",
        "\"\\u0000\"", "\"length\"", "\"template\"", "\"voice\"", "\"publish\"", "\"platforms\"", "\"youtube\"", "\"x\"", "0.5",
        "\"allowDuplicate\"", "\"status\"", "\u00e9", "\"\ud83d\ude00\"", "\\", "\"publishAt\"", "\"metadata\"", "{}", "[]", " ",
        "\"music\"", "\"assetId\"", "\"tag\"", "\"filename\"", "\"contentType\"", "\"sizeBytes\"", "\"sha256\"", "\"tags\"",
        "\"parts\"", "\"etag\""};
    private static final String[] PATHS = {"/api/videos", "/api/videos/", "/api/videos/%s", "/api/videos/%s/download",
        "/api/videos/%s/publish", "/api/videos/%s/events", "/api/videos/search", "/api/keys", "/api/keys/%s", "/api/accounts",
        "/api/accounts/%s", "/api/accounts/%s/connect", "/api/oauth/%s/callback", "/api/videos/%s/%s", "/api//videos",
        "/api/videos/%s/download/../..", "/api/%s", "/api/assets", "/api/assets/%s", "/api/assets/%s/complete"};
    private static final String[] METHODS = {"GET", "POST", "PUT", "DELETE", "PATCH"};

    @Test
    void noRandomRequestCausesAServerError() {
        Random random = new Random(42);
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < 1200; i++) {
            String method = METHODS[random.nextInt(METHODS.length)];
            String path = String.format(PATHS[random.nextInt(PATHS.length)], id(random), id(random));
            String body = body(random);
            var request = given().header("Authorization", "Bearer " + (random.nextInt(10) == 0 ? "nope" : Api.ADMIN_KEY))
                    .contentType(random.nextInt(8) == 0 ? "text/plain" : "application/json")
                    .queryParam("limit", random.nextInt(5) == 0 ? "x" : String.valueOf(random.nextInt(300) - 100))
                    .queryParam("q", random.nextBoolean() ? "" : "octopus");
            if (!method.equals("GET") && !method.equals("DELETE")) {
                request.body(body.getBytes(StandardCharsets.UTF_8));
            }
            Response response = request.request(method, path);
            if (response.statusCode() >= 500) {
                failures.add(method + " " + path + " " + body + " → " + response.statusCode() + " " + response.asString());
            } else if (response.statusCode() >= 400 && !path.contains("..") && !path.contains("//")
                    && !String.valueOf(response.contentType()).startsWith("application/json")) {
                failures.add(method + " " + path + " → " + response.statusCode() + " not JSON: " + response.contentType());
            }
        }
        assertTrue(failures.isEmpty(), failures.size() + " bad answers, e.g. " + failures.subList(0, Math.min(5, failures.size())));
    }

    private static String id(Random random) {
        return switch (random.nextInt(4)) {
            case 0 -> UUID.randomUUID().toString();
            case 1 -> "not-a-uuid";
            case 2 -> "%00" + random.nextInt();
            default -> "x".repeat(random.nextInt(100));
        };
    }

    private static String body(Random random) {
        return switch (random.nextInt(4)) {
            case 0 -> {
                StringBuilder b = new StringBuilder();
                for (int n = random.nextInt(30); n > 0; n--) {
                    b.append(FRAGMENTS[random.nextInt(FRAGMENTS.length)]);
                }
                yield b.toString();
            }
            case 1 -> "{\"topic\": \"fuzz " + random.nextInt() + "\", \"config\": {\"length\": " + (random.nextInt(400) - 100)
                    + ", \"template\": " + (random.nextBoolean() ? "\"tiktok-bold\"" : "7") + "}, \"allowDuplicate\": true}";
            case 2 -> "{\"platforms\": [" + (random.nextBoolean() ? "\"youtube\"" : "1") + "], \"publishAt\": \"" + random.nextInt()
                    + "\"}";
            default -> {
                byte[] bytes = new byte[random.nextInt(200)];
                random.nextBytes(bytes);
                yield new String(bytes, StandardCharsets.ISO_8859_1);
            }
        };
    }
}
