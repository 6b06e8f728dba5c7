package io.contentmachine.api.domain;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/** Reading an owner's projects: one by id, one whose video is stored, or a page of a listing behind a cursor. */
@ApplicationScoped
public class ProjectQueries {

    /** One page of a listing; next is the cursor of the following page, null at the end. */
    public record Page(List<Project> items, String next) {
    }

    /** The caller's project, or not found exactly as for a missing one when another owner's. */
    public Uni<Project> owned(Caller caller, UUID id) {
        return Panache.withSession(() -> Project.<Project>findById(id))
                .map(project -> {
                    if (project == null || !project.ownerId.equals(caller.ownerId())) {
                        throw new DomainException.NotFound();
                    }
                    return project;
                });
    }

    /** The caller's project, once its video is stored (a conflict before). */
    public Uni<Project> stored(Caller caller, UUID id) {
        return owned(caller, id).map(project -> {
            if (!project.state().hasStoredVideo()) {
                throw new DomainException.Conflict("Video not stored yet", List.of("status: " + project.state().value()));
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
            return Uni.createFrom().failure(new DomainException.InvalidRequest("Validation failed", details));
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
}
