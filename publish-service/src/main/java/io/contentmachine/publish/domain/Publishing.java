package io.contentmachine.publish.domain;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.smallrye.mutiny.Uni;

/**
 * One video on one platform. Its state is saved before every external call, with the platform's handle of the
 * transfer (YouTube session URI, TikTok publish_id, Instagram container id), so a restart resumes or reconciles.
 */
@Entity
@Table(name = "publishings")
public class Publishing extends PanacheEntityBase {

    /** The error code of a publishing recorded published without confirming which post it became (its reason the message). */
    public static final String UNCONFIRMED = "unconfirmed";

    @Id
    public UUID id;

    /** Checked at every write: a writer that read an older row fails and retries rather than overwrite a newer status. */
    @Version
    public long version;

    @Column(name = "video_id")
    public UUID videoId;

    @Column(name = "project_id")
    public UUID projectId;

    @Column(name = "owner_id")
    public String ownerId;

    public String platform;

    public int generation;

    public String status;

    /** VideoMetadata override from the publish request, as JSON (null: the video's own). */
    public String metadata;

    /** TikTokPostOptions of the publish request, as JSON (null: the ones the video's create request carried). */
    @Column(name = "tiktok_options")
    public String tiktokOptions;

    /** YouTubePostOptions and InstagramPostOptions of the publish request, as JSON (null: the create request's). */
    @Column(name = "youtube_options")
    public String youtubeOptions;

    @Column(name = "instagram_options")
    public String instagramOptions;

    /** The platform's id of the first comment, once posted (its failure is noted in errorCode/errorMessage). */
    @Column(name = "first_comment_id")
    public String firstCommentId;

    @Column(name = "publish_at")
    public Instant publishAt;

    @Column(name = "upload_ref")
    public String uploadRef;

    @Column(name = "upload_url")
    public String uploadUrl;

    @Column(name = "platform_id")
    public String platformId;

    public String url;

    @Column(name = "published_at")
    public Instant publishedAt;

    @Column(name = "error_code")
    public String errorCode;

    @Column(name = "error_message")
    public String errorMessage;

    /** While waiting: until when, why (the platform's code or our pacing's) and the status to go on from afterwards. */
    @Column(name = "waiting_until")
    public Instant waitingUntil;

    @Column(name = "wait_reason")
    public String waitReason;

    @Column(name = "wait_message")
    public String waitMessage;

    @Column(name = "resume_status")
    public String resumeStatus;

    public Long views;

    public Long likes;

    public Long comments;

    @Column(name = "metrics_collected_at")
    public Instant metricsCollectedAt;

    /** The W3C traceparent of the span that created the publishing: later work on it (a metrics pull) links back to it. */
    public String traceparent;

    /** With a delete from the platforms: pending, deleted, unsupported or failed; null when none was asked. */
    @Column(name = "platform_deletion")
    public String platformDeletion;

    @Column(name = "platform_deletion_message")
    public String platformDeletionMessage;

    @Column(name = "deletion_due_at")
    public Instant deletionDueAt;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "updated_at")
    public Instant updatedAt;

    public Platform platform() {
        return Platform.of(platform).orElseThrow();
    }

    public PublishingStatus status() {
        return PublishingStatus.of(status);
    }

    /** Only when published: false when the platform's post was never confirmed ({@link #UNCONFIRMED}), else true; null otherwise. */
    public Boolean confirmed() {
        return PublishingStatus.PUBLISHED.id().equals(status) ? !UNCONFIRMED.equals(errorCode) : null;
    }

    public static Uni<List<Publishing>> ofProject(UUID projectId) {
        return Publishing.<Publishing>find("projectId = ?1 order by createdAt, platform", projectId).list();
    }
}
