package io.contentmachine.render.api;

import java.util.List;

import io.contentmachine.render.video.Template;
import io.contentmachine.render.voice.Voice;

/** What render-service can make: the one list the gateway validates requests against. */
public record Catalog(List<TemplateEntry> templates, List<VoiceEntry> voices, LengthRange length) {

    public static final int MIN_LENGTH = 15;
    public static final int MAX_LENGTH = 180;

    public record TemplateEntry(String id, String name) {
    }

    public record VoiceEntry(String id, String language, String engine) {
    }

    public record LengthRange(int min, int max) {
    }

    public static Catalog of(List<Voice> voices) {
        return new Catalog(
                Template.ALL.stream().map(t -> new TemplateEntry(t.id(), t.name())).toList(),
                voices.stream().map(v -> new VoiceEntry(v.id(), v.language(), v.engine())).toList(),
                new LengthRange(MIN_LENGTH, MAX_LENGTH));
    }
}
