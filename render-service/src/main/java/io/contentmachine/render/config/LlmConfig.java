package io.contentmachine.render.config;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Optional LLM script writer: an OpenAI-compatible chat-completions endpoint (env RENDER_LLM_BASE_URL, RENDER_LLM_MODEL,
 * RENDER_LLM_API_KEY). Unset base-url = offline writer only.
 */
@ConfigMapping(prefix = "render.llm")
public interface LlmConfig {

    /** e.g. http://127.0.0.1:11434/v1 (the path /chat/completions is appended). */
    Optional<String> baseUrl();

    @WithDefault("gpt-4o-mini")
    String model();

    Optional<String> apiKey();

    @WithDefault("60s")
    Duration timeout();
}
