package io.contentmachine.api.domain;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Live updates of one project for Server-Sent Events: polls the read model (so it works whichever replica consumed the
 * event) and emits on every change of status or progress, ending after a final state.
 */
@ApplicationScoped
public class ProjectUpdates {

    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration MAX_STREAM = Duration.ofHours(1);
    private static final String SNAPSHOT = "select status, progress_stage, progress_percent, failure_stage, failure_reason, publish"
            + " from api.projects where id = $1";

    /** One SSE event: the project's status, its render progress, and the failure once failed. */
    @Schema(name = "ProjectUpdate")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Update(UUID projectId, String status, String stage, Integer percent, String failureStage, String failureReason,
            @Schema(description = "true on the last event of the stream") boolean last) {
    }

    private final Pool pool;

    ProjectUpdates(Pool pool) {
        this.pool = pool;
    }

    public Multi<Update> follow(UUID projectId) {
        AtomicBoolean ended = new AtomicBoolean();
        return Multi.createFrom().ticks().startingAfter(Duration.ofMillis(1)).every(POLL)
                .onOverflow().drop()
                .select().first(MAX_STREAM)
                .onItem().transformToUniAndConcatenate(tick -> snapshot(projectId))
                // passes the first final snapshot, completes at the next one
                .select().first(update -> {
                    boolean open = !ended.get();
                    if (update.last()) {
                        ended.set(true);
                    }
                    return open;
                })
                .skip().repetitions();
    }

    private Uni<Update> snapshot(UUID projectId) {
        return pool.preparedQuery(SNAPSHOT).execute(Tuple.of(projectId)).map(rows -> {
            if (rows.size() == 0) {
                return new Update(projectId, "deleted", null, null, null, null, true);
            }
            Row row = rows.iterator().next();
            String status = row.getString("status");
            boolean last = switch (status) {
                case "published", "failed", "deleted" -> true;
                case "stored" -> row.getString("publish") == null;
                default -> false;
            };
            return new Update(projectId, status, row.getString("progress_stage"), row.getInteger("progress_percent"),
                    row.getString("failure_stage"), row.getString("failure_reason"), last);
        });
    }
}
