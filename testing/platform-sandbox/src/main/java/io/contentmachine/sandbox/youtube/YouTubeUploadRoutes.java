package io.contentmachine.sandbox.youtube;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.contentmachine.sandbox.auth.Tokens;
import io.contentmachine.sandbox.config.SandboxConfig;
import io.contentmachine.sandbox.control.Fault;
import io.contentmachine.sandbox.control.FaultKind;
import io.contentmachine.sandbox.control.FaultSwitches;
import io.contentmachine.sandbox.http.BaseUrl;
import io.contentmachine.sandbox.http.Reply;
import io.contentmachine.sandbox.http.RequestBodies;
import io.contentmachine.sandbox.transfer.ByteSink;
import io.contentmachine.sandbox.transfer.ReceivedUpload;
import io.contentmachine.sandbox.transfer.UploadStore;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * videos.insert with uploadType=resumable: the session start (POST) and the chunk PUTs with Content-Range, the
 * 308 Resume Incomplete / Range answers and the resume query. Raw Vert.x routes, so bodies stream to disk with back-pressure
 * and the connection can be cut mid-body.
 */
@ApplicationScoped
public class YouTubeUploadRoutes {

    static final String PATH = "/upload/youtube/v3/videos";
    static final long CHUNK_GRANULARITY = 256 * 1024;
    private static final int METADATA_LIMIT = 256 * 1024;
    private static final Pattern RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+|\\*)");
    private static final Pattern QUERY = Pattern.compile("bytes \\*/(\\d+|\\*)");
    private static final Set<String> PARTS = Set.of("snippet", "status", "contentDetails", "fileDetails", "id", "liveStreamingDetails",
            "localizations", "player", "processingDetails", "recordingDetails", "statistics", "suggestions", "topicDetails");
    private static final List<String> INIT_FAULTS = List.of(FaultKind.HTTP_5XX, FaultKind.RATE_LIMIT, FaultKind.QUOTA_EXCEEDED,
            FaultKind.UPLOAD_LIMIT_EXCEEDED, FaultKind.TOKEN_EXPIRED, FaultKind.DROP_CONNECTION);
    private static final List<String> UPLOAD_FAULTS = List.of(FaultKind.HTTP_5XX, FaultKind.RATE_LIMIT, FaultKind.DROP_CONNECTION,
            FaultKind.SESSION_EXPIRED, FaultKind.QUOTA_EXCEEDED, FaultKind.UPLOAD_LIMIT_EXCEEDED);

    @Inject
    Vertx vertx;
    @Inject
    ObjectMapper mapper;
    @Inject
    SandboxConfig config;
    @Inject
    FaultSwitches faults;
    @Inject
    Tokens tokens;
    @Inject
    UploadStore store;
    @Inject
    YouTubeVideos videos;

    void routes(@Observes Router router) {
        router.post(PATH).handler(this::start);
        router.put(PATH).handler(this::upload);
    }

    private void start(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        HttpServerResponse response = ctx.response();
        request.pause();
        Optional<Fault> fault = faults.take("youtube", "init", INIT_FAULTS);
        if (fault.isPresent()) {
            if (FaultKind.DROP_CONNECTION.equals(fault.get().kind())) {
                request.connection().close();
            } else {
                RequestBodies.discard(request, () -> send(response, GoogleErrors.forFault(fault.get())));
            }
            return;
        }
        Optional<Reply> problem = startProblem(request);
        if (problem.isPresent()) {
            RequestBodies.discard(request, () -> send(response, problem.get()));
            return;
        }
        RequestBodies.small(request, METADATA_LIMIT).onComplete(body -> {
            if (body.failed()) {
                send(response, GoogleErrors.error(400, "global", "badRequest", "Cannot read the request: " + body.cause().getMessage()));
                return;
            }
            JsonNode metadata;
            try {
                metadata = mapper.readTree(body.result().toString(StandardCharsets.UTF_8));
            } catch (Exception e) {
                send(response, GoogleErrors.error(400, "global", "parseError", "Parse Error: the body is not valid JSON."));
                return;
            }
            Optional<Reply> invalid = VideoRules.problem(metadata);
            if (invalid.isPresent()) {
                send(response, invalid.get());
                return;
            }
            if (!videos.countStart()) {
                send(response, GoogleErrors.quotaExceeded());
                return;
            }
            String id = YouTubeVideos.newId(40);
            String length = request.getHeader("X-Upload-Content-Length");
            videos.open(metadata, length == null ? null : Long.parseLong(length.trim()), request.getHeader("X-Upload-Content-Type"),
                    ByteSink.create(vertx, store.fileFor("youtube", id)), id);
            String location = BaseUrl.of(config, request.scheme(), request.host()) + PATH + "?uploadType=resumable&upload_id=" + id;
            send(response, Reply.empty(200).header("Location", location).header("X-GUploader-UploadID", id));
        });
    }

    private Optional<Reply> startProblem(HttpServerRequest request) {
        if (!tokens.validAccess(Tokens.bearer(request.getHeader("Authorization")))) {
            return Optional.of(GoogleErrors.unauthorized());
        }
        if (!"resumable".equals(request.getParam("uploadType"))) {
            return Optional.of(GoogleErrors.error(400, "global", "invalidParameter",
                    "The sandbox supports uploadType=resumable only (got " + request.getParam("uploadType") + ")."));
        }
        String part = String.join(",", request.params().getAll("part"));
        if (part.isBlank()) {
            return Optional.of(GoogleErrors.error(400, "global", "required", "Required parameter: part"));
        }
        for (String p : part.split(",")) {
            if (!PARTS.contains(p.trim())) {
                return Optional.of(GoogleErrors.error(400, "youtube.part", "unknownPart", "Unknown part: " + p.trim()));
            }
        }
        String type = request.getHeader("X-Upload-Content-Type");
        if (type != null && !type.startsWith("video/") && !type.startsWith("application/octet-stream")) {
            return Optional.of(GoogleErrors.error(400, "youtube.video", "invalidVideoFormat",
                    "X-Upload-Content-Type must be a video type, got " + type + "."));
        }
        String length = request.getHeader("X-Upload-Content-Length");
        if (length != null && !length.trim().matches("\\d{1,15}")) {
            return Optional.of(GoogleErrors.error(400, "global", "invalidParameter", "X-Upload-Content-Length must be a byte count."));
        }
        return Optional.empty();
    }

    private void upload(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        HttpServerResponse response = ctx.response();
        request.pause();
        YouTubeVideos.UploadSession session = videos.session(request.getParam("upload_id"));
        if (session == null) {
            RequestBodies.discard(request, () -> send(response, GoogleErrors.notFound("Upload session not found or expired.")));
            return;
        }
        Optional<Fault> fault = faults.take("youtube", "upload", UPLOAD_FAULTS);
        long dropAfter = -1;
        if (fault.isPresent()) {
            String kind = fault.get().kind();
            if (FaultKind.SESSION_EXPIRED.equals(kind)) {
                videos.expire(session.id);
                RequestBodies.discard(request, () -> send(response, GoogleErrors.notFound("Upload session not found or expired.")));
                return;
            }
            if (!FaultKind.DROP_CONNECTION.equals(kind)) {
                RequestBodies.discard(request, () -> send(response, GoogleErrors.forFault(fault.get())));
                return;
            }
            dropAfter = fault.get().afterBytes() == null ? 0 : fault.get().afterBytes();
        }
        if (session.video != null) {
            RequestBodies.discard(request, () -> send(response, finished(session)));
            return;
        }
        if (session.sink.receiving()) {
            RequestBodies.discard(request, () -> send(response, GoogleErrors.error(503, "global", "backendError",
                    "Another request is still uploading to this session.")));
            return;
        }
        String contentRange = request.getHeader("Content-Range");
        String contentLengthHeader = request.getHeader("Content-Length");
        long contentLength;
        try {
            contentLength = contentLengthHeader == null ? -1 : Long.parseLong(contentLengthHeader.trim());
        } catch (NumberFormatException e) {
            RequestBodies.discard(request, () -> send(response, badRange("Content-Length is not a number.")));
            return;
        }
        long first;
        long last;
        Long total;
        Matcher query = contentRange == null ? null : QUERY.matcher(contentRange.trim());
        if (contentRange != null && query.matches() || contentRange == null && contentLength == 0) {
            if (contentLength > 0) {
                RequestBodies.discard(request, () -> send(response, badRange("A status query (bytes */TOTAL) must have no body.")));
                return;
            }
            RequestBodies.discard(request, () -> send(response, progress(session)));
            return;
        }
        if (contentRange == null) {
            if (contentLength < 0) {
                RequestBodies.discard(request, () -> send(response, badRange("Content-Length or Content-Range is required.")));
                return;
            }
            first = 0;
            last = contentLength - 1;
            total = contentLength;
        } else {
            Matcher range = RANGE.matcher(contentRange.trim());
            if (!range.matches()) {
                RequestBodies.discard(request, () -> send(response, badRange("Invalid Content-Range: " + contentRange)));
                return;
            }
            first = Long.parseLong(range.group(1));
            last = Long.parseLong(range.group(2));
            total = "*".equals(range.group(3)) ? null : Long.parseLong(range.group(3));
        }
        Optional<String> problem = rangeProblem(session, first, last, total, contentLength);
        if (problem.isPresent()) {
            RequestBodies.discard(request, () -> send(response, badRange(problem.get())));
            return;
        }
        if (total != null) {
            session.total = total;
        }
        long expected = last - first + 1;
        if ("100-continue".equalsIgnoreCase(request.getHeader("Expect"))) {
            response.writeContinue();
        }
        session.sink.receive(request, dropAfter, expected).onComplete(result -> {
            if (result.failed() || result.result().dropped()) {
                return;
            }
            ByteSink.Received received = result.result();
            if (received.failure() != null) {
                send(response, badRange(received.failure().getMessage()));
                return;
            }
            if (received.bytes() != expected) {
                send(response, badRange("The body had " + received.bytes() + " bytes, Content-Range announced " + expected + "."));
                return;
            }
            if (session.total != null && session.sink.size() == session.total) {
                String sha = session.sink.complete();
                YouTubeVideos.Video video = videos.complete(session);
                JsonNode status = session.metadata.path("status");
                store.record(new ReceivedUpload("youtube", video.id(), session.metadata, session.sink.size(), sha,
                        video.uploadedAt(), session.contentType, status.path("privacyStatus").asText("public"),
                        status.path("publishAt").isTextual() ? status.path("publishAt").asText() : null, "uploaded", video.id(),
                        session.sink.path()));
                send(response, finished(session));
            } else {
                send(response, progress(session));
            }
        });
    }

    private Optional<String> rangeProblem(YouTubeVideos.UploadSession session, long first, long last, Long total, long contentLength) {
        if (last < first) {
            return Optional.of("Invalid Content-Range: last byte before first byte.");
        }
        if (total != null && last >= total) {
            return Optional.of("Invalid Content-Range: last byte " + last + " is beyond the total " + total + ".");
        }
        Long known = session.total;
        if (total != null && known != null && !total.equals(known)) {
            return Optional.of("Content-Range total " + total + " differs from the upload's length " + known + ".");
        }
        if (contentLength >= 0 && contentLength != last - first + 1) {
            return Optional.of("Content-Length " + contentLength + " does not match Content-Range " + first + "-" + last + ".");
        }
        long size = session.sink.size();
        if (first != size) {
            return Optional.of("Invalid request. According to the Content-Range header, the upload offset is " + first
                    + " byte(s), but the session has received " + size + " byte(s); resume from byte " + size + ".");
        }
        boolean lastChunk = total != null && last == total - 1;
        if (!lastChunk && (last - first + 1) % CHUNK_GRANULARITY != 0) {
            return Optional.of("Invalid chunk size " + (last - first + 1) + ": chunks must be multiples of 262144 bytes (256 KiB) "
                    + "except the last one.");
        }
        return Optional.empty();
    }

    /** 308 Resume Incomplete, with Range unless nothing was received. */
    private Reply progress(YouTubeVideos.UploadSession session) {
        if (session.video != null) {
            return finished(session);
        }
        long size = session.sink.size();
        Reply reply = Reply.empty(308);
        return size > 0 ? reply.header("Range", "bytes=0-" + (size - 1)) : reply;
    }

    private Reply finished(YouTubeVideos.UploadSession session) {
        ObjectNode resource = videos.resource(session.video, Arrays.asList("snippet", "status"), Instant.now());
        ((ObjectNode) resource.path("status")).put("uploadStatus", "uploaded");
        return Reply.json(200, resource);
    }

    private static Reply badRange(String message) {
        return GoogleErrors.error(400, "global", "badRequest", message);
    }

    private void send(HttpServerResponse response, Reply reply) {
        reply.send(response, mapper);
    }
}
