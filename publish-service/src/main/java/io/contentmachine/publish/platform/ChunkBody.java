package io.contentmachine.publish.platform;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;

/** A chunk of an upload streamed from the open video source, with a fixed Content-Length; the source stays open for the next. */
public final class ChunkBody {

    private ChunkBody() {
    }

    /** The next {@code length} bytes of the source as a request body with a fixed Content-Length, streamed. */
    public static HttpRequest.BodyPublisher of(InputStream source, long length) {
        return HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> new Slice(source, length)), length);
    }

    /** The next {@code length} bytes of the open source; closing it leaves the source open for the next chunk. */
    static final class Slice extends FilterInputStream {

        private long left;

        Slice(InputStream source, long length) {
            super(source);
            this.left = length;
        }

        @Override
        public int read() throws IOException {
            if (left <= 0) {
                return -1;
            }
            int b = in.read();
            if (b >= 0) {
                left--;
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (left <= 0) {
                return -1;
            }
            int n = in.read(buffer, offset, (int) Math.min(length, left));
            if (n > 0) {
                left -= n;
            }
            return n;
        }

        @Override
        public void close() {
            // the source stays open for the next chunk
        }
    }
}
