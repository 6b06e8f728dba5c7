package io.contentmachine.sandbox.transfer;

import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpServerRequest;

/**
 * The bytes of one upload, appended to a file as request bodies stream in (with back-pressure, never held in memory)
 * and hashed on the way. Appends are strictly sequential, so the size is always the number of bytes kept.
 */
public final class ByteSink {

    private final Vertx vertx;
    private final Path path;
    private final MessageDigest digest;
    private long size;
    private boolean receiving;
    private String sha256;

    private ByteSink(Vertx vertx, Path path) {
        this.vertx = vertx;
        this.path = path;
        try {
            this.digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A sink writing to {@code path} (created by the first body). */
    public static ByteSink create(Vertx vertx, Path path) {
        return new ByteSink(vertx, path);
    }

    public Path path() {
        return path;
    }

    public synchronized long size() {
        return size;
    }

    public synchronized boolean receiving() {
        return receiving;
    }

    /** What one request body brought: how many bytes were kept, and whether the sandbox cut the connection. */
    public record Received(long bytes, boolean dropped, Throwable failure) {
    }

    /**
     * Appends the body of {@code request} (which must be paused). With {@code dropAfter} >= 0 only that many bytes are kept
     * and the connection is then closed, as a network failure would; with {@code limit} >= 0 a longer body is cut there and
     * reported as a failure. The file is opened on the request's own event loop and closed (flushed) before the future
     * completes, so a following request always sees every kept byte on disk.
     */
    public Future<Received> receive(HttpServerRequest request, long dropAfter, long limit) {
        synchronized (this) {
            receiving = true;
        }
        Promise<Received> done = Promise.promise();
        OpenOptions options = new OpenOptions().setWrite(true).setCreate(true).setAppend(true);
        vertx.fileSystem().open(path.toString(), options).onComplete(opened -> {
            if (opened.failed()) {
                request.connection().close();
                finish(done, null, new Received(0, false, opened.cause()));
                return;
            }
            pump(request, opened.result(), dropAfter, limit, done);
        });
        return done.future();
    }

    private void pump(HttpServerRequest request, AsyncFile file, long dropAfter, long limit, Promise<Received> done) {
        long[] got = {0};
        boolean[] finished = {false};
        if (dropAfter == 0) {
            finished[0] = true;
            finish(done, file, new Received(0, true, null)).onComplete(x -> request.connection().close());
            return;
        }
        request.handler(buf -> {
            if (finished[0]) {
                return;
            }
            Buffer keep = buf;
            boolean drop = false;
            if (dropAfter >= 0 && got[0] + buf.length() >= dropAfter) {
                keep = buf.slice(0, (int) (dropAfter - got[0]));
                drop = true;
            } else if (limit >= 0 && got[0] + buf.length() > limit) {
                keep = buf.slice(0, (int) (limit - got[0]));
            }
            append(file, keep);
            got[0] += keep.length();
            if (drop) {
                finished[0] = true;
                request.pause();
                finish(done, file, new Received(got[0], true, null)).onComplete(x -> request.connection().close());
                return;
            }
            if (keep.length() < buf.length()) {
                finished[0] = true;
                finish(done, file, new Received(got[0], false,
                        new IllegalArgumentException("request body longer than its Content-Range / Content-Length")));
                return;
            }
            if (file.writeQueueFull()) {
                request.pause();
                file.drainHandler(v -> request.resume());
            }
        });
        request.endHandler(v -> {
            if (!finished[0]) {
                finished[0] = true;
                finish(done, file, new Received(got[0], false, null));
            }
        });
        request.exceptionHandler(e -> {
            if (!finished[0]) {
                finished[0] = true;
                finish(done, file, new Received(got[0], false, e));
            }
        });
        request.resume();
    }

    private synchronized void append(AsyncFile file, Buffer buf) {
        if (buf.length() == 0) {
            return;
        }
        digest.update(buf.getByteBuf().nioBuffer());
        file.write(buf);
        size += buf.length();
    }

    private Future<Void> finish(Promise<Received> done, AsyncFile file, Received received) {
        Future<Void> closed = file == null ? Future.succeededFuture() : file.close();
        return closed.eventually(() -> {
            synchronized (this) {
                receiving = false;
            }
            done.tryComplete(received);
            return Future.succeededFuture();
        }).mapEmpty();
    }

    /** The hex SHA-256 of everything appended; ends the sink (idempotent). */
    public synchronized String complete() {
        if (sha256 == null) {
            sha256 = HexFormat.of().formatHex(digest.digest());
        }
        return sha256;
    }
}
