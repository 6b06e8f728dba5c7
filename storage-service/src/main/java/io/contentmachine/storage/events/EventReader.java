package io.contentmachine.storage.events;

import java.io.IOException;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;

/**
 * Reads incoming events into the generated classes. Those pin date-times to a pattern with milliseconds
 * (yyyy-MM-dd'T'HH:mm:ss.SSSXXX), which would reject valid RFC 3339 values of the contract such as
 * "2026-11-24T12:00:00Z"; this reader ignores the pattern on Instants and accepts any ISO-8601 instant.
 * Writing (the outbox) keeps the pattern.
 */
@ApplicationScoped
public class EventReader {

    private final ObjectMapper mapper;

    EventReader(ObjectMapper mapper) {
        this.mapper = mapper.copy().setAnnotationIntrospector(new JacksonAnnotationIntrospector() {
            @Override
            public JsonFormat.Value findFormat(Annotated annotated) {
                return annotated.getRawType() == Instant.class ? JsonFormat.Value.empty() : super.findFormat(annotated);
            }
        });
    }

    public <T> T read(String json, Class<T> type) throws IOException {
        if (json == null) {
            throw new IOException("no value");
        }
        return mapper.readValue(json, type);
    }
}
