package io.contentmachine.api.webhooks;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Turns a change of a project into webhook deliveries, inside the transaction that applies the change (so an event is
 * written exactly when its change commits, never lost, never announced for a change that rolled back). The project's row
 * in webhook_project_states, locked for the transaction, holds what was last announced: each call compares the project's
 * status and its publishings' statuses with it, and writes one event per difference — with the project's next sequence
 * number — and one delivery per enabled endpoint of the owner that subscribes to its type.
 */
@ApplicationScoped
public class WebhookEvents {

    public static final String PROJECT_STATUS = "project.status_changed";
    public static final String PUBLISHING_STATUS = "publishing.status_changed";
    public static final List<String> TYPES = List.of(PROJECT_STATUS, PUBLISHING_STATUS);

    private static final String ENDPOINTS = "select cast(e.id as text), e.events from webhook_endpoints e join projects p"
            + " on p.owner_id = e.owner_id where p.id = ?1 and e.disabled_at is null";
    private static final String OPEN_STATE = "insert into webhook_project_states (project_id, sequence, publishings)"
            + " values (?1, 0, '{}') on conflict do nothing";
    private static final String LOCK_STATE = "select sequence, status, publishings from webhook_project_states where project_id = ?1"
            + " for update";
    private static final String PROJECT = "select status, title, failure_stage, failure_reason from projects where id = ?1";
    private static final String PUBLISHINGS = "select cast(id as text), platform, status, url, platform_id, publish_at, published_at,"
            + " error_code, error_message, waiting_until, wait_reason, wait_message from publishings where project_id = ?1"
            + " order by status_at, id";
    private static final String SAVE_STATE = "update webhook_project_states set sequence = ?2, status = ?3, publishings = ?4"
            + " where project_id = ?1";
    private static final TypeReference<LinkedHashMap<String, String>> STATUSES = new TypeReference<>() {
    };

    private final ObjectMapper mapper;
    private final WebhookConfig config;

    WebhookEvents(ObjectMapper mapper, WebhookConfig config) {
        this.mapper = mapper;
        this.config = config;
    }

    /** Writes the deliveries announcing what changed in the project; call inside the transaction that changes it. */
    public Uni<Void> capture(UUID projectId) {
        return Panache.getSession().chain(session -> session.flush()
                .chain(() -> session.createNativeQuery(ENDPOINTS, Object[].class).setParameter(1, projectId).getResultList())
                .chain(endpoints -> endpoints.isEmpty() ? Uni.createFrom().voidItem() : capture(session, projectId, endpoints)));
    }

    private Uni<Void> capture(Mutiny.Session session, UUID projectId, List<Object[]> endpoints) {
        return session.createNativeQuery(OPEN_STATE).setParameter(1, projectId).executeUpdate()
                .chain(() -> session.createNativeQuery(LOCK_STATE, Object[].class).setParameter(1, projectId).getSingleResult())
                // read after the lock: what the previous holder committed is visible, so no change is announced twice
                .chain(state -> session.createNativeQuery(PROJECT, Object[].class).setParameter(1, projectId).getSingleResult()
                        .chain(project -> session.createNativeQuery(PUBLISHINGS, Object[].class).setParameter(1, projectId)
                                .getResultList()
                                .chain(publishings -> write(session, projectId, endpoints, state, project, publishings))));
    }

    private Uni<Void> write(Mutiny.Session session, UUID projectId, List<Object[]> endpoints, Object[] state, Object[] project,
            List<Object[]> publishings) {
        long sequence = ((Number) state[0]).longValue();
        String announcedStatus = (String) state[1];
        Map<String, String> announced = read((String) state[2]);
        Instant now = Instant.now();
        List<WebhookDelivery> deliveries = new ArrayList<>();
        for (Object[] publishing : publishings) {
            String id = (String) publishing[0];
            String status = (String) publishing[2];
            String previous = announced.put(id, status);
            if (!status.equals(previous)) {
                Map<String, Object> data = new LinkedHashMap<>();
                data.put("publishingId", id);
                data.put("platform", publishing[1]);
                data.put("status", status);
                data.put("previousStatus", previous);
                data.put("url", publishing[3]);
                data.put("platformId", publishing[4]);
                data.put("publishAt", instant(publishing[5]));
                data.put("publishedAt", instant(publishing[6]));
                if (publishing[7] != null || publishing[8] != null) {
                    data.put("error", Map.of("code", String.valueOf(publishing[7]), "message", String.valueOf(publishing[8])));
                }
                if ("waiting".equals(status)) {
                    data.put("waiting", Map.of("until", String.valueOf(instant(publishing[9])), "reason", String.valueOf(publishing[10]),
                            "message", String.valueOf(publishing[11])));
                }
                event(PUBLISHING_STATUS, projectId, ++sequence, data, endpoints, now, deliveries);
            }
        }
        String status = (String) project[0];
        if (!status.equals(announcedStatus)) {
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("status", status);
            data.put("previousStatus", announcedStatus);
            data.put("title", project[1]);
            if (project[2] != null || project[3] != null) {
                data.put("failure", Map.of("stage", String.valueOf(project[2]), "reason", String.valueOf(project[3])));
            }
            event(PROJECT_STATUS, projectId, ++sequence, data, endpoints, now, deliveries);
        }
        if (deliveries.isEmpty() && sequence == ((Number) state[0]).longValue()) {
            return Uni.createFrom().voidItem();
        }
        return session.createNativeQuery(SAVE_STATE).setParameter(1, projectId).setParameter(2, sequence).setParameter(3, status)
                .setParameter(4, json(announced)).executeUpdate()
                .chain(() -> deliveries.isEmpty() ? Uni.createFrom().voidItem() : session.persistAll(deliveries.toArray()));
    }

    /** One event: its JSON body (the same for every endpoint and attempt), and a delivery per endpoint that wants it. */
    private void event(String type, UUID projectId, long sequence, Map<String, Object> data, List<Object[]> endpoints, Instant now,
            List<WebhookDelivery> deliveries) {
        UUID eventId = UUID.randomUUID();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", eventId.toString());
        body.put("type", type);
        body.put("createdAt", now.toString());
        body.put("projectId", projectId.toString());
        body.put("sequence", sequence);
        body.put("data", data);
        String payload = json(body);
        for (Object[] endpoint : endpoints) {
            String events = (String) endpoint[1];
            if (events == null || List.of(events.split(",")).contains(type)) {
                deliveries.add(WebhookDelivery.pending(UUID.fromString((String) endpoint[0]), eventId, type, projectId, sequence, payload,
                        now, now.plus(config.retryWindow())));
            }
        }
    }

    private Map<String, String> read(String json) {
        try {
            return mapper.readValue(json, STATUSES);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("webhook_project_states.publishings is not a JSON object", e);
        }
    }

    private String json(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A timestamp column of a native query, as ISO-8601 text (null stays null). */
    private static String instant(Object value) {
        if (value instanceof Instant instant) {
            return instant.toString();
        }
        if (value instanceof OffsetDateTime offset) {
            return offset.toInstant().toString();
        }
        if (value instanceof java.sql.Timestamp timestamp) {
            return timestamp.toInstant().toString();
        }
        if (value instanceof LocalDateTime local) {
            return local.toInstant(ZoneOffset.UTC).toString();
        }
        return value == null ? null : value.toString();
    }
}
