package io.contentmachine.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
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

    /** The media library's stand-in: assets by id (fields as docs/MEDIA-LIBRARY.md's asset JSON, plus ownerId). */
    public static final Map<UUID, Map<String, Object>> assets = new ConcurrentHashMap<>();
    /** What the stand-in S3 received: object key (assets/originals/{owner}/{id}) → bytes. */
    public static final Map<String, byte[]> objects = new ConcurrentHashMap<>();
    public static final List<JsonNode> assetRequests = new CopyOnWriteArrayList<>();
    public static volatile boolean storageDown;
    /** The next this many media library calls answer 503, as during a restart of storage-service. */
    public static final AtomicInteger storageBlips = new AtomicInteger();
    /** Above this many bytes an asset is refused (413); above singlePutMax its grant is multipart. */
    public static volatile long assetMaxBytes = 50L * 1024 * 1024;
    public static volatile long singlePutMax = 8L * 1024 * 1024;
    public static final String MEDIA_ORIGIN = "http://s3.test";
    private static final Map<String, String> KINDS = Map.of("video/mp4", "video", "video/quicktime", "video", "image/jpeg", "image",
            "image/png", "image", "audio/mpeg", "audio", "audio/wav", "audio");

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

    // --- media library (storage-service's /storage/assets, as docs/MEDIA-LIBRARY.md sets it out) ----------------------------

    /** The object key of an asset's original, as storage-service names it. */
    public static String originalKey(Map<String, Object> asset) {
        return "assets/originals/" + asset.get("ownerId") + "/" + asset.get("id");
    }

    /** A ready asset of {@code owner}, as render-service would leave it after normalising; returns its id. */
    public static UUID readyAsset(String owner, String contentType, String filename, String description, List<String> tags) {
        Map<String, Object> asset = newAsset(owner, filename, contentType, 1000, "0".repeat(64), description, tags);
        asset.put("status", "ready");
        asset.put("readyAt", Instant.now().toString());
        return (UUID) asset.get("id");
    }

    /** render-service's verdict on a processing asset: ready (with its normalised copy) from now on. */
    public static void markReady(UUID id) {
        Map<String, Object> asset = assets.get(id);
        asset.put("status", "ready");
        asset.put("readyAt", Instant.now().toString());
    }

    private static Map<String, Object> newAsset(String owner, String filename, String contentType, long size, String sha256,
            String description, List<String> tags) {
        Map<String, Object> asset = new ConcurrentHashMap<>();
        UUID id = UUID.randomUUID();
        asset.put("id", id);
        asset.put("ownerId", owner);
        asset.put("kind", KINDS.get(contentType));
        asset.put("status", "uploading");
        asset.put("filename", filename);
        asset.put("contentType", contentType);
        asset.put("sizeBytes", size);
        asset.put("sha256", sha256);
        if (description != null) {
            asset.put("description", description);
        }
        asset.put("tags", tags == null ? List.of() : tags);
        // a microsecond apart at least, so newest-first is a strict order
        asset.put("createdAt", Instant.now().plusNanos(assets.size() * 1000L).toString());
        asset.put("storageKey", "never shown to owners");
        assets.put(id, asset);
        return asset;
    }

    private static Response assetAnswer(Map<String, Object> asset, boolean withPreview) {
        Map<String, Object> out = new LinkedHashMap<>(asset);
        if (withPreview && "ready".equals(asset.get("status"))) {
            String extension = switch ((String) asset.get("kind")) {
                case "video" -> "mp4";
                case "audio" -> "m4a";
                default -> "jpg";
            };
            out.put("previewUrl", MEDIA_ORIGIN + "/assets/normalised/" + asset.get("ownerId") + "/" + asset.get("id") + "." + extension
                    + "?X-Amz-Signature=preview");
        }
        return Response.ok(out).build();
    }

    private static Response storageRefusal() {
        boolean blip = storageBlips.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
        return storageDown || blip ? Response.status(503).entity(Map.of("error", "down")).build() : null;
    }

    private static Map<String, Object> owned(UUID id, String owner) {
        Map<String, Object> asset = assets.get(id);
        return asset != null && asset.get("ownerId").equals(owner) ? asset : null;
    }

    @POST
    @Path("/storage/assets")
    public Response createAsset(@HeaderParam("X-Internal-Token") String token, JsonNode request) {
        Response denied = unauthorized(token);
        if (denied == null) {
            denied = storageRefusal();
        }
        if (denied != null) {
            return denied;
        }
        assetRequests.add(request);
        String contentType = request.path("contentType").asText();
        if (!KINDS.containsKey(contentType)) {
            return Response.status(415).entity(Map.of("error", "Unsupported content type " + contentType, "details",
                    List.of("contentType: one of audio/mpeg, audio/wav, image/jpeg, image/png, video/mp4, video/quicktime"))).build();
        }
        long size = request.path("sizeBytes").asLong();
        if (size > assetMaxBytes) {
            return Response.status(413).entity(Map.of("error", "File too large", "details",
                    List.of("sizeBytes: at most " + assetMaxBytes))).build();
        }
        List<String> tags = new ArrayList<>();
        request.path("tags").forEach(t -> tags.add(t.asText()));
        Map<String, Object> asset = newAsset(request.path("ownerId").asText(), request.path("filename").asText(), contentType, size,
                request.path("sha256").asText(), request.path("description").isTextual() ? request.path("description").asText() : null,
                tags);
        for (String credit : List.of("license", "attribution")) {
            if (request.path(credit).isTextual()) {
                asset.put(credit, request.path(credit).asText());
            }
        }
        String key = originalKey(asset);
        Map<String, Object> upload = new LinkedHashMap<>();
        upload.put("uploadId", UUID.randomUUID());
        upload.put("stagingKey", key);
        upload.put("expiresAt", Instant.now().plusSeconds(900).toString());
        if (size <= singlePutMax) {
            upload.put("method", "single");
            upload.put("url", MEDIA_ORIGIN + "/" + key + "?X-Amz-Signature=put");
            upload.put("headers", Map.of("Content-Type", contentType, "x-amz-checksum-sha256",
                    Base64.getEncoder().encodeToString(HexFormat.of().parseHex(request.path("sha256").asText()))));
        } else {
            upload.put("method", "multipart");
            upload.put("partSizeBytes", singlePutMax);
            upload.put("parts", List.of(Map.of("partNumber", 1, "sizeBytes", singlePutMax,
                    "url", MEDIA_ORIGIN + "/" + key + "?partNumber=1")));
        }
        Map<String, Object> shown = new LinkedHashMap<>(asset);
        return Response.status(201).entity(Map.of("asset", shown, "upload", upload)).build();
    }

    @POST
    @Path("/storage/assets/{id}/complete")
    public Response completeAsset(@HeaderParam("X-Internal-Token") String token, @PathParam("id") UUID id, JsonNode request) {
        Response denied = unauthorized(token);
        if (denied == null) {
            denied = storageRefusal();
        }
        if (denied != null) {
            return denied;
        }
        assetRequests.add(request);
        Map<String, Object> asset = owned(id, request.path("ownerId").asText());
        if (asset == null) {
            return Response.status(404).entity(Map.of("error", "Asset not found")).build();
        }
        byte[] bytes = objects.get(originalKey(asset));
        if (bytes == null || bytes.length != ((Number) asset.get("sizeBytes")).longValue() || !sha256(bytes).equals(asset.get("sha256"))) {
            return Response.status(409).entity(Map.of("error", "The uploaded object does not match the grant", "details",
                    List.of(bytes == null ? "object: not uploaded" : "object: size or SHA-256 differs"))).build();
        }
        asset.put("status", "processing");
        return assetAnswer(asset, false);
    }

    @GET
    @Path("/storage/assets")
    public Response listAssets(@HeaderParam("X-Internal-Token") String token, @QueryParam("ownerId") String owner,
            @QueryParam("kind") String kind, @QueryParam("status") String status, @QueryParam("limit") Integer limit,
            @QueryParam("cursor") String cursor) {
        Response denied = unauthorized(token);
        if (denied == null) {
            denied = storageRefusal();
        }
        if (denied != null) {
            return denied;
        }
        List<Map<String, Object>> mine = assets.values().stream().filter(a -> a.get("ownerId").equals(owner))
                .filter(a -> kind == null || kind.equals(a.get("kind"))).filter(a -> status == null || status.equals(a.get("status")))
                .sorted(Comparator.comparing((Map<String, Object> a) -> (String) a.get("createdAt")).reversed()).toList();
        int from = 0;
        if (cursor != null) {
            try {
                from = Integer.parseInt(new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                return Response.status(400).entity(Map.of("error", "Invalid cursor")).build();
            }
        }
        int size = limit == null ? 20 : limit;
        int to = Math.min(mine.size(), from + size);
        String next = to < mine.size() ? Base64.getUrlEncoder().encodeToString(String.valueOf(to).getBytes(StandardCharsets.UTF_8)) : null;
        Map<String, Object> page = new HashMap<>();
        page.put("items", mine.subList(Math.min(from, to), to));
        page.put("nextCursor", next);
        return Response.ok(page).build();
    }

    @GET
    @Path("/storage/assets/{id}")
    public Response getAsset(@HeaderParam("X-Internal-Token") String token, @PathParam("id") UUID id, @QueryParam("ownerId") String owner) {
        Response denied = unauthorized(token);
        if (denied == null) {
            denied = storageRefusal();
        }
        if (denied != null) {
            return denied;
        }
        Map<String, Object> asset = owned(id, owner);
        return asset == null ? Response.status(404).entity(Map.of("error", "Asset not found")).build() : assetAnswer(asset, true);
    }

    @DELETE
    @Path("/storage/assets/{id}")
    public Response deleteAsset(@HeaderParam("X-Internal-Token") String token, @PathParam("id") UUID id,
            @QueryParam("ownerId") String owner) {
        Response denied = unauthorized(token);
        if (denied == null) {
            denied = storageRefusal();
        }
        if (denied != null) {
            return denied;
        }
        Map<String, Object> asset = owned(id, owner);
        if (asset == null) {
            return Response.status(404).entity(Map.of("error", "Asset not found")).build();
        }
        assets.remove(id);
        objects.remove(originalKey(asset));
        return Response.noContent().build();
    }

    /** Lowercase hex SHA-256. */
    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
