package io.contentmachine.render.script;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The LLM writer against a local OpenAI-compatible endpoint that answers what each test sets. */
class LlmScriptWriterTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private HttpServer server;
    private final AtomicReference<String> content = new AtomicReference<>();
    private final AtomicReference<Integer> status = new AtomicReference<>(200);
    private final AtomicReference<String> lastRequest = new AtomicReference<>();
    private final AtomicReference<String> lastAuth = new AtomicReference<>();

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/chat/completions", exchange -> {
            lastRequest.set(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            lastAuth.set(exchange.getRequestHeaders().getFirst("Authorization"));
            byte[] body = MAPPER.writeValueAsBytes(java.util.Map.of("choices",
                    java.util.List.of(java.util.Map.of("message", java.util.Map.of("role", "assistant", "content", content.get())))));
            exchange.sendResponseHeaders(status.get(), body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private LlmScriptWriter writer() {
        return new LlmScriptWriter("http://127.0.0.1:" + server.getAddress().getPort() + "/v1/", "test-model", "sk-test",
                Duration.ofSeconds(5), new OfflineScriptWriter());
    }

    @Test
    void validAnswerBecomesTheScript() throws Exception {
        String sentence = "Octopuses pump blue blood through three hearts every single day of their lives. ";
        content.set(MAPPER.writeValueAsString(java.util.Map.of("title", "Three hearts, blue blood", "hook", "Octopuses are strange.",
                "description", "Why octopuses need three hearts.", "tags", java.util.List.of("octopus"), "hashtags",
                java.util.List.of("octopus"),
                "scenes", java.util.List.of(java.util.Map.of("text", sentence.repeat(2), "visualPrompt", "octopus"),
                        java.util.Map.of("text", sentence.repeat(1), "visualPrompt", "heart diagram")))));
        ScriptPlan plan = writer().write("Why octopuses have three hearts", 15, "en-US");
        assertEquals("llm", plan.writer());
        assertNull(plan.fallbackReason());
        assertEquals("Three hearts, blue blood", plan.title());
        assertEquals(2, plan.scenes().size());
        assertEquals("#octopus", plan.hashtags().get(0));
        assertEquals("Bearer sk-test", lastAuth.get());
        var request = MAPPER.readTree(lastRequest.get());
        assertEquals("test-model", request.get("model").asText());
        assertTrue(request.get("messages").get(1).get("content").asText().contains("Why octopuses have three hearts"));
    }

    @Test
    void invalidAnswerFallsBackToTheOfflineWriterAndSaysWhy() throws Exception {
        content.set(MAPPER.writeValueAsString(java.util.Map.of("title", "x".repeat(120), "scenes",
                java.util.List.of(java.util.Map.of("text", "Hello there.")))));
        ScriptPlan plan = writer().write("Why octopuses have three hearts", 15, "en-US");
        assertEquals("offline", plan.writer());
        assertTrue(plan.fallbackReason().contains("title"), plan.fallbackReason());
        assertEquals(new OfflineScriptWriter().write("Why octopuses have three hearts", 15).scenes(), plan.scenes());

        content.set("this is not JSON");
        assertEquals("offline", writer().write("Bees", 15, "en-US").writer());
        content.set("{\"title\":\"Bees\",\"scenes\":[{\"text\":\"Bees.\"}]}");
        assertTrue(writer().write("Bees", 60, "en-US").fallbackReason().contains("does not fit"));
    }

    @Test
    void failingEndpointFallsBack() {
        status.set(500);
        content.set("{}");
        ScriptPlan plan = writer().write("Bees", 15, "en-US");
        assertEquals("offline", plan.writer());
        assertTrue(plan.fallbackReason().contains("500"), plan.fallbackReason());
        server.stop(0);
        ScriptPlan unreachable = writer().write("Bees", 15, "en-US");
        assertTrue(unreachable.fallbackReason().startsWith("llm writer failed"), unreachable.fallbackReason());
    }
}
