package io.contentmachine.api.domain;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;

import com.fasterxml.jackson.databind.JsonNode;
import io.contentmachine.api.client.StorageClient;
import io.smallrye.mutiny.Uni;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

/**
 * The owner's media library, kept by storage-service (rows, bucket, upload grants): the gateway keeps nothing of it and only
 * puts the caller's owner on every call, so another owner's asset is as missing as one that never was. storage-service's
 * refusals become the domain's (the same status and words reach the caller); storage down or slow is Unavailable.
 */
@ApplicationScoped
public class AssetLibrary {

    private static final Logger LOG = Logger.getLogger(AssetLibrary.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final Duration RETRY_FIRST = Duration.ofMillis(100);
    private static final Duration RETRY_MAX = Duration.ofMillis(500);
    private static final String UNAVAILABLE = "Storage unavailable, try again shortly";

    private final StorageClient storage;

    AssetLibrary(@RestClient StorageClient storage) {
        this.storage = storage;
    }

    /** Registers the asset (status uploading) and returns where to PUT its bytes. */
    public Uni<StorageClient.CreatedAsset> create(Caller caller, NewAsset asset) {
        StorageClient.NewAssetBody body = new StorageClient.NewAssetBody(caller.ownerId(), asset.filename(), asset.contentType(),
                asset.sizeBytes(), asset.sha256(), asset.description(), asset.tags(), asset.license(), asset.attribution());
        return guarded(false, () -> storage.createAsset(body));
    }

    /** The bytes are up: storage checks them against the grant and the asset goes on to processing. */
    public Uni<StorageClient.Asset> complete(Caller caller, UUID id, List<StorageClient.PartEtag> parts) {
        return guarded(false, () -> storage.completeAsset(id, new StorageClient.CompleteBody(caller.ownerId(), parts)));
    }

    /** A page of the caller's assets, newest first. */
    public Uni<StorageClient.AssetPage> list(Caller caller, String kind, String status, int limit, String cursor) {
        return guarded(true, () -> storage.assets(caller.ownerId(), kind, status, limit, cursor));
    }

    /** One of the caller's assets, with a preview URL once it is ready. */
    public Uni<StorageClient.Asset> get(Caller caller, UUID id) {
        return guarded(true, () -> storage.asset(id, caller.ownerId()));
    }

    /** Removes the caller's asset and its files. */
    public Uni<Void> delete(Caller caller, UUID id) {
        return guarded(true, () -> storage.deleteAsset(id, caller.ownerId()));
    }

    /**
     * Passes when {@code id} is a ready audio asset of the caller (a music bed a render can use); else an InvalidRequest saying what
     * it is instead, on {@code field}.
     */
    public Uni<Void> requireReadyAudio(Caller caller, UUID id, String field) {
        return get(caller, id)
                .onFailure(DomainException.NotFound.class).transform(e -> new DomainException.InvalidRequest("Validation failed",
                        List.of(field + ": no asset " + id + " in your media library")))
                .invoke(asset -> {
                    List<String> problems = new ArrayList<>();
                    if (!"audio".equals(asset.kind())) {
                        problems.add(field + ": asset " + id + " is " + asset.kind() + ", not audio");
                    }
                    if (!"ready".equals(asset.status())) {
                        problems.add(field + ": asset " + id + " is " + asset.status() + ", not ready"
                                + ("uploading".equals(asset.status()) || "processing".equals(asset.status()) ? " yet" : ""));
                    }
                    if (!problems.isEmpty()) {
                        throw new DomainException.InvalidRequest("Validation failed", problems);
                    }
                })
                .replaceWithVoid();
    }

    /**
     * A call to storage-service (made lazily, so a synchronous failure is handled the same), its refusals in the domain's terms;
     * an idempotent one is tried twice more, shortly after, when storage gave no answer or a 5xx (a restart, a blip).
     */
    private static <T> Uni<T> guarded(boolean idempotent, Supplier<Uni<? extends T>> call) {
        Uni<T> attempt = Uni.createFrom().<T>deferred(call);
        if (idempotent) {
            attempt = attempt.onFailure(AssetLibrary::unanswered).retry().withBackOff(RETRY_FIRST, RETRY_MAX).atMost(2);
        }
        return attempt
                .ifNoItem().after(TIMEOUT).fail()
                .onFailure(e -> !(e instanceof DomainException)).transform(AssetLibrary::refusal);
    }

    private static boolean unanswered(Throwable failure) {
        return !(failure instanceof WebApplicationException web) || web.getResponse() == null || web.getResponse().getStatus() >= 500;
    }

    private static DomainException refusal(Throwable failure) {
        if (!(failure instanceof WebApplicationException web) || web.getResponse() == null) {
            LOG.warnf("storage-service unavailable: %s", failure.toString());
            return new DomainException.Unavailable(UNAVAILABLE);
        }
        int status = web.getResponse().getStatus();
        if (status >= 500 || status == 401 || status == 403) {
            // 401/403 mean our internal token is wrong: the caller cannot fix that
            LOG.warnf("storage-service answered %d", status);
            return new DomainException.Unavailable(UNAVAILABLE);
        }
        JsonNode body = null;
        try {
            body = web.getResponse().readEntity(JsonNode.class);
        } catch (RuntimeException e) {
            body = null;
        }
        String error = body != null && body.path("error").isTextual() ? body.path("error").asText() : null;
        List<String> details = new ArrayList<>();
        if (body != null) {
            body.path("details").forEach(d -> details.add(d.asText()));
        }
        return switch (status) {
            case 404 -> new DomainException.NotFound(error == null ? "Not found" : error);
            case 409 -> new DomainException.Conflict(error == null ? "Conflict" : error, details);
            case 413 -> new DomainException.TooLarge(error == null ? "File too large" : error, details);
            case 415 -> new DomainException.UnsupportedType(error == null ? "Unsupported content type" : error, details);
            default -> new DomainException.InvalidRequest(error == null ? "Invalid request" : error, details);
        };
    }
}
