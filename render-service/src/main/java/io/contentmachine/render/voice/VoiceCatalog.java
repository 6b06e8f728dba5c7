package io.contentmachine.render.voice;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.contentmachine.render.config.SpeechConfig;
import io.quarkus.runtime.Startup;

/**
 * The voices this instance offers: espeak-ng's, and, when a speech server is configured, the server's voices
 * ({@code render.speech.voices}). A server voice with the id of an espeak-ng voice replaces it in the catalog and keeps
 * that espeak-ng voice as its fallback; other server voices fall back to an espeak-ng voice of their language.
 * Checked at start, so a malformed voice list stops the service with a clear message.
 */
@ApplicationScoped
@Startup
public class VoiceCatalog {

    private final List<Voice> voices;

    @Inject
    VoiceCatalog(SpeechConfig config) {
        this(config.enabled() ? config.voices() : List.of());
    }

    public VoiceCatalog(List<String> serverVoices) {
        Map<String, Voice> byId = new LinkedHashMap<>();
        Voice.ALL.forEach(v -> byId.put(v.id(), v));
        for (String entry : serverVoices) {
            String[] parts = entry.strip().split(":");
            if (parts.length != 2 || parts[0].isBlank() || !parts[1].strip().matches("[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*")) {
                throw new IllegalArgumentException("render.speech.voices: '" + entry + "' is not id:language (e.g. af_heart:en-US)");
            }
            String id = parts[0].strip();
            String language = parts[1].strip();
            byId.put(id, new Voice(id, language, Voice.SPEECH_SERVER, fallback(id, language)));
        }
        this.voices = List.copyOf(new ArrayList<>(byId.values()));
    }

    public List<Voice> all() {
        return voices;
    }

    public Optional<Voice> byId(String id) {
        return voices.stream().filter(v -> v.id().equals(id)).findFirst();
    }

    /** The espeak-ng voice of the same id, else of the same language, else espeak-ng's voice for the language's code. */
    private static String fallback(String id, String language) {
        return Voice.byId(id).or(() -> Voice.ALL.stream().filter(v -> v.language().equalsIgnoreCase(language)).findFirst())
                .map(Voice::espeakVoice)
                .orElse(language.split("-")[0].toLowerCase(Locale.ROOT));
    }
}
