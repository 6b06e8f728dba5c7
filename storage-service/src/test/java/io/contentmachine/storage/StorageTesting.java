package io.contentmachine.storage;

import static io.restassured.RestAssured.given;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.contentmachine.testsupport.Contract;
import io.contentmachine.testsupport.KafkaTestClient;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Helpers shared by the tests: authenticated requests, real uploads through grants, events as render-service sends them. */
final class StorageTesting {

    static final String TOKEN = "test-internal-token";
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();

    private StorageTesting() {
    }

    static RequestSpecification internal() {
        return given().header("X-Internal-Token", TOKEN);
    }

    static byte[] bytes(int size, long seed) {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        return data;
    }

    static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Asks for a grant and uploads with it (single PUT only); returns the grant. */
    static JsonNode upload(UUID projectId, byte[] data, String contentType) throws IOException, InterruptedException {
        String body = internal().contentType(ContentType.JSON)
                .body(Map.of("projectId", projectId.toString(), "sizeBytes", data.length, "sha256", sha256(data), "contentType",
                contentType))
                .post("/storage/uploads")
                .then().statusCode(200).extract().asString();
        JsonNode grant = JSON.readTree(body);
        if (!"single".equals(grant.path("method").asText())) {
            throw new AssertionError("expected a single PUT grant: " + body);
        }
        HttpResponse<String> put = put(grant, data);
        if (put.statusCode() != 200) {
            throw new AssertionError("presigned PUT failed: " + put.statusCode() + " " + put.body());
        }
        return grant;
    }

    /** The grant's presigned PUT of {@code data}, with every header the grant lists. */
    static HttpResponse<String> put(JsonNode grant, byte[] data) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(grant.get("url").asText()));
        grant.get("headers").fields().forEachRemaining(header -> request.header(header.getKey(), header.getValue().asText()));
        return HTTP.send(request.PUT(HttpRequest.BodyPublishers.ofByteArray(data)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A video.rendered event as render-service emits it, built on the contract's example. */
    static ObjectNode rendered(UUID projectId, String stagingKey, String thumbnailStagingKey, byte[] video) throws IOException {
        ObjectNode event = (ObjectNode) JSON.readTree(Contract.example("video.rendered"));
        event.put("eventId", UUID.randomUUID().toString());
        event.put("projectId", projectId.toString());
        event.put("ownerId", "owner-" + projectId.toString().substring(0, 8));
        event.put("stagingKey", stagingKey);
        if (thumbnailStagingKey == null) {
            event.remove("thumbnailStagingKey");
        } else {
            event.put("thumbnailStagingKey", thumbnailStagingKey);
        }
        event.put("sha256", sha256(video));
        event.put("sizeBytes", video.length);
        Contract.assertValid("video.rendered", event.toString());
        return event;
    }

    static void send(ObjectNode event) {
        KafkaTestClient.send("video.rendered", event.get("projectId").asText(), event.toString());
    }

    static JsonNode awaitEvent(String topic, UUID projectId) throws IOException {
        ConsumerRecord<String, String> record = KafkaTestClient.awaitOne(topic, r -> projectId.toString().equals(r.key()),
                Duration.ofSeconds(60));
        Contract.assertValid(topic, record.value());
        return JSON.readTree(record.value());
    }

    /** Everything on the topic for the project within the window (to prove that something was not emitted twice). */
    static List<ConsumerRecord<String, String>> allEvents(String topic, UUID projectId, Duration window) {
        List<ConsumerRecord<String, String>> found = new java.util.ArrayList<>();
        try {
            KafkaTestClient.await(topic, r -> {
                if (projectId.toString().equals(r.key())) {
                    found.add(r);
                }
                return false;
            }, 1, window);
        } catch (AssertionError expected) {
            // the window ran out, as intended
        }
        return found;
    }

    static HttpResponse<byte[]> download(String url) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }
}
