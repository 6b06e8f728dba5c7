package io.contentmachine.sandbox.instagram;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.ws.rs.core.MultivaluedMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Graph API parameters may come in the query string, a form body or a JSON body: one map of them all. */
final class GraphParams {

    private GraphParams() {
    }

    static Map<String, String> of(MultivaluedMap<String, String> query, String contentType, String body, ObjectMapper mapper) {
        Map<String, String> params = new LinkedHashMap<>();
        query.forEach((k, v) -> params.put(k, v.isEmpty() ? "" : v.get(0)));
        if (body == null || body.isBlank()) {
            return params;
        }
        String type = contentType == null ? "" : contentType.toLowerCase();
        if (type.startsWith("application/json")) {
            try {
                JsonNode json = mapper.readTree(body);
                json.fields().forEachRemaining(e -> params.put(e.getKey(), e.getValue().isTextual() ? e.getValue().asText()
                        : e.getValue().toString()));
            } catch (Exception e) {
                throw new IllegalArgumentException("the JSON body cannot be parsed");
            }
        } else {
            for (String pair : body.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                params.put(key, value);
            }
        }
        return params;
    }
}
