package io.contentmachine.api.api;

import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.contentmachine.api.domain.Caller;
import io.contentmachine.api.domain.Project;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/** Reads projects and their read model into the JSON the API shows. */
@ApplicationScoped
public class ProjectViews {

    /**
     * GET /api/videos/{id} in one statement, so one round trip: the project row with its scenes and publishings as JSON
     * arrays already shaped like {@link ProjectView.SceneView} and {@link ProjectView.PublishingView}. Another owner's
     * project matches no row, exactly like a missing one.
     */
    private static final String DETAILS = """
            select p.id, p.title, p.topic, p.status, p.template, p.voice, p.language, p.length_seconds, p.publish, p.created_at,
                   p.updated_at, p.failure_stage, p.failure_reason, p.progress_stage, p.progress_percent, p.video_id,
                   p.video_duration, p.video_resolution, p.video_size, p.provenance,
                   (select coalesce(json_agg(json_build_object('sequence', s.sequence, 'text', s.text, 'duration', s.duration_seconds,
                                   'visualPrompt', s.visual_prompt) order by s.sequence), '[]')::text
                      from api.scenes s where s.project_id = p.id) as scenes,
                   (select coalesce(json_agg(json_build_object('id', u.id, 'platform', u.platform, 'status', u.status,
                                   'platformId', u.platform_id, 'url', u.url, 'publishAt', u.publish_at, 'publishedAt', u.published_at,
                                   'confirmed', u.confirmed,
                                   'metrics', case when u.metrics_at is not null then json_build_object('views', u.views, 'likes', u.likes,
                                           'comments', u.comments, 'collectedAt', u.metrics_at) end,
                                   'error', case when u.error_code is not null or u.error_message is not null then json_build_object(
                                           'code', u.error_code, 'message', u.error_message) end,
                                   'waiting', case when u.status = 'waiting' then json_build_object('reason', u.wait_reason,
                                           'message', u.wait_message, 'until', u.waiting_until) end,
                                   'platformDeletion', case when u.platform_deletion is not null then json_build_object(
                                           'status', u.platform_deletion, 'message', u.platform_deletion_message) end)
                                   order by u.platform, u.status_at), '[]')::text
                      from api.publishings u where u.project_id = p.id) as publishings
              from api.projects p
             where p.id = $1 and p.owner_id = $2
            """;
    private static final TypeReference<List<ProjectView.SceneView>> SCENES = new TypeReference<>() {
    };
    private static final TypeReference<List<ProjectView.PublishingView>> PUBLISHINGS = new TypeReference<>() {
    };

    private final Pool pool;
    private final ObjectMapper mapper;

    ProjectViews(Pool pool, ObjectMapper mapper) {
        this.pool = pool;
        this.mapper = mapper;
    }

    /** The caller's project as GET /api/videos/{id} shows it; 404 for a missing one and for another owner's alike. */
    public Uni<ProjectView> details(Caller caller, UUID id) {
        return pool.preparedQuery(DETAILS).execute(Tuple.of(id, caller.ownerId())).map(rows -> {
            if (rows.size() == 0) {
                throw ApiException.notFound();
            }
            return view(rows.iterator().next());
        });
    }

    private ProjectView view(Row row) {
        String status = row.getString("status");
        String publish = row.getString("publish");
        String progressStage = row.getString("progress_stage");
        String provenance = row.getString("provenance");
        try {
            ProjectView.ConfigView config = new ProjectView.ConfigView(row.getString("template"), row.getString("voice"),
                    row.getString("language"), row.getInteger("length_seconds"), publish == null ? null : mapper.readTree(publish));
            return new ProjectView(row.getUUID("id"), row.getString("title"), row.getString("topic"), status, config,
                    row.getOffsetDateTime("created_at").toInstant(), row.getOffsetDateTime("updated_at").toInstant(),
                    "failed".equals(status) ? new ProjectView.Failure(row.getString("failure_stage"), row.getString("failure_reason"))
                    : null,
                    progressStage == null ? null : new ProjectView.Progress(progressStage, row.getInteger("progress_percent")),
                    mapper.readValue(row.getString("scenes"), SCENES),
                    row.getUUID("video_id") == null ? null
                            : new ProjectView.VideoView(row.getDouble("video_duration"), row.getString("video_resolution"),
                            row.getLong("video_size")),
                    mapper.readValue(row.getString("publishings"), PUBLISHINGS),
                    provenance == null ? null : mapper.readValue(provenance, ProjectView.Provenance.class));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("project " + row.getUUID("id") + ": stored JSON does not read back", e);
        }
    }

    public static ProjectView.Summary summary(Project p) {
        return new ProjectView.Summary(p.id, p.title, p.topic, p.status, p.createdAt, p.updatedAt);
    }
}
