package io.contentmachine.index.embedding;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** An OpenAI-compatible {@code POST /v1/embeddings} server (OpenAI itself, vLLM, Ollama, LocalAI, ...). */
public final class OpenAiEmbedder implements Embedder {

    private final HttpClient http;
    private final ObjectMapper json;
    private final URI endpoint;
    private final Optional<String> apiKey;
    private final String model;
    private final int dimension;
    private final Duration timeout;

    public OpenAiEmbedder(String baseUrl, Optional<String> apiKey, String model, int dimension, Duration timeout, ObjectMapper json) {
        String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.endpoint = URI.create(base.endsWith("/v1") ? base + "/embeddings" : base + "/v1/embeddings");
        this.apiKey = apiKey;
        this.model = model;
        this.dimension = dimension;
        this.timeout = timeout;
        this.json = json;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    @Override
    public int dimension() {
        return dimension;
    }

    @Override
    public List<float[]> embedAll(List<String> texts) {
        try {
            String body = json.writeValueAsString(Map.of("model", model, "input", texts));
            HttpRequest.Builder request = HttpRequest.newBuilder(endpoint)
                    .timeout(timeout)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body));
            apiKey.ifPresent(key -> request.header("Authorization", "Bearer " + key));
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new EmbeddingException("embeddings server " + endpoint + " answered " + response.statusCode() + ": "
                        + abbreviate(response.body()));
            }
            List<JsonNode> data = new ArrayList<>();
            json.readTree(response.body()).path("data").forEach(data::add);
            if (data.size() != texts.size()) {
                throw new EmbeddingException("embeddings server returned " + data.size() + " vectors for " + texts.size() + " texts");
            }
            data.sort(Comparator.comparingInt(item -> item.path("index").asInt()));
            List<float[]> vectors = new ArrayList<>(data.size());
            for (JsonNode item : data) {
                JsonNode values = item.path("embedding");
                if (values.size() != dimension) {
                    throw new EmbeddingException("embeddings server returned " + values.size() + "-d vectors, configured "
                            + "index.embeddings.dimension is " + dimension);
                }
                float[] vector = new float[dimension];
                for (int i = 0; i < dimension; i++) {
                    vector[i] = (float) values.get(i).asDouble();
                }
                vectors.add(vector);
            }
            return vectors;
        } catch (IOException e) {
            throw new EmbeddingException("embeddings server " + endpoint + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EmbeddingException("interrupted while embedding", e);
        }
    }

    private static String abbreviate(String text) {
        return text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }
}
