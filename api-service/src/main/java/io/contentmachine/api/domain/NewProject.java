package io.contentmachine.api.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import io.contentmachine.api.client.Catalog;
import io.contentmachine.events.MusicChoice;
import io.contentmachine.events.types.PublishRequest;

/**
 * A project to create, with its defaults applied and the rules that need no other service checked; {@link #language}
 * checks the rest against render-service's catalog.
 */
public record NewProject(String topic, String template, String voice, int length, PublishRequest publish, boolean allowDuplicate,
        MusicChoice music) {

    public static final String DEFAULT_TEMPLATE = "tiktok-bold";
    public static final String DEFAULT_VOICE = "af_heart";
    public static final int DEFAULT_LENGTH = 60;
    public static final int MIN_LENGTH = 15;
    public static final int MAX_LENGTH = 180;
    public static final int MAX_TOPIC = 500;
    public static final Set<String> PLATFORMS = Set.of("youtube", "tiktok", "instagram");

    /** The language of the chosen voice, once template, voice and length are ones the catalog offers (400 naming the valid ones). */
    public String language(Catalog catalog) {
        List<String> details = new ArrayList<>();
        List<String> templates = catalog.templates() == null ? List.of() : catalog.templates().stream().map(Catalog.Template::id).toList();
        if (!templates.contains(template)) {
            details.add("config.template: unknown template '" + template + "'; valid: " + String.join(", ", templates));
        }
        Catalog.Voice chosen = catalog.voices() == null ? null
                : catalog.voices().stream().filter(v -> v.id().equals(voice)).findFirst().orElse(null);
        if (chosen == null) {
            List<String> voices = catalog.voices() == null ? List.of() : catalog.voices().stream().map(Catalog.Voice::id).toList();
            details.add("config.voice: unknown voice '" + voice + "'; valid: " + String.join(", ", voices));
        } else if (!chosen.writable()) {
            // a voice must never read a script in another language: refuse what no configured writer can write
            List<String> languages = catalog.voices().stream().filter(Catalog.Voice::writable).map(Catalog.Voice::language)
                    .distinct().sorted().toList();
            details.add("config.voice: no script writer writes " + chosen.language() + " (voice '" + voice + "'); languages that work: "
                    + String.join(", ", languages));
        }
        if (catalog.length() != null) {
            int min = catalog.length().min() == null ? MIN_LENGTH : Math.max(MIN_LENGTH, catalog.length().min());
            int max = catalog.length().max() == null ? MAX_LENGTH : Math.min(MAX_LENGTH, catalog.length().max());
            if (length < min || length > max) {
                details.add("config.length: must be between " + min + " and " + max + " seconds");
            }
        }
        if (!details.isEmpty()) {
            throw new DomainException.InvalidRequest("Validation failed", details);
        }
        return chosen.language();
    }
}
