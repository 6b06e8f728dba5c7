package io.contentmachine.kit.json;

import java.io.IOException;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Reads incoming event values (JSON) into the classes generated from the contract. Lenient where HTTP bodies are strict:
 * a producer may add optional fields within a version, and an older consumer must apply the event anyway.
 */
@ApplicationScoped
public class EventReader {

    private final ObjectMapper mapper;

    EventReader(ObjectMapper application) {
        this.mapper = application.copy().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    /** The event in {@code json}; a missing value is unreadable. */
    public <T> T read(String json, Class<T> type) throws IOException {
        if (json == null) {
            throw new IOException("no value");
        }
        return mapper.readValue(json, type);
    }
}
