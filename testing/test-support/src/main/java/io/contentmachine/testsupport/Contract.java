package io.contentmachine.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** The event contract under contract/schemas: validate what a service produces, feed its examples to consumers. */
public final class Contract {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Pattern TRACEPARENT = Pattern.compile("00-([0-9a-f]{32})-([0-9a-f]{16})-0[01]");

    private Contract() {
    }

    /** Schema violations of {@code json} against the topic's schema; empty when valid. */
    public static Set<String> violations(String topic, String json) {
        Path file = schemaFile(topic);
        SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
        // the schemas' $ids live under https://contentmachine.io/schemas/: resolve them from the files in the repository
        String schemas = file.getParent().toUri().toString();
        JsonSchema schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7,
                        builder -> builder.schemaMappers(mappers -> mappers.mapPrefix("https://contentmachine.io/schemas/", schemas)))
                .getSchema(SchemaLocation.of(file.toUri().toString()), config);
        try {
            Set<ValidationMessage> messages = schema.validate(MAPPER.readTree(json));
            return messages.stream().map(ValidationMessage::getMessage).collect(Collectors.toCollection(java.util.TreeSet::new));
        } catch (IOException e) {
            return Set.of("not JSON: " + e.getMessage());
        }
    }

    /** Fails with the violations when {@code json} does not match the topic's schema. */
    public static void assertValid(String topic, String json) {
        Set<String> violations = violations(topic, json);
        if (!violations.isEmpty()) {
            throw new AssertionError(topic + " event violates contract/schemas/" + topic + ".json: " + violations + "\n" + json);
        }
    }

    /**
     * Fails unless the record's trace context is the contract's: a W3C traceparent (version 00, non-zero trace and span ids)
     * naming the producer's span, or none (a producer without tracing).
     */
    public static void assertTraceparent(ConsumerRecord<String, String> record) {
        String traceparent = KafkaTestClient.header(record, "traceparent");
        if (traceparent == null) {
            return;
        }
        Matcher parts = TRACEPARENT.matcher(traceparent);
        if (!parts.matches() || parts.group(1).equals("0".repeat(32)) || parts.group(2).equals("0".repeat(16))) {
            throw new AssertionError("traceparent '" + traceparent + "' is not 00-<trace id>-<span id>-<flags>");
        }
    }

    /** The trace id of the record's traceparent, or null when it has none. */
    public static String traceId(ConsumerRecord<String, String> record) {
        String traceparent = KafkaTestClient.header(record, "traceparent");
        Matcher parts = TRACEPARENT.matcher(traceparent == null ? "" : traceparent);
        return parts.matches() ? parts.group(1) : null;
    }

    /** The first example of the topic's schema, as JSON text. */
    public static String example(String topic) {
        try {
            JsonNode schema = MAPPER.readTree(schemaFile(topic).toFile());
            return MAPPER.writeValueAsString(schema.get("examples").get(0));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path schemaFile(String topic) {
        Path file = RepositoryRoot.resolve("contract/schemas/" + topic + ".json");
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no schema for topic " + topic + " at " + file);
        }
        return file;
    }
}
