package io.contentmachine.render.api;

import java.util.List;

import io.contentmachine.render.script.OfflineScriptWriter;
import io.contentmachine.render.video.Template;
import io.contentmachine.render.voice.Voice;

/** What render-service can make: the one list the gateway validates requests against. */
public record Catalog(List<TemplateEntry> templates, List<VoiceEntry> voices, LengthRange length) {

    public static final int MIN_LENGTH = 15;
    public static final int MAX_LENGTH = 180;

    public record TemplateEntry(String id, String name) {
    }

    /** A voice, and whether a configured script writer writes its language (the gateway refuses one that none does). */
    public record VoiceEntry(String id, String language, String engine, boolean scripted) {
    }

    public record LengthRange(int min, int max) {
    }

    /**
     * @param anyLanguage whether a writer for any language is configured (the LLM writer); otherwise only the offline
     *     writer's languages are scripted
     */
    public static Catalog of(List<Voice> voices, boolean anyLanguage) {
        return new Catalog(
                Template.ALL.stream().map(t -> new TemplateEntry(t.id(), t.name())).toList(),
                voices.stream().map(v -> new VoiceEntry(v.id(), v.language(), v.engine(),
                        anyLanguage || OfflineScriptWriter.writes(v.language()))).toList(),
                new LengthRange(MIN_LENGTH, MAX_LENGTH));
    }
}
