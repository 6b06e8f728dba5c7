package io.contentmachine.api.domain;

import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.contentmachine.events.VideoFailed;
import io.contentmachine.events.VideoMetrics;
import io.contentmachine.events.VideoProgress;
import io.contentmachine.events.VideoPublished;
import io.contentmachine.events.VideoRendered;
import io.contentmachine.events.VideoStored;
import io.contentmachine.events.types.Platform;
import io.contentmachine.events.types.PublishRequest;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import org.jboss.logging.Logger;

/**
 * Applies the pipeline's events to the project read model. Each method runs inside the consumer's transaction;
 * events for projects this service does not know are ignored (logged), and the status only moves forward.
 */
@ApplicationScoped
public class ReadModel {

    private static final Logger LOG = Logger.getLogger(ReadModel.class);

    private final ObjectMapper mapper;

    ReadModel(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public Uni<Void> rendered(VideoRendered event) {
        return project(event.getProjectId(), "video.rendered").chain(project -> {
            if (project == null || project.state() == ProjectStatus.DELETED) {
                return Uni.createFrom().voidItem();
            }
            project.title = event.getScript().getTitle();
            project.provenance = provenance(event);
            project.advance(ProjectStatus.RENDERED);
            UUID id = project.id;
            List<Scene> scenes = event.getScript().getScenes().stream().map(s -> {
                Scene scene = new Scene();
                scene.projectId = id;
                scene.sequence = s.getSequence();
                scene.text = s.getText();
                scene.durationSeconds = s.getDurationSeconds();
                scene.visualPrompt = s.getVisualPrompt();
                return scene;
            }).toList();
            // a re-render replaces the script: delete, flush, insert
            return Scene.delete("projectId", id)
                    .chain(() -> Panache.getSession())
                    .chain(session -> session.flush())
                    .chain(() -> Scene.persist(scenes));
        });
    }

    /** The optional provenance and quality fields of video.rendered, as JSON text (absent fields left out). */
    private String provenance(VideoRendered event) {
        Map<String, Object> fields = new LinkedHashMap<>();
        var script = event.getScript();
        fields.put("writer", script.getWriter());
        fields.put("writerFallbackReason", script.getFallbackReason());
        fields.put("voiceEngine", script.getVoiceEngine());
        fields.put("voiceFallbackReason", script.getVoiceFallbackReason());
        fields.put("captionTiming", script.getCaptionTiming());
        fields.put("music", script.getMusic());
        List<Map<String, Object>> visuals = script.getScenes().stream().filter(scene -> scene.getVisual() != null)
                .map(scene -> Map.<String, Object>of("sequence", scene.getSequence(), "visual", scene.getVisual())).toList();
        fields.put("visuals", visuals.isEmpty() ? null : visuals);
        fields.put("quality", event.getQuality());
        fields.values().removeIf(Objects::isNull);
        try {
            return fields.isEmpty() ? null : mapper.writeValueAsString(fields);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("video.rendered " + event.getEventId() + ": provenance does not serialise", e);
        }
    }

    public Uni<Void> stored(VideoStored event) {
        return project(event.getProjectId(), "video.stored").invoke(project -> {
            if (project == null || project.state() == ProjectStatus.DELETED) {
                return;
            }
            project.videoId = event.getVideoId();
            project.videoDuration = event.getDurationSeconds();
            project.videoResolution = event.getResolution();
            project.videoSize = event.getSizeBytes();
            if (project.title == null && event.getMetadata() != null) {
                project.title = event.getMetadata().getTitle();
            }
            project.advance(ProjectStatus.STORED);
        }).replaceWithVoid();
    }

    public Uni<Void> failed(VideoFailed event) {
        return project(event.getProjectId(), "video.failed").invoke(project -> {
            // a failure after the video was stored (e.g. a late duplicate) does not undo the stored video
            if (project != null && project.state().advanceTo(ProjectStatus.STORED) != project.state()) {
                project.fail(event.getStage(), event.getReason());
            }
        }).replaceWithVoid();
    }

    public Uni<Void> progress(VideoProgress event) {
        return project(event.getProjectId(), "video.progress").invoke(project -> {
            if (project == null || project.state() != ProjectStatus.PROCESSING) {
                return;
            }
            if (project.progressAt == null || !event.getOccurredAt().isBefore(project.progressAt)) {
                project.progressStage = event.getStage().value();
                project.progressPercent = event.getPercent();
                project.progressAt = event.getOccurredAt();
                project.updatedAt = Instant.now();
            }
        }).replaceWithVoid();
    }

    public Uni<Void> published(VideoPublished event) {
        return project(event.getProjectId(), "video.published").chain(project -> {
            if (project == null) {
                return Uni.createFrom().voidItem();
            }
            return Publishing.<Publishing>findById(event.getPublishingId()).chain(existing -> {
                Publishing row = existing != null ? existing : newPublishing(event.getPublishingId(), project.id, event.getPlatform()
                        .value());
                if (row.statusAt == null || !event.getOccurredAt().isBefore(row.statusAt)) {
                    row.platform = event.getPlatform().value();
                    row.status = event.getStatus().value();
                    row.platformId = event.getPlatformId();
                    row.url = event.getUrl();
                    row.publishAt = event.getPublishAt();
                    row.publishedAt = event.getPublishedAt();
                    row.confirmed = event.getConfirmed();
                    row.errorCode = event.getError() == null ? null : event.getError().getCode();
                    row.errorMessage = event.getError() == null ? null : event.getError().getMessage();
                    row.waitingUntil = event.getWaiting() == null ? null : event.getWaiting().getUntil();
                    row.waitReason = event.getWaiting() == null ? null : event.getWaiting().getReason();
                    row.waitMessage = event.getWaiting() == null ? null : event.getWaiting().getMessage();
                    row.platformDeletion = event.getPlatformDeletion() == null ? null : event.getPlatformDeletion().getStatus().value();
                    row.platformDeletionMessage = event.getPlatformDeletion() == null ? null : event.getPlatformDeletion().getMessage();
                    row.statusAt = event.getOccurredAt();
                }
                Uni<?> saved = existing != null ? Uni.createFrom().voidItem() : row.persist();
                return saved.chain(() -> Panache.getSession()).chain(session -> session.flush())
                        .chain(() -> Publishing.<Publishing>list("projectId", project.id))
                        .invoke(all -> settle(project, all))
                        .replaceWithVoid();
            });
        });
    }

    public Uni<Void> metrics(VideoMetrics event) {
        return project(event.getProjectId(), "video.metrics").chain(project -> {
            if (project == null) {
                return Uni.createFrom().voidItem();
            }
            return Publishing.<Publishing>findById(event.getPublishingId()).chain(existing -> {
                Publishing row = existing != null ? existing : newPublishing(event.getPublishingId(), project.id, event.getPlatform()
                        .value());
                if (row.metricsAt == null || !event.getCollectedAt().isBefore(row.metricsAt)) {
                    row.views = event.getViews();
                    row.likes = event.getLikes();
                    row.comments = event.getComments();
                    row.metricsAt = event.getCollectedAt();
                }
                return existing != null ? Uni.createFrom().voidItem() : row.persist().replaceWithVoid();
            });
        });
    }

    /** Marks the project failed because one of its events could not be processed (poison message). */
    public Uni<Void> poisoned(UUID projectId, String topic, String reason) {
        return Project.<Project>findById(projectId).invoke(project -> {
            if (project != null && project.state().inFlight()) {
                project.fail("events", "unprocessable " + topic + " event: " + reason);
            }
        }).replaceWithVoid();
    }

    /**
     * The project is published when every requested platform reached a final status and at least one is published
     * or scheduled; a platform failure never fails the project.
     */
    void settle(Project project, List<Publishing> publishings) {
        Set<String> requested = new HashSet<>(platformsOf(project.publish));
        publishings.forEach(p -> requested.add(p.platform));
        boolean allFinal = requested.stream().allMatch(platform -> publishings.stream()
                .anyMatch(p -> p.platform.equals(platform) && Publishing.FINAL.contains(p.status)));
        boolean anyLive = publishings.stream().anyMatch(p -> "published".equals(p.status) || "scheduled".equals(p.status));
        if (allFinal && anyLive) {
            project.advance(ProjectStatus.PUBLISHED);
        } else {
            project.updatedAt = Instant.now();
        }
    }

    private static Publishing newPublishing(UUID id, UUID projectId, String platform) {
        Publishing row = new Publishing();
        row.id = id;
        row.projectId = projectId;
        row.platform = platform;
        row.status = "pending";
        row.statusAt = Instant.EPOCH;
        return row;
    }

    private Uni<Project> project(UUID id, String topic) {
        return Project.<Project>findById(id).invoke(project -> {
            if (project == null) {
                LOG.warnf("%s for unknown project %s ignored", topic, id);
            }
        });
    }

    private Set<String> platformsOf(String publishJson) {
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
