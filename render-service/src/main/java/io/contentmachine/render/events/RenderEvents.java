package io.contentmachine.render.events;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.contentmachine.events.VideoFailed;
import io.contentmachine.events.VideoProgress;
import io.contentmachine.events.VideoRendered;
import io.contentmachine.events.types.MusicProvenance;
import io.contentmachine.events.types.PublishRequest;
import io.contentmachine.events.types.RenderQuality;
import io.contentmachine.events.types.Scene;
import io.contentmachine.events.types.Script;
import io.contentmachine.events.types.StockCredit;
import io.contentmachine.events.types.VisualProvenance;
import io.contentmachine.kit.outbox.Outbox;
import io.contentmachine.render.job.RenderPipeline;
import io.contentmachine.render.script.ScriptPlan;
import io.contentmachine.render.video.PexelsClient;
import io.contentmachine.render.video.PexelsVisuals;
import io.contentmachine.render.video.QualityGate;
import io.smallrye.mutiny.Uni;

/** Builds the events this service emits and adds them to the outbox (call inside the transaction that records the state). */
@ApplicationScoped
public class RenderEvents {

    public static final String RENDERED = "video.rendered";
    public static final String PROGRESS = "video.progress";
    public static final String FAILED = "video.failed";

    private final Outbox outbox;

    RenderEvents(Outbox outbox) {
        this.outbox = outbox;
    }

    /** Facts of the uploaded video. */
    public record Upload(String stagingKey, String thumbnailStagingKey, String sha256, long sizeBytes, double durationSeconds,
            String resolution) {
    }

    public Uni<Void> progress(UUID projectId, String ownerId, VideoProgress.ProgressStage stage, int percent) {
        VideoProgress event = new VideoProgress();
        event.setEventId(UUID.randomUUID());
        event.setProjectId(projectId);
        event.setOwnerId(ownerId);
        event.setOccurredAt(Instant.now());
        event.setStage(stage);
        event.setPercent(percent);
        return outbox.add(PROGRESS, event.getEventId(), projectId, event);
    }

    /**
     * video.rendered for the script as it was spoken (it may have been shortened to fit the length), with where each
     * scene's pictures came from and what the quality gate measured.
     */
    public Uni<Void> rendered(UUID projectId, String ownerId, Upload upload, RenderPipeline.Narration narration,
            RenderPipeline.Rendered rendered, PublishRequest publish) {
        ScriptPlan plan = narration.plan();
        VideoRendered event = new VideoRendered();
        event.setEventId(stableId(RENDERED, projectId.toString()));
        event.setProjectId(projectId);
        event.setOwnerId(ownerId);
        event.setOccurredAt(Instant.now());
        event.setStagingKey(upload.stagingKey());
        event.setThumbnailStagingKey(upload.thumbnailStagingKey());
        event.setSha256(upload.sha256());
        event.setSizeBytes(upload.sizeBytes());
        event.setDurationSeconds(round(upload.durationSeconds()));
        event.setResolution(upload.resolution());
        Script script = new Script();
        script.setTitle(plan.title());
        script.setDescription(plan.description());
        script.setHook(plan.hook());
        script.setTags(plan.tags());
        script.setHashtags(plan.hashtags());
        script.setWriter(plan.writer());
        script.setFallbackReason(plan.fallbackReason());
        script.setVoiceEngine(narration.engine());
        script.setVoiceFallbackReason(narration.voiceFallbackReason());
        script.setCaptionTiming(narration.captionTiming());
        for (int i = 0; i < plan.scenes().size(); i++) {
            ScriptPlan.PlannedScene planned = plan.scenes().get(i);
            Scene scene = new Scene();
            scene.setSequence(planned.sequence());
            scene.setText(planned.text());
            scene.setDurationSeconds(round(narration.sceneSeconds().get(i)));
            scene.setVisualPrompt(planned.visualPrompt());
            if (i < rendered.visuals().size()) {
                VisualProvenance visual = new VisualProvenance();
                visual.setSource(rendered.visuals().get(i).source());
                visual.setDetail(rendered.visuals().get(i).detail());
                visual.setFallback(rendered.visuals().get(i).fallback());
                if (rendered.visuals().get(i).assetId() != null) {
                    visual.setAssetId(UUID.fromString(rendered.visuals().get(i).assetId()));
                }
                for (PexelsClient.Credit c : rendered.visuals().get(i).credits()) {
                    StockCredit credit = new StockCredit();
                    credit.setProvider(PexelsVisuals.NAME);
                    credit.setKind(StockCredit.Kind.fromValue(c.kind()));
                    credit.setId(String.valueOf(c.id()));
                    credit.setCreator(c.creator());
                    credit.setCreatorUrl(c.creatorUrl());
                    credit.setPageUrl(c.pageUrl());
                    visual.getCredits().add(credit);
                }
                scene.setVisual(visual);
            }
            script.getScenes().add(scene);
        }
        if (rendered.music() != null) {
            RenderPipeline.Music m = rendered.music();
            MusicProvenance music = new MusicProvenance();
            music.setAssetId(m.assetId() == null ? null : UUID.fromString(m.assetId()));
            music.setTag(m.tag());
            music.setDetail(m.detail());
            music.setFallback(m.fallback());
            script.setMusic(music);
        }
        event.setScript(script);
        QualityGate.Figures f = rendered.quality();
        RenderQuality quality = new RenderQuality();
        quality.setSceneCuts(f.cuts().size());
        quality.setLongestSecondsWithoutCut(round(f.longestWithoutCut()));
        quality.setIntegratedLufs(Math.round(f.integratedLufs() * 10) / 10.0);
        quality.setTruePeakDbtp(Math.round(f.truePeakDbtp() * 10) / 10.0);
        quality.setCaptions(f.captions());
        quality.setCaptionsOutsideSafeArea(f.captionsOutsideSafeArea());
        quality.setFixed(rendered.fixed());
        event.setQuality(quality);
        event.setPublish(publish);
        return outbox.add(RENDERED, event.getEventId(), projectId, event);
    }

    /** video.failed; {@code cause} makes the eventId stable for the same failure (a resend is deduplicated downstream). */
    public Uni<Void> failed(UUID projectId, String ownerId, String stage, String reason, boolean retryable, String cause) {
        VideoFailed event = new VideoFailed();
        event.setEventId(stableId(FAILED, projectId + ":" + cause));
        event.setProjectId(projectId);
        event.setOwnerId(ownerId == null || ownerId.isBlank() ? "unknown" : ownerId);
        event.setOccurredAt(Instant.now());
        event.setStage(stage);
        event.setReason(reason == null || reason.isBlank() ? "unknown error" : reason);
        event.setRetryable(retryable);
        return outbox.add(FAILED, event.getEventId(), projectId, event);
    }

    static UUID stableId(String topic, String key) {
        return UUID.nameUUIDFromBytes((topic + ":" + key).getBytes(StandardCharsets.UTF_8));
    }

    private static double round(double seconds) {
        return Math.round(seconds * 100) / 100.0;
    }
}
