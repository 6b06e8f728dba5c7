package io.contentmachine.publish.platform;

import io.contentmachine.publish.domain.Platform;

/**
 * One platform's publishing protocol, blocking (it runs on the worker pool). Each call advances a publishing by one
 * durable step: the worker saves the returned {@link Step} before calling again, so a restart resumes from the saved
 * handle (session URI, publish_id, container id) instead of starting over.
 */
public interface Publisher {

    Platform platform();

    Step advance(PublishTask task);
}
