package io.contentmachine.kit.json;

import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

import jakarta.ws.rs.ConstrainedTo;
import jakarta.ws.rs.RuntimeType;
import jakarta.ws.rs.ext.ContextResolver;
import jakarta.ws.rs.ext.Provider;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;

/**
 * Request bodies are read strictly: a field the request class does not declare is refused (no mass assignment), and
 * wrong JSON types are errors, not guesses ("60" is not a number, 123 is not a string, 1.5 is not an integer).
 * Instants are RFC 3339 strings with an offset, with or without fractional seconds; an epoch number or a local
 * date-time is refused rather than guessed.
 * <p>
 * Only for the server side of HTTP: REST clients read other services' and platforms' answers, and Kafka consumers read
 * events (see {@link EventReader}), both of which may gain fields at any time, with the application's lenient mapper.
 */
@Provider
@ConstrainedTo(RuntimeType.SERVER)
public class StrictHttpJson implements ContextResolver<ObjectMapper> {

    private final ObjectMapper strict;

    StrictHttpJson(ObjectMapper application) {
        this.strict = strict(application.copy());
    }

    @Override
    public ObjectMapper getContext(Class<?> type) {
        return strict;
    }

    @SuppressWarnings("deprecation")
    static ObjectMapper strict(ObjectMapper mapper) {
        mapper.registerModule(new SimpleModule("rfc3339-instants").addDeserializer(Instant.class, new Rfc3339Instant()));
        mapper.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        mapper.configure(MapperFeature.ALLOW_COERCION_OF_SCALARS, false);
        mapper.enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
        mapper.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
        for (CoercionInputShape shape : new CoercionInputShape[] {CoercionInputShape.Integer, CoercionInputShape.Float,
                CoercionInputShape.Boolean}) {
            mapper.coercionConfigFor(LogicalType.Textual).setCoercion(shape, CoercionAction.Fail);
        }
        mapper.coercionConfigFor(LogicalType.Collection).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.POJO).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.POJO).setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
        return mapper;
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
