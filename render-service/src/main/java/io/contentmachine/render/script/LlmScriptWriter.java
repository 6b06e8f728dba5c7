package io.contentmachine.render.script;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Writes the script with an OpenAI-compatible chat-completions model, asking for JSON and validating it against the
 * script's rules (title ≤ 100 characters, at least one scene with text, spoken length near the request). Anything
 * invalid or failing falls back to the offline writer, and the script says why ({@code fallbackReason}).
 */
public class LlmScriptWriter {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final String baseUrl;
    private final String model;
    private final String apiKey;
    private final Duration timeout;
    private final OfflineScriptWriter offline;
    private final HttpClient http;

    public LlmScriptWriter(String baseUrl, String model, String apiKey, Duration timeout, OfflineScriptWriter offline) {
        this.baseUrl = baseUrl.replaceAll("/+$", "");
        this.model = model;
        this.apiKey = apiKey;
        this.timeout = timeout;
        this.offline = offline;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    }

    public ScriptPlan write(String topic, int lengthSeconds, String language) {
        try {
            return ask(topic, lengthSeconds, language);
        } catch (Exception e) {
            ScriptPlan fallback = offline.write(topic, lengthSeconds, language);
            String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            return new ScriptPlan(fallback.title(), fallback.description(), fallback.hook(), fallback.tags(), fallback.hashtags(),
                    fallback.scenes(), "offline", "llm writer failed: " + (reason.length() > 300 ? reason.substring(0, 300) : reason));
        }
    }

    private ScriptPlan ask(String topic, int lengthSeconds, String language) throws Exception {
        int words = (int) Math.round(lengthSeconds * OfflineScriptWriter.WORDS_PER_SECOND);
        String system = "You write scripts for vertical short videos. Answer with one JSON object only: {\"title\": string (at most 100"
                + " characters), \"description\": string, \"hook\": string, \"tags\": [string], \"hashtags\": [string starting with #],"
                + " \"scenes\": [{\"text\": string (what the narrator says), \"visualPrompt\": string (what the picture shows)}]}."
                + " Rules: write the title, description and every scene's text in the requested language; visualPrompt in English,"
                + " made of concrete nouns a stock footage library can match. The first sentence is a hook of at most 12 words,"
                + " never \"In this video\". Every other sentence names the topic or one of its nouns, or is a question. The last"
                + " 15% of the narration is a call to action. No hashtags in the description. Never use these phrases: "
                + String.join("; ", Phrasebook.BANNED) + ".";
        String user = String.format(Locale.ROOT, "Topic: %s%nLanguage: %s%nThe narration of all scenes together must be about %d words"
                + " (%d seconds spoken). Use %d to %d scenes.", topic, language == null ? "en-US" : language, words, lengthSeconds,
                Math.max(1, lengthSeconds / 10), Math.max(2, lengthSeconds / 5));
        Map<String, Object> body = Map.of("model", model, "temperature", 0,
                "response_format", Map.of("type", "json_object"),
                "messages", List.of(Map.of("role", "system", "content", system), Map.of("role", "user", "content", user)));
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + "/chat/completions")).timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(MAPPER.writeValueAsString(body)));
        if (apiKey != null && !apiKey.isBlank()) {
            request.header("Authorization", "Bearer " + apiKey);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("chat completions answered " + response.statusCode());
        }
        String content = MAPPER.readTree(response.body()).path("choices").path(0).path("message").path("content").asText("");
        JsonNode script = MAPPER.readTree(content.replaceAll("(?s)^\\s*```(?:json)?|```\\s*$", ""));
        return validate(script, lengthSeconds);
    }

    static ScriptPlan validate(JsonNode script, int lengthSeconds) {
        String title = script.path("title").asText("").strip();
        if (title.isEmpty() || title.length() > 100) {
            throw new IllegalArgumentException("invalid title (empty or longer than 100 characters)");
        }
        List<ScriptPlan.PlannedScene> scenes = new ArrayList<>();
        for (JsonNode scene : script.path("scenes")) {
            String text = scene.path("text").asText("").strip();
            if (text.isEmpty()) {
                throw new IllegalArgumentException("scene " + (scenes.size() + 1) + " has no text");
            }
            int words = OfflineScriptWriter.words(text).size();
            scenes.add(new ScriptPlan.PlannedScene(scenes.size() + 1, text,
                    Math.round(words / OfflineScriptWriter.WORDS_PER_SECOND * 10) / 10.0, scene.path("visualPrompt").asText("").strip()));
        }
        if (scenes.isEmpty()) {
            throw new IllegalArgumentException("no scenes");
        }
        double estimated = scenes.stream().mapToDouble(ScriptPlan.PlannedScene::estimatedSeconds).sum();
        if (Math.abs(estimated - lengthSeconds) / lengthSeconds > 0.25) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "narration of %.0f s does not fit %d s", estimated,
                    lengthSeconds));
        }
        for (ScriptPlan.PlannedScene scene : scenes) {
            String banned = OfflineScriptWriter.bannedPhrase(scene.text());
            if (banned != null) {
                throw new IllegalArgumentException("scene " + scene.sequence() + " uses the banned phrase '" + banned + "'");
            }
        }
        List<String> tags = strings(script.path("tags"));
        List<String> hashtags = strings(script.path("hashtags")).stream().map(h -> h.startsWith("#") ? h : "#" + h).toList();
        String hook = script.path("hook").asText(scenes.get(0).text());
        // hashtags belong in the hashtag list (publishing appends them), never twice in the description
        String description = script.path("description").asText(hook).replaceAll("(^|\\s)#[\\p{L}\\p{N}_]+", "").strip();
        return new ScriptPlan(title, description, hook, tags, hashtags, scenes, "llm", null);
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> {
            if (v.isTextual() && !v.asText().isBlank()) {
                values.add(v.asText().strip());
            }
        });
        return values;
    }
}
