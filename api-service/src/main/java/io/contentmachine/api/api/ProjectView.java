package io.contentmachine.api.api;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A project as GET /api/videos/{id} shows it. */
@Schema(name = "Project")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProjectView(
        UUID id,
        @Schema(description = "The script's title, once rendered.", examples = "Why octopuses have three hearts") String title,
        String topic,
        @Schema(enumeration = {"processing", "rendered", "stored", "published", "failed", "deleted"}) String status,
        ConfigView config,
        Instant createdAt,
        Instant updatedAt,
        @Schema(description = "Set when status is failed.") Failure failure,
        @Schema(description = "Latest render progress while processing.") Progress progress,
        List<SceneView> scenes,
        @Schema(description = "Set once the video is stored.") VideoView video,
        List<PublishingView> publishings,
        @Schema(description = "How the video was made (from video.rendered), once rendered; fields the renderer did not report "
                + "are left out.")
        Provenance provenance) {

    @Schema(name = "Provenance")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Provenance(@Schema(description = "Which writer produced the script: offline or llm") String writer,
            @Schema(description = "Why the LLM writer was not used, when it failed") String writerFallbackReason,
            @Schema(description = "What spoke the narration: festival, espeak-ng or openai-speech") String voiceEngine,
            @Schema(description = "Why espeak-ng spoke instead of the voice's engine, when it did") String voiceFallbackReason,
            @Schema(description = "Where caption word times came from: synthesizer or estimated") String captionTiming,
            @Schema(description = "The music bed, when the request asked for one: assetId, tag, detail, fallback "
                    + "(contract/schemas/types/music-provenance.json)") JsonNode music,
            @Schema(description = "Per scene, where its pictures came from: [{sequence, visual: {source (library, pexels or "
                    + "generated), assetId, detail, credits, fallback}}] (contract/schemas/types/visual-provenance.json)") JsonNode visuals,
            @Schema(description = "What the quality gate measured: sceneCuts, longestSecondsWithoutCut, integratedLufs, truePeakDbtp, "
                    + "captions, captionsOutsideSafeArea, fixed (contract/schemas/types/render-quality.json)") JsonNode quality) {
    }

    @Schema(name = "ProjectConfig")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ConfigView(String template, String voice, String language, int length,
            @Schema(implementation = VideoRequest.PublishOptions.class) JsonNode publish) {
    }

    @Schema(name = "Failure")
    public record Failure(@Schema(examples = "render") String stage, String reason) {
    }

    @Schema(name = "Progress")
    public record Progress(@Schema(enumeration = {"script", "voice", "render", "upload"}) String stage,
            @Schema(description = "How far this stage is, 0-100 (each stage counts from 0).") int percent) {
    }

    @Schema(name = "Scene")
    public record SceneView(int sequence, String text, @Schema(description = "Seconds.") double duration, String visualPrompt) {
    }

    @Schema(name = "Video")
    public record VideoView(@Schema(description = "Seconds.") Double duration, @Schema(examples = "1080x1920") String resolution,
            @Schema(description = "Bytes.") Long fileSize) {
    }

    @Schema(name = "Publishing")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record PublishingView(UUID id, String platform,
            @Schema(enumeration = {"pending", "uploading", "processing", "waiting", "scheduled", "published", "failed"}) String status,
            String platformId, String url, Instant publishAt, Instant publishedAt,
            @Schema(description = "Only when published: false when the platform took the video but which post it became could"
                    + " not be confirmed (no platformId; error says why). Not a failure: publishing again would post it twice.")
            Boolean confirmed, Metrics metrics, PublishingError error,
            PublishingWait waiting, PlatformDeletion platformDeletion) {
    }

    /** Only after a delete asked with fromPlatforms=true: what became of the video on the platform. */
    @Schema(name = "PlatformDeletion")
    public record PlatformDeletion(
            @Schema(enumeration = {"pending", "deleted", "unsupported", "failed"}, description = "unsupported: the platform's API"
                    + " has no delete call (TikTok, Instagram); failed: with why (e.g. reconnect YouTube to grant youtube.force-ssl)")
            String status, String message) {
    }

    /** Only while waiting: a platform's rate limit or quota holds the publishing back; it goes on by itself at {@code until}. */
    @Schema(name = "PublishingWait")
    public record PublishingWait(@Schema(examples = "quotaExceeded") String reason, String message,
            @Schema(description = "When the publishing is tried again.") Instant until) {
    }

    @Schema(name = "PublishingMetrics")
    public record Metrics(Long views, Long likes, Long comments, Instant collectedAt) {
    }

    @Schema(name = "PublishingError")
    public record PublishingError(String code, String message) {
    }

    /** A project in a listing. */
    @Schema(name = "ProjectSummary")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Summary(UUID id, String title, String topic, String status, Instant createdAt, Instant updatedAt) {
    }

    /** One page of GET /api/videos. */
    @Schema(name = "ProjectPage")
    public record Page(List<Summary> items,
            @Schema(description = "Pass as cursor for the next page; null on the last page.") String nextCursor) {
    }

    /** The answer to POST /api/videos. */
    @Schema(name = "Created")
    public record Created(UUID projectId, @Schema(examples = "processing") String status,
            @Schema(enumeration = {"checked", "skipped", "off"},
                    description = "Duplicate check: checked, skipped (index-service unavailable) or off (allowDuplicate)") String dedup) {
    }
}
