package io.contentmachine.publish.events;

import java.io.IOException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Reads an event into its generated class. The generated classes format instants as yyyy-MM-dd'T'HH:mm:ss.SSSXXX and
 * accept only that shape, while the schema allows any RFC 3339 date-time ("2026-11-24T12:00:00Z", nanoseconds, offsets):
 * every "...At" field is brought to the generated shape first, so a valid event is never sent to the dead-letter topic.
 */
@ApplicationScoped
public class EventReader {

    private static final DateTimeFormatter GENERATED = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX");

    private final ObjectMapper mapper;

    EventReader(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public <T> T read(String json, Class<T> type) throws IOException {
        JsonNode tree = mapper.readTree(json);
        normalizeInstants(tree);
        return mapper.treeToValue(tree, type);
    }

    private static void normalizeInstants(JsonNode node) {
        if (node instanceof ObjectNode object) {
            List<Map.Entry<String, JsonNode>> fields = new ArrayList<>();
            object.fields().forEachRemaining(fields::add);
            for (Map.Entry<String, JsonNode> field : fields) {
                if (field.getKey().endsWith("At") && field.getValue().isTextual()) {
                    try {
                        OffsetDateTime time = OffsetDateTime.parse(field.getValue().asText());
                        object.put(field.getKey(), GENERATED.format(time.withOffsetSameInstant(ZoneOffset.UTC)));
                    } catch (DateTimeParseException e) {
                        // left as it is: binding reports it
                    }
                } else {
                    normalizeInstants(field.getValue());
                }
            }
        } else if (node != null && node.isArray()) {
            node.forEach(EventReader::normalizeInstants);
        }
    }
}
