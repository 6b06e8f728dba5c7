package io.contentmachine.publish.platform;

import java.io.IOException;
import java.io.InputStream;

/** The video's bytes, readable from any offset (a ranged GET of a presigned URL), so an upload can resume mid-file. */
public interface MediaSource {

    /** A public URL of the video (Instagram and TikTok PULL_FROM_URL fetch it themselves). */
    String url();

    /** A stream of the bytes from {@code offset} to the end; the caller closes it. */
    InputStream open(long offset) throws IOException;
}
