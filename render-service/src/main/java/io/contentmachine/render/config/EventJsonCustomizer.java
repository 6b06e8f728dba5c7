package io.contentmachine.render.config;

import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;

import io.quarkus.jackson.ObjectMapperCustomizer;

/**
 * Instants accept any RFC 3339 date-time: the generated event classes carry a millisecond @JsonFormat pattern that would
 * refuse "2026-11-24T12:00:00Z" (the contract's own examples), so a plain deserializer replaces the pattern-bound one.
 */
@Singleton
public class EventJsonCustomizer implements ObjectMapperCustomizer {

    @Override
    public int priority() {
        // after Quarkus' own customizers (JavaTimeModule), so the Instant deserializer below wins
        return MINIMUM_PRIORITY;
    }

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.registerModule(new SimpleModule("rfc3339-instants").addDeserializer(Instant.class, new Rfc3339Instant()));
    }

    /** Any RFC 3339 / ISO-8601 instant with an offset, with or without fractional seconds. */
    static final class Rfc3339Instant extends StdScalarDeserializer<Instant> {

        Rfc3339Instant() {
            super(Instant.class);
        }

        @Override
        public Instant deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            if (parser.currentToken() != JsonToken.VALUE_STRING) {
                return (Instant) context.handleUnexpectedToken(Instant.class, parser);
            }
            String text = parser.getText().trim();
            try {
                return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
            } catch (DateTimeParseException e) {
                return (Instant) context.handleWeirdStringValue(Instant.class, text, "not an RFC 3339 date-time");
            }
        }
    }
}
