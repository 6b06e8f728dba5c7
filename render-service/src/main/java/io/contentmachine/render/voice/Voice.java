package io.contentmachine.render.voice;

import java.util.List;
import java.util.Optional;

/**
 * A voice of the catalog: its public id, BCP 47 language, engine, and the espeak-ng voice that speaks it (for a voice
 * of Festival or the speech server: the espeak-ng voice used when that engine fails).
 */
public record Voice(String id, String language, String engine, String espeakVoice) {

    public static final String DEFAULT = "af_heart";
    public static final String ESPEAK = "espeak-ng";
    /** Festival with the HTS voice cmu_us_slt_arctic_hts (US English, female): the English default. */
    public static final String FESTIVAL = "festival";
    /** An OpenAI-compatible /v1/audio/speech server (e.g. Kokoro); the id is the server's voice name. */
    public static final String SPEECH_SERVER = "openai-speech";

    /**
     * The seed's voice names (Kokoro style) and plain voices. The US English female voices are Festival's HTS voice;
     * Debian has no male or British HTS voice, so those stay with espeak-ng, as do the other languages.
     */
    public static final List<Voice> ALL = List.of(
            new Voice("af_heart", "en-US", FESTIVAL, "en-us+f3"),
            new Voice("af_bella", "en-US", FESTIVAL, "en-us+f4"),
            new Voice("am_michael", "en-US", ESPEAK, "en-us+m3"),
            new Voice("bf_emma", "en-GB", ESPEAK, "en-gb+f3"),
            new Voice("bm_george", "en-GB", ESPEAK, "en-gb+m3"),
            new Voice("en-us", "en-US", FESTIVAL, "en-us"),
            new Voice("en-gb", "en-GB", ESPEAK, "en-gb"),
            new Voice("es", "es-ES", ESPEAK, "es"),
            new Voice("fr", "fr-FR", ESPEAK, "fr"),
            new Voice("de", "de-DE", ESPEAK, "de"),
            new Voice("it", "it-IT", ESPEAK, "it"),
            new Voice("pt-br", "pt-BR", ESPEAK, "pt-br"));

    /** An espeak-ng voice of {@link #ALL}. */
    public static Optional<Voice> byId(String id) {
        return ALL.stream().filter(v -> v.id().equals(id)).findFirst();
    }

    public boolean festival() {
        return FESTIVAL.equals(engine);
    }

    public boolean speechServer() {
        return SPEECH_SERVER.equals(engine);
    }
}
