package io.contentmachine.api.domain;

import java.time.Instant;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.contentmachine.events.VideoDeleted;
import io.contentmachine.kit.outbox.Outbox;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/** Deleting a project: the row is marked, and video.deleted tells every other owner of its data to remove it. */
@ApplicationScoped
public class ProjectDeletion {

    private final Outbox outbox;
    private final ProjectUpdates updates;

    ProjectDeletion(Outbox outbox, ProjectUpdates updates) {
        this.outbox = outbox;
        this.updates = updates;
    }

    /**
     * Marks the project deleted and announces video.deleted (once: deleting again changes nothing); {@code fromPlatforms} asks
     * publish-service to delete the published videos too.
     */
    public Uni<Void> delete(Caller caller, UUID id, boolean fromPlatforms) {
        return Panache.withTransaction(() -> Project.<Project>findById(id)
                .chain(project -> {
                    if (project == null || !project.ownerId.equals(caller.ownerId())) {
                        return Uni.createFrom().failure(new DomainException.NotFound());
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
                    event.setFromPlatforms(fromPlatforms ? Boolean.TRUE : null);
                    return outbox.add("video.deleted", event.getEventId(), id, event).call(() -> updates.announce(id));
                }));
    }
}
