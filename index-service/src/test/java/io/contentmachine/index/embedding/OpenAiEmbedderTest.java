package io.contentmachine.index.embedding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The OpenAI-compatible embeddings client against a local HTTP server speaking the /v1/embeddings protocol (request
 * {model, input[]}, response {data:[{index, embedding}]}, possibly out of order). No OpenAI server is reachable here.
 */
class OpenAiEmbedderTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private HttpServer server;
    private final List<JsonNode> requests = new CopyOnWriteArrayList<>();
    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private volatile int dimension = 3;
    private volatile int status = 200;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/embeddings", this::answer);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void sendsModelAndTextsAndReadsVectorsInInputOrder() {
        OpenAiEmbedder embedder = embedder(Optional.of("secret"), 3);
        List<float[]> vectors = embedder.embedAll(List.of("a", "bb", "ccc"));
        assertEquals(1, requests.size());
        assertEquals("text-embedding-3-small", requests.get(0).get("model").asText());
        assertEquals(List.of("a", "bb", "ccc"), texts(requests.get(0)));
        assertEquals("Bearer secret", authorizations.get(0));
        assertArrayEquals(new float[] {1, 0, 0.5f}, vectors.get(0));
        assertArrayEquals(new float[] {2, 0, 0.5f}, vectors.get(1));
        assertArrayEquals(new float[] {3, 0, 0.5f}, vectors.get(2));

        Embeddings batched = new Embeddings(embedder, 32, 100);
        float[] unit = batched.embed("abcd");
        assertEquals(1.0, Embeddings.cosine(unit, new float[] {4, 0, 0.5f}), 1e-6);
        assertEquals(1.0, Math.sqrt(unit[0] * unit[0] + unit[1] * unit[1] + unit[2] * unit[2]), 1e-6, "normalized");
        assertEquals(2, requests.size());

        // a text embedded moments ago (the duplicate check, then video.requested's topic) is not sent again
        assertArrayEquals(unit, batched.embed("abcd"));
        assertEquals(2, requests.size());
        List<float[]> mixed = batched.embedAll(List.of("abcd", "e"));
        assertEquals(3, requests.size());
        assertEquals(List.of("e"), texts(requests.get(2)));
        assertArrayEquals(unit, mixed.get(0));
        assertEquals(1.0, Embeddings.cosine(mixed.get(1), new float[] {1, 0, 0.5f}), 1e-6);
        batched.close();
    }

    @Test
    void aWrongDimensionOrAnErrorIsReportedClearly() {
        dimension = 5;
        EmbeddingException wrongSize = assertThrows(EmbeddingException.class, () -> embedder(Optional.empty(), 3).embedAll(List.of("a")));
        assertTrue(wrongSize.getMessage().contains("returned 5-d vectors, configured index.embeddings.dimension is 3"),
                wrongSize.getMessage());
        assertEquals("", authorizations.get(0), "no key, no Authorization header");

        status = 429;
        EmbeddingException refused = assertThrows(EmbeddingException.class, () -> embedder(Optional.empty(), 5).embedAll(List.of("a")));
        assertTrue(refused.getMessage().contains("answered 429"), refused.getMessage());
    }

    private OpenAiEmbedder embedder(Optional<String> apiKey, int expectedDimension) {
        return new OpenAiEmbedder("http://127.0.0.1:" + server.getAddress().getPort() + "/", apiKey, "text-embedding-3-small",
                expectedDimension, Duration.ofSeconds(5), JSON);
    }

    private void answer(HttpExchange exchange) throws IOException {
        JsonNode request = JSON.readTree(exchange.getRequestBody());
        requests.add(request);
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        authorizations.add(authorization == null ? "" : authorization);
        byte[] body;
        if (status != 200) {
            body = "{\"error\":{\"message\":\"rate limited\"}}".getBytes(StandardCharsets.UTF_8);
        } else {
            ObjectNode response = JSON.createObjectNode().put("object", "list");
            ArrayNode data = response.putArray("data");
            List<String> texts = texts(request);
            for (int i = texts.size() - 1; i >= 0; i--) {
                ArrayNode embedding = data.addObject().put("object", "embedding").put("index", i).putArray("embedding");
                embedding.add(texts.get(i).length()).add(0);
                for (int d = 2; d < dimension; d++) {
                    embedding.add(0.5);
                }
            }
            body = JSON.writeValueAsBytes(response);
        }
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static List<String> texts(JsonNode request) {
        List<String> texts = new ArrayList<>();
        request.get("input").forEach(text -> texts.add(text.asText()));
        return texts;
    }
}
