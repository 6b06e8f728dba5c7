package io.contentmachine.render;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.contentmachine.testsupport.Contract;
import io.contentmachine.testsupport.PostgresDatabase;

/** Helpers shared by the @QuarkusTests: requests built from the contract's example, and reads of render's tables. */
final class RenderTesting {

    static final ObjectMapper MAPPER = new ObjectMapper();

    private RenderTesting() {
    }

    /** The contract's video.requested example with fresh ids and the given topic, template and length. */
    static String request(UUID eventId, UUID projectId, String topic, String template, int seconds) throws Exception {
        ObjectNode event = (ObjectNode) MAPPER.readTree(Contract.example("video.requested"));
        event.put("eventId", eventId.toString());
        event.put("projectId", projectId.toString());
        event.put("topic", topic);
        ObjectNode config = (ObjectNode) event.get("config");
        config.put("template", template);
        config.put("lengthSeconds", seconds);
        String json = MAPPER.writeValueAsString(event);
        Contract.assertValid("video.requested", json);
        return json;
    }

    static long count(PostgresDatabase db, String sql, Object... params) throws SQLException {
        try (Connection c = db.connect(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                s.setObject(i + 1, params[i]);
            }
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }

    static String text(PostgresDatabase db, String sql, Object... params) throws SQLException {
        try (Connection c = db.connect(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                s.setObject(i + 1, params[i]);
            }
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? r.getString(1) : null;
            }
        }
    }

    static void update(PostgresDatabase db, String sql, Object... params) throws SQLException {
        try (Connection c = db.connect(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                s.setObject(i + 1, params[i]);
            }
            s.executeUpdate();
        }
    }
}
