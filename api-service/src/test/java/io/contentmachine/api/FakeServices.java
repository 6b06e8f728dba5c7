package io.contentmachine.api;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Test-only stand-ins for render, storage, index and publish services' internal endpoints, on the test HTTP port.
 * They check the internal token and record what api-service asked; switches make them fail or answer differently.
 */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
public class FakeServices {

    public static final String TOKEN = "test-internal-token";

    public static volatile boolean renderDown;
    public static volatile boolean indexDown;
    /** When set, duplicate checks wait for it to open (at most 1.8 s, under the gateway's 2 s timeout). */
    public static volatile CountDownLatch indexGate;
    /** System.nanoTime() when the first check reached the gate, 0 before. */
    public static final AtomicLong indexGateReached = new AtomicLong();
    /** Duplicate checks running now, and the most that ever ran at once. */
    public static final AtomicInteger indexActive = new AtomicInteger();
    public static final AtomicInteger indexPeak = new AtomicInteger();
    public static final Set<UUID> stored = ConcurrentHashMap.newKeySet();
    /** topic → project it duplicates, with score. */
    public static final Map<String, Map.Entry<UUID, Double>> duplicates = new ConcurrentHashMap<>();
    /** owner:platform → connected. */
    public static final Set<String> accounts = ConcurrentHashMap.newKeySet();
    public static final List<JsonNode> publishRequests = new CopyOnWriteArrayList<>();
    public static final List<JsonNode> indexRequests = new CopyOnWriteArrayList<>();
    public static volatile boolean publishDown;
    /** OAuth state issued by start → owner:platform. */
    public static final Map<String, String> oauthStates = new ConcurrentHashMap<>();
    /** Query parameters each OAuth callback received. */
    public static final List<Map<String, String>> callbacks = new CopyOnWriteArrayList<>();

    private static Response unauthorized(String token) {
        return TOKEN.equals(token) ? null : Response.status(401).entity(Map.of("error", "Missing or invalid internal token")).build();
    }

    @GET
    @Path("/render/catalog")
    public Response catalog(@HeaderParam("X-Internal-Token") String token) {
        Response denied = unauthorized(token);
        if (denied != null) {
            return denied;
        }
        if (renderDown) {
            return Response.status(503).entity(Map.of("error", "down")).build();
        }
        return Response.ok(Map.of(
                "templates", List.of(Map.of("id", "tiktok-bold", "name", "TikTok bold"), Map.of("id", "minimal", "name", "Minimal")),
                "voices", List.of(Map.of("id", "af_heart", "language", "en-US", "engine", "espeak-ng"),
                        Map.of("id", "de_anna", "language", "de-DE", "engine", "espeak-ng"),
                        // a speech server's voice in a language no configured writer writes (no LLM)
                        Map.of("id", "ja_kenji", "language", "ja-JP", "engine", "speech-server", "scripted", false)),
                "length", Map.of("min", 15, "max", 180))).build();
    }

    @GET
    @Path("/storage/projects/{projectId}/video/url")
    public Response url(@HeaderParam("X-Internal-Token") String token, @PathParam("projectId") UUID projectId,
            @QueryParam("asset") String asset, @QueryParam("expiresIn") long expiresIn) {
        Response denied = unauthorized(token);
        if (denied != null) {
            return denied;
        }
        if (!stored.contains(projectId)) {
            return Response.status(404).entity(Map.of("error", "Not found")).build();
        }
        return Response.ok(Map.of("url", "http://s3.test/videos/" + projectId + "/" + asset + "?X-Amz-Expires=" + expiresIn,
                "expiresAt", Instant.now().plusSeconds(expiresIn).toString())).build();
    }

    @POST
    @Path("/index/duplicates")
    public Response duplicates(@HeaderParam("X-Internal-Token") String token, JsonNode request) {
        Response denied = unauthorized(token);
        if (denied != null) {
            return denied;
        }
        indexRequests.add(request);
        if (indexDown) {
            return Response.status(503).entity(Map.of("error", "down")).build();
        }
        CountDownLatch gate = indexGate;
        if (gate != null) {
            indexGateReached.compareAndSet(0, System.nanoTime());
            indexPeak.accumulateAndGet(indexActive.incrementAndGet(), Math::max);
            try {
                gate.await(1800, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                indexActive.decrementAndGet();
            }
        }
        Map.Entry<UUID, Double> match = duplicates.get(request.path("ownerId").asText() + ":" + request.path("text").asText());
        if (match == null) {
            return Response.ok(Map.of("duplicate", false, "matches", List.of())).build();
        }
        return Response.ok(Map.of("duplicate", true, "matches",
                List.of(Map.of("projectId", match.getKey(), "score", match.getValue(), "topic", request.path("text").asText())))).build();
    }

    @POST
    @Path("/index/search")
    public Response search(@HeaderParam("X-Internal-Token") String token, JsonNode request) {
        Response denied = unauthorized(token);
        if (denied != null) {
            return denied;
        }
        indexRequests.add(request);
        if (indexDown) {
            return Response.status(503).entity(Map.of("error", "down")).build();
        }
        List<Map<String, Object>> results = new ArrayList<>();
        results.add(Map.of("projectId", UUID.nameUUIDFromBytes(request.path("ownerId").asText().getBytes()), "score", 0.91,
                "topic", "about " + request.path("text").asText(), "title", "Result for " + request.path("ownerId").asText(),
                "status", "stored"));
        return Response.ok(Map.of("results", results)).build();
    }

    @POST
    @Path("/publish/projects/{projectId}/publishings")
    public Response publish(@HeaderParam("X-Internal-Token") String token, @PathParam("projectId") UUID projectId, JsonNode request) {
        Response denied = unauthorized(token);
        if (denied != null) {
            return denied;
        }
        publishRequests.add(request);
        String owner = request.path("ownerId").asText();
        List<Map<String, Object>> publishings = new ArrayList<>();
        for (JsonNode platform : request.path("platforms")) {
            if (!accounts.contains(owner + ":" + platform.asText())) {
                return Response.status(409).entity(Map.of("error", "No connected account for " + platform.asText(),
                        "details", List.of("platform: " + platform.asText()))).build();
            }
            publishings.add(Map.of("id", UUID.randomUUID(), "platform", platform.asText(), "status", "pending"));
        }
        return Response.status(202).entity(publishings).build();
    }

    /** Previews asked for; the answer names each platform with the title it was sent. */
    public static final List<JsonNode> previewRequests = new CopyOnWriteArrayList<>();

    @POST
    @Path("/publish/projects/{projectId}/preview")
    public Response preview(@HeaderParam("X-Internal-Token") String token, @PathParam("projectId") UUID projectId, JsonNode request) {
        Response denied = unauthorized(token);
        if (denied != null) {
            return denied;
        }
        previewRequests.add(request);
        String title = request.path("metadata").path("title").asText("Stored title");
        List<Map<String, Object>> out = new ArrayList<>();
        request.path("platforms").forEach(p -> out.add(Map.of("platform", p.asText(), "title", title, "tags", List.of(),
                "text", title + " #octopus")));
        return Response.ok(out).build();
    }

    @GET
    @Path("/publish/accounts/{ownerId}/{platform}")
    public Response account(@HeaderParam("X-Internal-Token") String token, @PathParam("ownerId") String owner,
            @PathParam("platform") String platform) {
        Response denied = unauthorized(token);
        if (denied != null) {
            return denied;
        }
        if (!accounts.contains(owner + ":" + platform)) {
            return Response.status(404).entity(Map.of("error", "Not found")).build();
        }
        return Response.ok(Map.of("platform", platform, "channel", owner + "-channel", "accessToken", "secret-token")).build();
    }

    @GET
    @Path("/publish/accounts/{ownerId}/tiktok/creator-info")
    public Response creatorInfo(@HeaderParam("X-Internal-Token") String token, @PathParam("ownerId") String owner) {
        Response denied = unauthorized(token);
        if (denied != null) {
            return denied;
        }
        if (!accounts.contains(owner + ":tiktok")) {
            return Response.status(409).entity(Map.of("error", "no connected tiktok account; connect one with POST "
                    + "/api/accounts/tiktok/connect")).build();
        }
        return Response.ok(Map.of("creatorNickname", owner + " on TikTok", "privacyLevelOptions", List.of("MUTUAL_FOLLOW_FRIENDS",
                "SELF_ONLY"), "commentDisabled", true, "accessToken", "secret-token")).build();
    }

    @PUT
    @Path("/publish/accounts/{ownerId}/{platform}")
    public Response putAccount(@HeaderParam("X-Internal-Token") String token, @PathParam("ownerId") String owner,
            @PathParam("platform") String platform, JsonNode body) {
        Response denied = unauthorized(token);
        if (denied != null) {
            return denied;
        }
        accounts.add(owner + ":" + platform);
        return Response.ok(Map.of("platform", platform, "channel", owner + "-channel")).build();
    }

    @DELETE
    @Path("/publish/accounts/{ownerId}/{platform}")
    public Response deleteAccount(@HeaderParam("X-Internal-Token") String token, @PathParam("ownerId") String owner,
            @PathParam("platform") String platform) {
        Response denied = unauthorized(token);
        if (denied != null) {
            return denied;
        }
        accounts.remove(owner + ":" + platform);
        return Response.noContent().build();
    }

    @GET
    @Path("/publish/oauth/{platform}/start")
    public Response oauthStart(@HeaderParam("X-Internal-Token") String token, @PathParam("platform") String platform,
            @QueryParam("ownerId") String owner) {
        Response denied = unauthorized(token);
        if (denied != null) {
            return denied;
        }
        if (publishDown) {
            return Response.status(503).entity(Map.of("error", "down")).build();
        }
        if (!List.of("youtube", "tiktok", "instagram").contains(platform)) {
            return Response.status(400).entity(Map.of("error", "Unknown platform " + platform)).build();
        }
        String state = UUID.randomUUID().toString();
        oauthStates.put(state, owner + ":" + platform);
        return Response.ok(Map.of("authorizationUrl", "http://sandbox.test/oauth/" + platform + "/authorize?state=" + state,
                "state", state, "expiresAt", Instant.now().plusSeconds(600).toString())).build();
    }

    /**
     * Public on publish-service too: no internal token checked. A state is single-use; code "good-code" is the one accepted,
     * "platform-fails" answers 502 as publish-service does when the platform's token endpoint fails.
     */
    @GET
    @Path("/publish/oauth/{platform}/callback")
    public Response oauthCallback(@PathParam("platform") String platform, @QueryParam("code") String code,
            @QueryParam("state") String state, @QueryParam("error") String error, @QueryParam("error_description") String description) {
        Map<String, String> received = new HashMap<>();
        received.put("platform", platform);
        received.put("code", code);
        received.put("state", state);
        received.put("error", error);
        received.put("error_description", description);
        callbacks.add(received);
        if (publishDown) {
            return Response.status(503).entity(Map.of("error", "down")).build();
        }
        String started = state == null ? null : oauthStates.remove(state);
        if (started == null || !started.endsWith(":" + platform)) {
            return Response.status(400).entity(Map.of("error", "Unknown or expired state")).build();
        }
        if (error != null) {
            return Response.status(400).entity(Map.of("error", "Authorization denied: " + error)).build();
        }
        if ("platform-fails".equals(code)) {
            return Response.status(502).entity(Map.of("error", "Could not complete the connection: token endpoint answered 500")).build();
        }
        if (!"good-code".equals(code)) {
            return Response.status(400).entity(Map.of("error", "The platform refused the authorization code")).build();
        }
        String owner = started.substring(0, started.lastIndexOf(':'));
        accounts.add(owner + ":" + platform);
        return Response.ok(Map.of("ownerId", owner, "platform", platform, "status", "connected", "accountName", owner + "-channel"))
                .build();
    }
}
