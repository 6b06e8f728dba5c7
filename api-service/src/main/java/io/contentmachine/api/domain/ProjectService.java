package io.contentmachine.api.domain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.faulttolerance.exceptions.BulkheadException;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.contentmachine.api.api.ApiException;
import io.contentmachine.api.api.VideoRequest;
import io.contentmachine.api.client.Catalog;
import io.contentmachine.api.client.CatalogCache;
import io.contentmachine.api.client.DuplicateCheck;
import io.contentmachine.api.client.IndexClient;
import io.contentmachine.api.config.ApiConfig;
import io.contentmachine.events.RenderConfig;
import io.contentmachine.events.VideoDeleted;
import io.contentmachine.events.VideoRequested;
import io.contentmachine.events.types.Platform;
import io.contentmachine.events.types.PublishRequest;
import io.contentmachine.events.types.TikTokPostOptions;
import io.contentmachine.events.types.VideoMetadata;
import io.contentmachine.kit.outbox.Outbox;
import io.contentmachine.kit.outbox.OutboxEvent;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Tuple;

/** Creating, reading, listing and deleting projects; the rules of POST /api/videos live here. */
@ApplicationScoped
public class ProjectService {

    public static final String DEFAULT_TEMPLATE = "tiktok-bold";
    public static final String DEFAULT_VOICE = "af_heart";
    public static final int DEFAULT_LENGTH = 60;
    public static final int MIN_LENGTH = 15;
    public static final int MAX_LENGTH = 180;
    public static final int MAX_TOPIC = 500;
    public static final Set<String> PLATFORMS = Set.of("youtube", "tiktok", "instagram");

    private static final Logger LOG = Logger.getLogger(ProjectService.class);

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
                insert into api.outbox (id, topic, record_key, type, payload, created_at) values ($11, $12, $13, $14, $15, $10))
            insert into api.idempotency_keys (owner_id, idempotency_key, request_hash, status, response, created_at)
            select $2, $16, $17, 201, $18, $10 where $16::text is not null
            """;

    /** The answer to a create: status code and JSON body (replayed as is for a repeated Idempotency-Key). */
    public record Created(int status, Map<String, Object> body, UUID projectId) {
    }

    /** One page of a listing; next is the cursor of the following page, null at the end. */
    public record Page(List<Project> items, String next) {
    }

    private final CatalogCache catalog;
    private final DuplicateCheck duplicates;
    private final Outbox outbox;
    private final ObjectMapper mapper;
    private final ApiConfig config;
    private final CreateLimits limits;
    private final ProjectUpdates updates;
    private final MeterRegistry meters;

    ProjectService(CatalogCache catalog, DuplicateCheck duplicates, Outbox outbox, ObjectMapper mapper, ApiConfig config,
            CreateLimits limits, ProjectUpdates updates, MeterRegistry meters) {
        this.catalog = catalog;
        this.duplicates = duplicates;
        this.outbox = outbox;
        this.mapper = mapper;
        this.config = config;
        this.limits = limits;
        this.updates = updates;
        this.meters = meters;
    }

    // ---- create -------------------------------------------------------------------------------------------------

    public Uni<Created> create(Caller caller, VideoRequest request, String idempotencyKey) {
        if (request == null) {
            throw ApiException.badRequest("Validation failed", List.of("body: required"));
        }
        request.rejectUndeclared();
        if (idempotencyKey == null) {
            return createNew(caller, request, null, null);
        }
        if (idempotencyKey.isBlank() || idempotencyKey.length() > 200) {
            throw ApiException.badRequest("Validation failed", List.of("Idempotency-Key: 1 to 200 characters"));
        }
        String requestHash = sha256(normalised(request));
        return Panache.withSession(() -> IdempotencyRecord.<IdempotencyRecord>find("ownerId = ?1 and idempotencyKey = ?2",
                        caller.ownerId(), idempotencyKey).firstResult())
                .chain(previous -> previous != null
                        ? Uni.createFrom().item(replay(previous, requestHash))
                        : createNew(caller, request, idempotencyKey, requestHash));
    }

    private Created replay(IdempotencyRecord previous, String requestHash) {
        if (!previous.requestHash.equals(requestHash)) {
            throw new ApiException(422, "Idempotency-Key already used with a different request body");
        }
        try {
            @SuppressWarnings("unchecked")
            Map<String, Object> body = mapper.readValue(previous.response, LinkedHashMap.class);
            return new Created(previous.status, body, UUID.fromString((String) body.get("projectId")));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored idempotent response is not JSON", e);
        }
    }

    private Uni<Created> createNew(Caller caller, VideoRequest request, String idempotencyKey, String requestHash) {
        Validated valid = validateShape(request);
        return limits.check(caller)
                .chain(() -> catalog.current())
                .map(current -> valid.against(current))
                .chain(v -> dedup(caller, v, request).map(dedup -> Map.entry(v, dedup)))
                .chain(checked -> persist(caller, checked.getKey(), checked.getValue(), idempotencyKey, requestHash));
    }

    /**
     * "checked", "skipped" (index-service unavailable, slow or busy: see {@link DuplicateCheck}) or "off" (allowDuplicate, or the
     * guard switched off); each outcome is counted (api_dedup_checks_total on /q/metrics), a duplicate as "duplicate".
     */
    private Uni<String> dedup(Caller caller, Validated valid, VideoRequest request) {
        if (!config.dedup().enabled() || Boolean.TRUE.equals(request.allowDuplicate)) {
            return Uni.createFrom().item(counted("off"));
        }
        return duplicates.check(caller.ownerId(), valid.topic(), config.dedup().threshold().orElse(null))
                .onItemOrFailure().transformToUni((result, failure) -> {
                    if (failure != null) {
                        // a busy or open guard is the expected answer under load: one line per request would flood the log
                        if (failure instanceof BulkheadException || failure instanceof CircuitBreakerOpenException) {
                            LOG.debugf("duplicate check skipped: %s", failure.toString());
                        } else {
                            LOG.warnf("duplicate check skipped: index-service unavailable (%s)", failure.toString());
                        }
                        return Uni.createFrom().item(counted("skipped"));
                    }
                    if (result == null || !result.duplicate() || result.matches() == null || result.matches().isEmpty()) {
                        return Uni.createFrom().item(counted("checked"));
                    }
                    return live(result.matches()).map(matches -> {
                        if (matches.isEmpty()) {
                            return counted("checked");
                        }
                        counted("duplicate");
                        IndexClient.Match best = matches.get(0);
                        Map<String, Object> extra = new LinkedHashMap<>();
                        extra.put("duplicateOf", best.projectId());
                        extra.put("score", best.score());
                        throw new ApiException(409, "A project on a near-identical topic exists; send allowDuplicate: true to create anyway",
                                List.of(), extra, null);
                    });
                });
    }

    /**
     * The matches whose projects still stand, best first: index-service knows scripts, the gateway knows outcomes, and a
     * topic whose video failed (or was deleted) is one the owner may well ask for again.
     */
    private Uni<List<IndexClient.Match>> live(List<IndexClient.Match> matches) {
        List<UUID> ids = matches.stream().map(IndexClient.Match::projectId).toList();
        return Panache.withSession(() -> Project.<Project>list("id in ?1 and status not in ?2", ids,
                        List.of(ProjectStatus.FAILED.value(), ProjectStatus.DELETED.value())))
                .map(standing -> {
                    Set<UUID> standingIds = standing.stream().map(project -> project.id).collect(Collectors.toSet());
                    return matches.stream().filter(match -> standingIds.contains(match.projectId())).toList();
                });
    }

    private String counted(String outcome) {
        meters.counter("api.dedup.checks", "outcome", outcome).increment();
        return outcome;
    }

    private Uni<Created> persist(Caller caller, Validated valid, String dedup, String idempotencyKey, String requestHash) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Project project = new Project();
        project.id = UUID.randomUUID();
        project.ownerId = caller.ownerId();
        project.topic = valid.topic();
        project.template = valid.template();
        project.voice = valid.voice();
        project.language = valid.language();
        project.lengthSeconds = valid.length();
        project.publish = valid.publish() == null ? null : json(valid.publish());
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
        event.setConfig(render);
        event.setPublish(valid.publish());

        Map<String, Object> body = new LinkedHashMap<>();
        body.put("projectId", project.id);
        body.put("status", project.status);
        body.put("dedup", dedup);
        Created created = new Created(201, body, project.id);

        OutboxEvent requested = outbox.row("video.requested", event.getEventId(), project.id, event);
        Tuple values = Tuple.from(Arrays.asList(project.id, project.ownerId, project.topic, project.template, project.voice,
                project.language, project.lengthSeconds, project.publish, project.status, now.atOffset(ZoneOffset.UTC),
                requested.id, requested.topic, requested.recordKey, requested.type, requested.payload));
        values.addString(idempotencyKey).addString(requestHash).addString(idempotencyKey == null ? null : json(body)).addString(caller.keyId());
        return limits.insertWithin(caller, client -> client.preparedQuery(INSERT).execute(values))
                // committed: video.requested leaves now, not at the relay's next tick
                .invoke(outbox::committed)
                .replaceWith(created)
                .onFailure().recoverWithUni(failure -> idempotencyKey == null
                        ? Uni.createFrom().failure(failure)
                        // a concurrent request with the same key won the insert: answer as it did
                        : Panache.withSession(() -> IdempotencyRecord.<IdempotencyRecord>find("ownerId = ?1 and idempotencyKey = ?2",
                                caller.ownerId(), idempotencyKey).firstResult())
                                .map(previous -> {
                                    if (previous == null) {
                                        throw failure instanceof RuntimeException r ? r : new IllegalStateException(failure);
                                    }
                                    return replay(previous, requestHash);
                                }));
    }

    // ---- validation ---------------------------------------------------------------------------------------------

    /** The request after the checks that need no other service; {@link #against} completes them with the catalog. */
    record Validated(String topic, String template, String voice, String language, int length, PublishRequest publish) {

        Validated against(Catalog catalog) {
            List<String> details = new ArrayList<>();
            List<String> templates = catalog.templates() == null ? List.of() : catalog.templates().stream().map(Catalog.Template::id).toList();
            if (!templates.contains(template)) {
                details.add("config.template: unknown template '" + template + "'; valid: " + String.join(", ", templates));
            }
            Catalog.Voice chosen = catalog.voices() == null ? null
                    : catalog.voices().stream().filter(v -> v.id().equals(voice)).findFirst().orElse(null);
            if (chosen == null) {
                List<String> voices = catalog.voices() == null ? List.of() : catalog.voices().stream().map(Catalog.Voice::id).toList();
                details.add("config.voice: unknown voice '" + voice + "'; valid: " + String.join(", ", voices));
            }
            if (catalog.length() != null) {
                int min = catalog.length().min() == null ? MIN_LENGTH : Math.max(MIN_LENGTH, catalog.length().min());
                int max = catalog.length().max() == null ? MAX_LENGTH : Math.min(MAX_LENGTH, catalog.length().max());
                if (length < min || length > max) {
                    details.add("config.length: must be between " + min + " and " + max + " seconds");
                }
            }
            if (!details.isEmpty()) {
                throw ApiException.badRequest("Validation failed", details);
            }
            return new Validated(topic, template, voice, chosen.language(), length, publish);
        }
    }

    private static Validated validateShape(VideoRequest request) {
        List<String> details = new ArrayList<>();
        String topic = request.topic == null ? null : request.topic.strip();
        if (topic == null || topic.isEmpty()) {
            details.add("topic: required, must not be blank");
        } else if (topic.length() > MAX_TOPIC) {
            details.add("topic: at most " + MAX_TOPIC + " characters");
        }
        VideoRequest.VideoConfig cfg = request.config == null ? new VideoRequest.VideoConfig() : request.config;
        String template = cfg.template == null ? DEFAULT_TEMPLATE : cfg.template;
        String voice = cfg.voice == null ? DEFAULT_VOICE : cfg.voice;
        int length = cfg.length == null ? DEFAULT_LENGTH : cfg.length;
        if (length < MIN_LENGTH || length > MAX_LENGTH) {
            details.add("config.length: must be between " + MIN_LENGTH + " and " + MAX_LENGTH + " seconds");
        }
        PublishRequest publish = cfg.publish == null ? null : publishRequest(cfg.publish, "config.publish.", details);
        if (!details.isEmpty()) {
            throw ApiException.badRequest("Validation failed", details);
        }
        return new Validated(topic, template, voice, null, length, publish);
    }

    /** Checks publish options (platforms known and unique, publishAt ISO-8601) into the contract's PublishRequest. */
    public static PublishRequest publishRequest(VideoRequest.PublishOptions options, String prefix, List<String> details) {
        PublishRequest publish = new PublishRequest();
        if (options.platforms == null || options.platforms.isEmpty()) {
            details.add(prefix + "platforms: required, one or more of youtube, tiktok, instagram");
        } else {
            Set<Platform> platforms = new LinkedHashSet<>();
            for (String name : options.platforms) {
                if (name == null || !PLATFORMS.contains(name)) {
                    details.add(prefix + "platforms: unknown platform '" + name + "'; valid: youtube, tiktok, instagram");
                } else if (!platforms.add(Platform.fromValue(name))) {
                    details.add(prefix + "platforms: '" + name + "' listed twice");
                }
            }
            publish.setPlatforms(platforms);
        }
        if (options.publishAt != null) {
            try {
                publish.setPublishAt(Instant.parse(options.publishAt));
            } catch (DateTimeParseException e) {
                details.add(prefix + "publishAt: not an ISO-8601 instant (e.g. 2026-12-01T18:00:00Z)");
            }
        }
        if (options.metadata != null) {
            VideoMetadata metadata = new VideoMetadata();
            metadata.setTitle(options.metadata.title);
            metadata.setDescription(options.metadata.description);
            if (options.metadata.tags != null) {
                metadata.setTags(options.metadata.tags);
            }
            if (options.metadata.hashtags != null) {
                metadata.setHashtags(options.metadata.hashtags);
            }
            publish.setMetadata(metadata);
        }
        if (publish.getPlatforms() != null && publish.getPlatforms().contains(Platform.TIKTOK)) {
            publish.setTiktok(tiktok(options.tiktok, prefix, details));
        }
        return publish;
    }

    /**
     * TikTok has no default privacy level: the person chooses one per post, so it is required whenever tiktok is asked for
     * (whether the creator is offered it is checked by publish-service, which asks TikTok).
     */
    private static TikTokPostOptions tiktok(VideoRequest.TikTok chosen, String prefix, List<String> details) {
        List<String> levels = Arrays.stream(TikTokPostOptions.PrivacyLevel.values()).map(TikTokPostOptions.PrivacyLevel::value).toList();
        TikTokPostOptions options = new TikTokPostOptions();
        if (chosen == null || chosen.privacyLevel == null) {
            details.add(prefix + "tiktok.privacyLevel: required for tiktok, one of the creator's privacyLevelOptions"
                    + " (GET /api/accounts/tiktok/creator-info)");
            return options;
        }
        if (!levels.contains(chosen.privacyLevel)) {
            details.add(prefix + "tiktok.privacyLevel: unknown privacy level '" + chosen.privacyLevel + "'; valid: "
                    + String.join(", ", levels));
            return options;
        }
        options.setPrivacyLevel(TikTokPostOptions.PrivacyLevel.fromValue(chosen.privacyLevel));
        options.setAllowComment(chosen.allowComment);
        options.setAllowDuet(chosen.allowDuet);
        options.setAllowStitch(chosen.allowStitch);
        options.setBrandContentToggle(chosen.brandContentToggle);
        options.setBrandOrganicToggle(chosen.brandOrganicToggle);
        return options;
    }

    // ---- read -----------------------------------------------------------------------------------------------------

    /** The caller's project, or 404 exactly as for a missing one when another owner's. */
    public Uni<Project> owned(Caller caller, UUID id) {
        return Panache.withSession(() -> Project.<Project>findById(id))
                .map(project -> {
                    if (project == null || !project.ownerId.equals(caller.ownerId())) {
                        throw ApiException.notFound();
                    }
                    return project;
                });
    }

    public Uni<Page> list(Caller caller, Integer limit, String cursor, String status) {
        List<String> details = new ArrayList<>();
        int size = limit == null ? 20 : limit;
        if (size < 1 || size > 100) {
            details.add("limit: between 1 and 100");
        }
        if (status != null && Set.of(ProjectStatus.values()).stream().noneMatch(s -> s.value().equals(status))) {
            details.add("status: one of processing, rendered, stored, published, failed, deleted");
        }
        Instant afterTime = null;
        UUID afterId = null;
        if (cursor != null) {
            try {
                String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split("\\|");
                afterTime = Instant.parse(parts[0]);
                afterId = UUID.fromString(parts[1]);
            } catch (RuntimeException e) {
                details.add("cursor: not a cursor from a previous page");
            }
        }
        if (!details.isEmpty()) {
            return Uni.createFrom().failure(ApiException.badRequest("Validation failed", details));
        }
        StringBuilder query = new StringBuilder("ownerId = :owner");
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("owner", caller.ownerId());
        if (status != null) {
            query.append(" and status = :status");
            params.put("status", status);
        } else {
            query.append(" and status <> 'deleted'");
        }
        if (afterTime != null) {
            query.append(" and (createdAt < :t or (createdAt = :t and id < :id))");
            params.put("t", afterTime);
            params.put("id", afterId);
        }
        query.append(" order by createdAt desc, id desc");
        return Panache.withSession(() -> Project.<Project>find(query.toString(), params).range(0, size).list())
                .map(rows -> {
                    List<Project> items = rows.size() > size ? rows.subList(0, size) : rows;
                    String next = null;
                    if (rows.size() > size) {
                        Project last = items.get(items.size() - 1);
                        next = Base64.getUrlEncoder().withoutPadding()
                                .encodeToString((last.createdAt + "|" + last.id).getBytes(StandardCharsets.UTF_8));
                    }
                    return new Page(items, next);
                });
    }

    // ---- delete ---------------------------------------------------------------------------------------------------

    /** Marks the project deleted and announces video.deleted (once: deleting again changes nothing). */
    public Uni<Void> delete(Caller caller, UUID id) {
        return Panache.withTransaction(() -> Project.<Project>findById(id)
                .chain(project -> {
                    if (project == null || !project.ownerId.equals(caller.ownerId())) {
                        return Uni.createFrom().failure(ApiException.notFound());
                    }
                    if (project.state() == ProjectStatus.DELETED) {
                        return Uni.createFrom().voidItem();
                    }
                    project.status = ProjectStatus.DELETED.value();
                    project.updatedAt = Instant.now();
                    VideoDeleted event = new VideoDeleted();
                    event.setEventId(UUID.randomUUID());
                    event.setProjectId(id);
                    event.setOwnerId(project.ownerId);
                    event.setOccurredAt(Instant.now());
                    return outbox.add("video.deleted", event.getEventId(), id, event).call(() -> updates.announce(id));
                }));
    }

    // ---- helpers --------------------------------------------------------------------------------------------------

    private String normalised(VideoRequest request) {
        return json(request);
    }

    private String json(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize " + value.getClass().getSimpleName(), e);
        }
    }

    public static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static Set<String> platformsOf(String publishJson, ObjectMapper mapper) {
        if (publishJson == null) {
            return Set.of();
        }
        try {
            PublishRequest publish = mapper.readValue(publishJson, PublishRequest.class);
            return publish.getPlatforms().stream().map(Platform::value).collect(Collectors.toSet());
        } catch (JsonProcessingException e) {
            return Set.of();
        }
    }
}
