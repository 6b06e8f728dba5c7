package io.contentmachine.api.client;

import java.util.List;

/** render-service's catalog: the templates and voices it can render, and the lengths it accepts. */
public record Catalog(List<Template> templates, List<Voice> voices, Length length) {

    public record Template(String id, String name) {
    }

    /** scripted: whether render-service can write this voice's language (absent from an older render-service: yes). */
    public record Voice(String id, String language, String engine, Boolean scripted) {

        public boolean writable() {
            return !Boolean.FALSE.equals(scripted);
        }
    }

    public record Length(Integer min, Integer max) {
    }
}
