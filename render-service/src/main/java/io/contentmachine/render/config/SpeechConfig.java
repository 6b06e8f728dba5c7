package io.contentmachine.render.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Optional speech provider: an OpenAI-compatible {@code POST /v1/audio/speech} server such as Kokoro (env
 * RENDER_SPEECH_BASE_URL, RENDER_SPEECH_MODEL, RENDER_SPEECH_API_KEY, RENDER_SPEECH_TIMEOUT, RENDER_SPEECH_VOICES).
 * Unset base-url = espeak-ng only.
 */
@ConfigMapping(prefix = "render.speech")
public interface SpeechConfig {

    /** e.g. http://127.0.0.1:8880 (the path /v1/audio/speech is appended; a trailing /v1 is accepted too). */
    Optional<String> baseUrl();

    @WithDefault("kokoro")
    String model();

    Optional<String> apiKey();

    /** Limit of one speech request (one scene). */
    @WithDefault("60s")
    Duration timeout();

    /**
     * The server's voices the catalog offers, as {@code id:language} (BCP 47). An id that is also an espeak-ng voice of
     * the catalog (the seed's Kokoro names) is then spoken by the server; espeak-ng stays its fallback.
     */
    @WithDefault("af_heart:en-US,af_bella:en-US,am_michael:en-US,bf_emma:en-GB,bm_george:en-GB")
    List<String> voices();

    default boolean enabled() {
        return baseUrl().filter(url -> !url.isBlank()).isPresent();
    }
}
