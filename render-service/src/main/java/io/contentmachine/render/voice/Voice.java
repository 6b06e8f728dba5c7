package io.contentmachine.render.voice;

import java.util.List;
import java.util.Optional;

/** A voice of the catalog: its public id, BCP 47 language, engine, and the espeak-ng voice that speaks it. */
public record Voice(String id, String language, String engine, String espeakVoice) {

    public static final String DEFAULT = "af_heart";

    /** The seed's voice names (Kokoro style) mapped to espeak-ng voices, plus plain espeak-ng voices. */
    public static final List<Voice> ALL = List.of(
            new Voice("af_heart", "en-US", "espeak-ng", "en-us+f3"),
            new Voice("af_bella", "en-US", "espeak-ng", "en-us+f4"),
            new Voice("am_michael", "en-US", "espeak-ng", "en-us+m3"),
            new Voice("bf_emma", "en-GB", "espeak-ng", "en-gb+f3"),
            new Voice("bm_george", "en-GB", "espeak-ng", "en-gb+m3"),
            new Voice("en-us", "en-US", "espeak-ng", "en-us"),
            new Voice("en-gb", "en-GB", "espeak-ng", "en-gb"),
            new Voice("es", "es-ES", "espeak-ng", "es"),
            new Voice("fr", "fr-FR", "espeak-ng", "fr"),
            new Voice("de", "de-DE", "espeak-ng", "de"),
            new Voice("it", "it-IT", "espeak-ng", "it"),
            new Voice("pt-br", "pt-BR", "espeak-ng", "pt-br"));

    public static Optional<Voice> byId(String id) {
        return ALL.stream().filter(v -> v.id().equals(id)).findFirst();
    }
}
