package io.contentmachine.api.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * Base of request bodies: remembers every field the schema does not declare, so the request is refused with all of
 * them named (no mass assignment of status, ownerId, id, ...), instead of silently dropping them.
 */
public abstract class StrictJson {

    @JsonIgnore
    private final List<String> undeclared = new ArrayList<>();

    @JsonAnySetter
    void undeclared(String name, Object ignored) {
        undeclared.add(name);
    }

    /** The undeclared fields of this object and of the nested ones, as dotted paths. */
    public List<String> undeclaredFields() {
        List<String> all = new ArrayList<>(undeclared);
        nested().forEach((prefix, child) -> {
            if (child != null) {
                child.undeclaredFields().forEach(name -> all.add(prefix + "." + name));
            }
        });
        return all;
    }

    /** Nested request objects by field name. */
    protected Map<String, StrictJson> nested() {
        return Map.of();
    }

    /** Fails with 400 naming every undeclared field. */
    public void rejectUndeclared() {
        List<String> fields = undeclaredFields();
        if (!fields.isEmpty()) {
            throw ApiException.badRequest("Unknown fields", fields.stream().map(f -> f + ": not a field of this request").toList());
        }
    }
}
