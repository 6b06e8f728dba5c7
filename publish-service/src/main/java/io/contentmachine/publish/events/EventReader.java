package io.contentmachine.publish.events;

import java.io.IOException;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.ObjectMapper;

/** Reads incoming event values (JSON) into the classes generated from the contract; a missing value is unreadable. */
@ApplicationScoped
public class EventReader {

    private final ObjectMapper mapper;

    EventReader(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public <T> T read(String json, Class<T> type) throws IOException {
        if (json == null) {
            throw new IOException("no value");
        }
        return mapper.readValue(json, type);
    }
}
