package io.contentmachine.publish.platform;

import io.contentmachine.publish.domain.Platform;
import io.contentmachine.publish.platform.PublishTask.Credentials;

/**
 * One platform's publishing protocol, blocking (it runs on the worker pool). Each call advances a publishing by one
 * durable step: the worker saves the returned {@link Step} before calling again, so a restart resumes from the saved
 * handle (session URI, publish_id, container id) instead of starting over.
 */
public interface Publisher {

    Platform platform();

    Step advance(PublishTask task);

    /** What became of a delete on the platform: {@code deleted}, {@code unsupported} or {@code failed}, and why. */
    record Deletion(String status, String message) {

        public static Deletion unsupported(Platform platform) {
            return new Deletion("unsupported", platform.id() + "'s API has no call to delete a published video; delete it in the app");
        }
    }

    /**
     * Deletes the published video {@code platformId} (blocking). Most platforms' APIs cannot: TikTok's Content Posting API and
     * Instagram's Graph API have no delete call. A transient failure throws {@link PlatformException}, to be tried again.
     */
    default Deletion delete(String platformId, Credentials credentials) {
        return Deletion.unsupported(platform());
    }

    /** Whether {@link #delete} calls the platform at all. */
    default boolean canDelete() {
        return false;
    }
}
