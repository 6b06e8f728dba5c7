package io.contentmachine.sandbox.control;

import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.contentmachine.sandbox.auth.Tokens;
import io.contentmachine.sandbox.pexels.PexelsLibrary;
import io.contentmachine.sandbox.transfer.ReceivedUpload;
import io.contentmachine.sandbox.transfer.UploadStore;

/** The test-control API: arm and clear faults, inspect and reset what the platforms received. */
@Path("/sandbox")
@Produces(MediaType.APPLICATION_JSON)
public class SandboxControlResource {

    @Inject
    ObjectMapper mapper;
    @Inject
    FaultSwitches faults;
    @Inject
    UploadStore store;
    @Inject
    Tokens tokens;
    @Inject
    PexelsLibrary pexels;

    @POST
    @Path("faults")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response arm(String body) {
        Fault request;
        try {
            request = mapper.readerFor(Fault.class).with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                    .readValue(body == null || body.isBlank() ? "null" : body);
        } catch (JsonProcessingException e) {
            return error(400, "Malformed JSON: " + e.getOriginalMessage());
        }
        if (request == null) {
            return error(400, "a JSON body {platform, operation, kind, count} is required");
        }
        Optional<String> problem = FaultKind.problem(request.platform(), request.operation(), request.kind());
        if (problem.isPresent()) {
            return error(400, problem.get());
        }
        int count = request.count() == 0 ? 1 : request.count();
        if (count < 0 || request.skip() < 0) {
            return error(400, "count must be positive and skip not negative");
        }
        if (request.status() != null && (request.status() < 400 || request.status() > 599)) {
            return error(400, "status must be a 4xx or 5xx code");
        }
        if (FaultKind.HTTP_5XX.equals(request.kind()) && request.status() != null && request.status() < 500) {
            return error(400, "http-5xx needs a status from 500 to 599");
        }
        if (request.afterBytes() != null && request.afterBytes() < 0
                || request.retryAfterSeconds() != null && request.retryAfterSeconds() < 0) {
            return error(400, "afterBytes and retryAfterSeconds must not be negative");
        }
        Fault armed = faults.arm(new Fault(null, request.platform(), request.operation(), request.kind(), count, request.skip(),
                request.status(), request.retryAfterSeconds(), request.afterBytes(), request.failReason(), request.message()));
        return Response.status(201).entity(armed).build();
    }

    @GET
    @Path("faults")
    public List<Fault> faults() {
        return faults.list();
    }

    @DELETE
    @Path("faults")
    public Response clearFaults() {
        faults.clear();
        return Response.noContent().build();
    }

    /** Token refreshes granted and access tokens refused since the last reset (DELETE /sandbox/uploads). */
    @GET
    @Path("tokens")
    public Map<String, Object> tokens() {
        return Map.of("refreshes", tokens.refreshes(), "rejectedAccessTokens", tokens.rejectedAccessTokens());
    }

    @GET
    @Path("uploads")
    public List<ReceivedUpload> uploads(@QueryParam("platform") String platform) {
        return store.list(platform);
    }

    @GET
    @Path("uploads/{id}")
    public Response upload(@PathParam("id") String id) {
        return store.get(id).map(u -> Response.ok(u).build()).orElseGet(() -> error(404, "no upload " + id));
    }

    @GET
    @Path("uploads/{id}/content")
    @Produces({MediaType.APPLICATION_OCTET_STREAM, MediaType.APPLICATION_JSON})
    public Response content(@PathParam("id") String id) {
        Optional<ReceivedUpload> upload = store.get(id);
        if (upload.isEmpty() || !Files.isRegularFile(upload.get().file())) {
            return error(404, "no upload " + id);
        }
        String type = upload.get().contentType() == null ? "video/mp4" : upload.get().contentType();
        return Response.ok(upload.get().file()).type(type).build();
    }

    /** The Pexels stand-in's files downloaded since the last reset (e.g. videos/5100101/hd.mp4). */
    @GET
    @Path("pexels/downloads")
    public List<String> pexelsDownloads() {
        return pexels.downloads();
    }

    @DELETE
    @Path("uploads")
    public Response reset() {
        store.reset();
        return Response.noContent().build();
    }

    static Response error(int status, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(Map.of("error", message)).build();
    }
}
