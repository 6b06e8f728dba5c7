package io.contentmachine.api.api;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.contentmachine.api.domain.Project;
import io.contentmachine.api.domain.ProjectService;
import io.contentmachine.api.domain.Publishing;

/** Maps projects and their read model to the JSON the API shows. */
@ApplicationScoped
public class ProjectViews {

    private final ObjectMapper mapper;

    ProjectViews(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public ProjectView of(ProjectService.Details details) {
        Project p = details.project();
        ProjectView.ConfigView config;
        try {
            config = new ProjectView.ConfigView(p.template, p.voice, p.language, p.lengthSeconds,
                    p.publish == null ? null : mapper.readTree(p.publish));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored publish config is not JSON", e);
        }
        ProjectView.Failure failure = "failed".equals(p.status) ? new ProjectView.Failure(p.failureStage, p.failureReason) : null;
        ProjectView.Progress progress = p.progressStage == null ? null : new ProjectView.Progress(p.progressStage, p.progressPercent);
        ProjectView.VideoView video = p.videoId == null ? null : new ProjectView.VideoView(p.videoDuration, p.videoResolution, p.videoSize);
        List<ProjectView.SceneView> scenes = details.scenes().stream()
                .map(s -> new ProjectView.SceneView(s.sequence, s.text, s.durationSeconds, s.visualPrompt)).toList();
        List<ProjectView.PublishingView> publishings = details.publishings().stream().map(ProjectViews::publishing).toList();
        return new ProjectView(p.id, p.title, p.topic, p.status, config, p.createdAt, p.updatedAt, failure, progress, scenes, video,
                publishings);
    }

    public static ProjectView.Summary summary(Project p) {
        return new ProjectView.Summary(p.id, p.title, p.topic, p.status, p.createdAt, p.updatedAt);
    }

    private static ProjectView.PublishingView publishing(Publishing p) {
        ProjectView.Metrics metrics = p.metricsAt == null ? null : new ProjectView.Metrics(p.views, p.likes, p.comments, p.metricsAt);
        ProjectView.PublishingError error = p.errorCode == null && p.errorMessage == null ? null
                : new ProjectView.PublishingError(p.errorCode, p.errorMessage);
        return new ProjectView.PublishingView(p.id, p.platform, p.status, p.platformId, p.url, p.publishAt, p.publishedAt, metrics, error);
    }
}
