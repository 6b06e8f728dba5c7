package io.contentmachine.api.domain;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.contentmachine.api.client.CatalogCache;
import io.contentmachine.events.RenderConfig;
import io.contentmachine.events.VideoRequested;
import io.contentmachine.kit.outbox.Outbox;
import io.contentmachine.kit.outbox.OutboxEvent;
import io.contentmachine.kit.tracing.Traces;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Tuple;

/** Creating a project and starting its pipeline, once per Idempotency-Key: a repeated key replays the first answer. */
@ApplicationScoped
public class ProjectCreation {

    /**
     * A create in one statement, so one round trip: the project, its video.requested outbox row and (with an Idempotency-Key)
     * the replayable answer. A statement is atomic, so the three are written together or not at all, as in a transaction
     * (which would cost BEGIN and COMMIT round trips on top of one per insert).
     */
    private static final String INSERT = """
            with project as (
                insert into api.projects (id, owner_id, topic, template, voice, language, length_seconds, publish, status, created_at,
                        updated_at, key_id)
                values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10, $19)),
            event as (
                insert into api.outbox (id, topic, record_key, type, payload, created_at, trace_context)
                values ($11, $12, $13, $14, $15, $10, $20))
            insert into api.idempotency_keys (owner_id, idempotency_key, request_hash, status, response, created_at)
            select $2, $16, $17, 201, $18, $10 where $16::text is not null
            """;

    /** The answer to a create: status code and JSON body (replayed as is for a repeated Idempotency-Key). */
    public record Created(int status, Map<String, Object> body, UUID projectId) {
    }

    private final CatalogCache catalog;
    private final DuplicateTopics duplicates;
    private final CreateLimits limits;
    private final AssetLibrary assets;
    private final Outbox outbox;
    private final ObjectMapper mapper;

    ProjectCreation(CatalogCache catalog, DuplicateTopics duplicates, CreateLimits limits, AssetLibrary assets, Outbox outbox,
            ObjectMapper mapper) {
        this.catalog = catalog;
        this.assets = assets;
        this.duplicates = duplicates;
        this.limits = limits;
        this.outbox = outbox;
        this.mapper = mapper;
    }

    /**
     * Creates the project {@code request} yields. {@code request} is resolved (and so validated) only when a new project is
     * made, so a repeated Idempotency-Key answers as it did the first time; {@code fingerprint} identifies the request body
     * the key was first used with.
     */
    public Uni<Created> create(Caller caller, Uni<NewProject> request, String idempotencyKey, String fingerprint) {
        if (idempotencyKey == null) {
            return request.chain(valid -> createNew(caller, valid, null, null));
        }
        return previous(caller, idempotencyKey)
                .chain(previous -> previous != null
                        ? Uni.createFrom().item(replay(previous, fingerprint))
                        : request.chain(valid -> createNew(caller, valid, idempotencyKey, fingerprint)));
    }

    private Uni<IdempotencyRecord> previous(Caller caller, String idempotencyKey) {
        return Panache.withSession(() -> IdempotencyRecord.<IdempotencyRecord>find("ownerId = ?1 and idempotencyKey = ?2",
                caller.ownerId(), idempotencyKey).firstResult());
    }

    private Created replay(IdempotencyRecord previous, String fingerprint) {
        if (!previous.requestHash.equals(fingerprint)) {
            throw new DomainException.KeyReused();
        }
        try {
            @SuppressWarnings("unchecked")
            Map<String, Object> body = mapper.readValue(previous.response, LinkedHashMap.class);
            return new Created(previous.status, body, UUID.fromString((String) body.get("projectId")));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored idempotent response is not JSON", e);
        }
    }

    private Uni<Created> createNew(Caller caller, NewProject request, String idempotencyKey, String fingerprint) {
        return limits.check(caller)
                .chain(() -> catalog.current())
                .map(request::language)
                .call(() -> music(caller, request))
                .chain(language -> duplicates.check(caller, request)
                        .chain(dedup -> persist(caller, request, language, dedup, idempotencyKey, fingerprint)));
    }

    /** A music bed named by id must be the caller's ready audio asset now; a tag is resolved at render time. */
    private Uni<Void> music(Caller caller, NewProject request) {
        if (request.music() == null || request.music().getAssetId() == null) {
            return Uni.createFrom().voidItem();
        }
        return assets.requireReadyAudio(caller, request.music().getAssetId(), "config.music.assetId");
    }

    private Uni<Created> persist(Caller caller, NewProject request, String language, String dedup, String idempotencyKey,
            String fingerprint) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Project project = new Project();
        project.id = UUID.randomUUID();
        project.ownerId = caller.ownerId();
        project.topic = request.topic();
        project.template = request.template();
        project.voice = request.voice();
        project.language = language;
        project.lengthSeconds = request.length();
        project.publish = request.publish() == null ? null : json(request.publish());
        project.status = ProjectStatus.PROCESSING.value();
        project.createdAt = now;
        project.updatedAt = now;

        VideoRequested event = new VideoRequested();
        event.setEventId(UUID.randomUUID());
        event.setProjectId(project.id);
        event.setOwnerId(project.ownerId);
        event.setOccurredAt(now);
        event.setTopic(project.topic);
        RenderConfig render = new RenderConfig();
        render.setTemplate(project.template);
        render.setVoice(project.voice);
        render.setLanguage(project.language);
        render.setLengthSeconds(project.lengthSeconds);
        render.setMusic(request.music());
        event.setConfig(render);
        event.setPublish(request.publish());

        Map<String, Object> body = new LinkedHashMap<>();
        body.put("projectId", project.id);
        body.put("status", project.status);
        body.put("dedup", dedup);
        Created created = new Created(201, body, project.id);

        OutboxEvent requested = outbox.row("video.requested", event.getEventId(), project.id, event);
        Tuple values = Tuple.from(Arrays.asList(project.id, project.ownerId, project.topic, project.template, project.voice,
                project.language, project.lengthSeconds, project.publish, project.status, now.atOffset(ZoneOffset.UTC),
                requested.id, requested.topic, requested.recordKey, requested.type, requested.payload));
        values.addString(idempotencyKey).addString(fingerprint).addString(idempotencyKey == null ? null
                : json(body)).addString(caller.keyId()).addString(requested.traceContext);
        // the request's span names the project; the pipeline's spans get it from the baggage the relay sends on
        Traces.tagProject(project.id.toString());
        return limits.insertWithin(caller, client -> client.preparedQuery(INSERT).execute(values))
                // committed: video.requested leaves now, not at the relay's next tick
                .invoke(outbox::committed)
                .replaceWith(created)
                .onFailure().recoverWithUni(failure -> idempotencyKey == null
                        ? Uni.createFrom().failure(failure)
                        // a concurrent request with the same key won the insert: answer as it did
                        : previous(caller, idempotencyKey).map(previous -> {
                            if (previous == null) {
                                throw failure instanceof RuntimeException r ? r : new IllegalStateException(failure);
                            }
                            return replay(previous, fingerprint);
                        }));
    }

    private String json(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize " + value.getClass().getSimpleName(), e);
        }
    }
}
