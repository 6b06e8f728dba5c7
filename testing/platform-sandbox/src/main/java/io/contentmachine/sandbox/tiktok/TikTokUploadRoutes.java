package io.contentmachine.sandbox.tiktok;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.contentmachine.sandbox.control.Fault;
import io.contentmachine.sandbox.control.FaultKind;
import io.contentmachine.sandbox.control.FaultSwitches;
import io.contentmachine.sandbox.http.Reply;
import io.contentmachine.sandbox.http.RequestBodies;
import io.contentmachine.sandbox.transfer.BlockingTransfers;
import io.contentmachine.sandbox.transfer.ByteSink;
import io.contentmachine.sandbox.transfer.UploadStore;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.jboss.logging.Logger;

/**
 * The upload_url of a FILE_UPLOAD post: chunk PUTs with Content-Range, in order, each exactly as init declared;
 * 206 for a chunk, 201 for the last. A chunk is kept whole or not at all (a cut one must be sent again).
 */
@ApplicationScoped
public class TikTokUploadRoutes {

    static final String PATH = "/upload/tiktok/video/";
    private static final Pattern RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+)");
    private static final Set<String> TYPES = Set.of("video/mp4", "video/quicktime", "video/webm");
    private static final List<String> FAULTS = List.of(FaultKind.HTTP_5XX, FaultKind.RATE_LIMIT, FaultKind.DROP_CONNECTION);
    private static final Logger LOG = Logger.getLogger(TikTokUploadRoutes.class);

    private final AtomicLong attempts = new AtomicLong();

    @Inject
    Vertx vertx;
    @Inject
    ObjectMapper mapper;
    @Inject
    FaultSwitches faults;
    @Inject
    TikTokPosts posts;
    @Inject
    UploadStore store;
    @Inject
    BlockingTransfers transfers;

    void routes(@Observes Router router) {
        router.put(PATH).handler(this::chunk);
        router.put(PATH.substring(0, PATH.length() - 1)).handler(this::chunk);
    }

    private void chunk(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        HttpServerResponse response = ctx.response();
        request.pause();
        TikTokPosts.Post post = posts.get(request.getParam("upload_id"));
        if (post == null || post.plan == null || !post.uploadToken.equals(request.getParam("upload_token"))) {
            refuse(request, response, TikTokErrors.error(404, "invalid_params", "Unknown or expired upload URL."));
            return;
        }
        Optional<Fault> fault = faults.take("tiktok", "upload", FAULTS);
        long dropAfter = -1;
        if (fault.isPresent()) {
            if (!FaultKind.DROP_CONNECTION.equals(fault.get().kind())) {
                refuse(request, response, TikTokErrors.forFault(fault.get()));
                return;
            }
            dropAfter = fault.get().afterBytes() == null ? 0 : fault.get().afterBytes();
        }
        String type = request.getHeader("Content-Type");
        String mime = type == null ? "" : type.split(";")[0].trim().toLowerCase();
        if (!TYPES.contains(mime)) {
            refuse(request, response, TikTokErrors.invalidParams("Content-Type must be video/mp4, video/quicktime or video/webm."));
            return;
        }
        String contentRange = request.getHeader("Content-Range");
        Matcher range = contentRange == null ? null : RANGE.matcher(contentRange.trim());
        if (range == null || !range.matches()) {
            refuse(request, response, TikTokErrors.invalidParams("Content-Range: bytes FIRST-LAST/TOTAL is required."));
            return;
        }
        long first = Long.parseLong(range.group(1));
        long last = Long.parseLong(range.group(2));
        long total = Long.parseLong(range.group(3));
        ChunkPlan plan = post.plan;
        int index;
        synchronized (post) {
            index = post.chunksReceived();
            if (index >= plan.chunkCount()) {
                refuse(request, response, Reply.empty(201));
                return;
            }
            String problem = null;
            if (total != plan.videoSize()) {
                problem = "Content-Range total " + total + " is not the video_size " + plan.videoSize() + " given at init.";
            } else if (first != plan.firstByte(index) || last - first + 1 != plan.length(index)) {
                problem = "Chunk " + (index + 1) + " of " + plan.chunkCount() + " must be bytes " + plan.firstByte(index) + "-"
                        + (plan.firstByte(index) + plan.length(index) - 1) + "/" + plan.videoSize() + ", got " + contentRange + ".";
            } else if (post.chunkInFlight) {
                problem = "Another chunk of this upload is still being received.";
            }
            String length = request.getHeader("Content-Length");
            if (problem == null && length != null && !length.trim().equals(String.valueOf(last - first + 1))) {
                problem = "Content-Length " + length + " does not match Content-Range " + contentRange + ".";
            }
            if (problem != null) {
                refuse(request, response, TikTokErrors.error(416, "invalid_params", problem));
                return;
            }
            post.chunkInFlight = true;
            post.contentType = mime;
        }
        long expected = last - first + 1;
        long drop = dropAfter;
        // each attempt gets its own file, so a cut attempt being deleted never touches the next one
        Path part = store.fileFor("tiktok", post.publishId + ".part" + index + "." + attempts.incrementAndGet());
        ByteSink sink = ByteSink.create(vertx, part);
        if ("100-continue".equalsIgnoreCase(request.getHeader("Expect"))) {
            response.writeContinue();
        }
        sink.receive(request, drop, expected).onComplete(result -> {
            boolean whole = result.succeeded() && !result.result().dropped() && result.result().failure() == null
                    && result.result().bytes() == expected;
            if (!whole) {
                post.chunkInFlight = false;
                vertx.fileSystem().delete(part.toString());
                if (result.succeeded() && !result.result().dropped()) {
                    send(response, TikTokErrors.error(400, "invalid_params", "The chunk body did not match its Content-Range."));
                }
                return;
            }
            boolean lastChunk;
            List<Path> parts;
            synchronized (post) {
                post.parts.add(part);
                post.uploadedBytes += expected;
                post.chunkInFlight = false;
                lastChunk = post.parts.size() == plan.chunkCount();
                parts = new ArrayList<>(post.parts);
            }
            if (!lastChunk) {
                send(response, Reply.empty(206).header("Content-Range", "bytes 0-" + (post.uploadedBytes - 1) + "/" + total));
                return;
            }
            send(response, Reply.empty(201));
            Path file = store.fileFor("tiktok", post.publishId);
            transfers.join(parts, file).whenComplete((stored, error) -> {
                if (error != null) {
                    LOG.error("cannot join the chunks of " + post.publishId, error);
                    post.error = "internal_error";
                    return;
                }
                posts.finish(post, stored, file);
            });
        });
    }

    private void refuse(HttpServerRequest request, HttpServerResponse response, Reply reply) {
        RequestBodies.discard(request, () -> send(response, reply));
    }

    private void send(HttpServerResponse response, Reply reply) {
        reply.send(response, mapper);
    }

}
