package io.contentmachine.storage.assets;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;

import io.contentmachine.kit.outbox.Outbox;
import io.contentmachine.storage.api.ClientError;
import io.contentmachine.storage.config.StorageConfig;
import io.contentmachine.storage.objects.IoPool;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.panache.common.Parameters;
import io.smallrye.mutiny.Uni;
import org.jboss.logging.Logger;

/**
 * The media library's rows and their life: {@code uploading} (grant handed out) → {@code processing} (original checked,
 * asset.uploaded) → {@code ready} (normalised copy checked, asset.ready), or {@code rejected} / {@code deleted}. Every
 * change of status happens under the row's lock, with its event in the same transaction (the kit's outbox); objects
 * are removed after that commit. Owners see only their own assets: another owner's is "not found".
 */
@ApplicationScoped
public class AssetService {

    private static final Logger LOG = Logger.getLogger(AssetService.class);

    /** An owner id used as it is in object keys; any other is replaced by its SHA-256 there. */
    private static final Pattern KEY_SAFE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,127}");

    private final AssetGrants grants;
    private final AssetObjects objects;
    private final IoPool io;
    private final Outbox outbox;
    private final StorageConfig config;

    AssetService(AssetGrants grants, AssetObjects objects, IoPool io, Outbox outbox, StorageConfig config) {
        this.grants = grants;
        this.objects = objects;
        this.io = io;
        this.outbox = outbox;
        this.config = config;
    }

    /** What an owner declares about a new asset. */
    public record NewAsset(String ownerId, String filename, String contentType, long sizeBytes, String sha256, String description,
            List<String> tags, String license, String attribution) {
    }

    /** A new asset with the grant its original is uploaded with. */
    public record Granted(Asset asset, UUID uploadId, String key, AssetGrants.Grant grant, Instant expiresAt) {
    }

    /** What render-service found in the normalised copy. */
    public record Facts(Integer width, Integer height, Double durationSeconds) {
    }

    /** One page of an owner's assets, newest first; {@code nextCursor} is null on the last page. */
    public record Page(List<Asset> items, String nextCursor) {
    }

    /** A row and, when it is ready, a presigned GET of its normalised copy. */
    public record Viewed(Asset asset, String previewUrl) {
    }

    public Uni<Granted> create(NewAsset request) {
        AssetKind kind = AssetKind.ofContentType(request.contentType()).orElseThrow(() -> new ClientError(
                Response.Status.UNSUPPORTED_MEDIA_TYPE, "contentType must be one of " + AssetKind.CONTENT_TYPES + ", got "
                        + request.contentType()));
        tooLarge(request.sizeBytes());
        Instant now = now();
        Asset asset = new Asset();
        asset.id = UUID.randomUUID();
        asset.ownerId = request.ownerId();
        asset.status = Asset.UPLOADING;
        asset.kind = kind.value();
        asset.filename = request.filename().trim();
        asset.contentType = request.contentType().trim().toLowerCase(Locale.ROOT);
        asset.sizeBytes = request.sizeBytes();
        asset.sha256 = request.sha256();
        asset.description = request.description().trim();
        asset.tags = tags(request.tags());
        asset.license = blankToNull(request.license());
        asset.attribution = blankToNull(request.attribution());
        asset.originalKey = "originals/" + ownerSegment(asset.ownerId) + "/" + asset.id;
        asset.uploadId = UUID.randomUUID();
        asset.createdAt = now;
        asset.updatedAt = now;
        asset.expiresAt = now.plus(config.uploadUrlTtl());
        return io.run(() -> grants.grant(asset.originalKey, asset.sizeBytes, asset.sha256, asset.contentType))
                .chain(grant -> {
                    asset.uploadMethod = grant.method();
                    asset.s3UploadId = grant.s3UploadId();
                    asset.partCount = grant.partCount();
                    return Panache.withTransaction(asset::persist)
                            .invoke(() -> LOG.infof("asset %s of %s: %s upload of %d bytes granted", asset.id, asset.ownerId,
                                    grant.method(), asset.sizeBytes))
                            .replaceWith(new Granted(asset, asset.uploadId, asset.originalKey, grant, asset.expiresAt));
                });
    }

    /**
     * The owner's upload is done: completes a multipart upload, then checks the original against the grant (size and
     * SHA-256). A mismatch is a 409 and the object is removed (the asset stays {@code uploading}, so a single PUT may be
     * sent again while its grant lasts); a match makes it {@code processing} and announces asset.uploaded. Completing again
     * answers the asset as it is.
     */
    public Uni<Asset> complete(UUID id, String ownerId, List<AssetObjects.Part> parts) {
        return owned(id, ownerId).chain(asset -> {
            if (!Asset.UPLOADING.equals(asset.status)) {
                return Asset.REJECTED.equals(asset.status)
                        ? Uni.createFrom().failure(conflict("asset " + id + " was rejected: " + asset.reason))
                        : Uni.createFrom().item(asset);
            }
            return io.run(() -> {
                if (AssetGrants.MULTIPART.equals(asset.uploadMethod)) {
                    objects.complete(asset.originalKey, asset.s3UploadId, asset.partCount, parts);
                }
                String mismatch = objects.mismatch(asset.originalKey, asset.sizeBytes, asset.sha256);
                if (mismatch != null) {
                    objects.remove(asset.originalKey, null);
                }
                return mismatch;
            }).chain(mismatch -> {
                if (mismatch != null) {
                    LOG.infof("asset %s: the upload does not match its grant (%s); object removed", id, mismatch);
                    return Uni.createFrom().failure(conflict("the uploaded object does not match the grant: " + mismatch
                            + "; it was removed"));
                }
                return Panache.withTransaction(() -> Asset.locked(id).chain(locked -> {
                    if (locked == null || Asset.DELETED.equals(locked.status)) {
                        return Uni.createFrom().failure(notFound(id));
                    }
                    if (!Asset.UPLOADING.equals(locked.status)) {
                        return Uni.createFrom().item(locked);
                    }
                    locked.status = Asset.PROCESSING;
                    locked.uploadedAt = now();
                    locked.updatedAt = locked.uploadedAt;
                    return outbox.add(AssetEvents.UPLOADED, AssetEvents.eventId(AssetEvents.UPLOADED, id), id, AssetEvents.uploaded(locked))
                            .invoke(() -> LOG.infof("asset %s: original verified (%d bytes), processing", id, locked.sizeBytes))
                            .replaceWith(locked);
                }));
            });
        });
    }

    /** The owner's asset (404 for another owner's or a deleted one), with a preview URL when it is ready. */
    public Uni<Viewed> get(UUID id, String ownerId) {
        return owned(id, ownerId).chain(asset -> Asset.READY.equals(asset.status)
                ? io.run(() -> objects.presignGet(asset.normalisedKey, asset.normalisedContentType, config.assets().previewTtl()))
                        .map(url -> new Viewed(asset, url))
                : Uni.createFrom().item(new Viewed(asset, null)));
    }

    /**
     * A page of the owner's assets, newest first, optionally of one kind, status and tag; deleted assets only when asked for
     * by {@code status=deleted}. The cursor is opaque to callers (the last item's creation time and id).
     */
    public Uni<Page> list(String ownerId, AssetKind kind, String status, String tag, int limit, String cursor) {
        StringBuilder query = new StringBuilder("ownerId = :owner");
        Parameters params = Parameters.with("owner", ownerId);
        if (kind != null) {
            query.append(" and kind = :kind");
            params.and("kind", kind.value());
        }
        if (status != null) {
            query.append(" and status = :status");
            params.and("status", status);
        } else {
            query.append(" and status <> :deleted");
            params.and("deleted", Asset.DELETED);
        }
        if (tag != null) {
            query.append(" and array_contains(tags, :tag)");
            params.and("tag", tag.trim().toLowerCase(Locale.ROOT));
        }
        if (cursor != null) {
            AssetCursor after = AssetCursor.parse(cursor);
            query.append(" and (createdAt < :at or (createdAt = :at and id < :id))");
            params.and("at", after.createdAt()).and("id", after.id());
        }
        query.append(" order by createdAt desc, id desc");
        return Panache.withSession(() -> Asset.<Asset>find(query.toString(), params).page(0, limit + 1).list())
                .map(rows -> {
                    if (rows.size() <= limit) {
                        return new Page(rows, null);
                    }
                    List<Asset> page = new ArrayList<>(rows.subList(0, limit));
                    Asset last = page.get(limit - 1);
                    return new Page(page, new AssetCursor(last.createdAt, last.id).encode());
                });
    }

    /**
     * The owner deletes the asset: the row becomes {@code deleted} with asset.deleted in the outbox, then its objects
     * are removed. Deleting again, or an asset already deleted, is fine.
     */
    public Uni<Void> delete(UUID id, String ownerId) {
        return Panache.withTransaction(() -> Asset.locked(id).chain(asset -> {
            if (asset == null || !asset.ownerId.equals(ownerId)) {
                return Uni.createFrom().failure(notFound(id));
            }
            if (Asset.DELETED.equals(asset.status)) {
                return Uni.createFrom().item(asset);
            }
            asset.status = Asset.DELETED;
            asset.updatedAt = now();
            return outbox.add(AssetEvents.DELETED, AssetEvents.eventId(AssetEvents.DELETED + "/owner", id), id,
                    AssetEvents.deleted(asset, "owner", asset.updatedAt)).replaceWith(asset);
        })).chain(asset -> io.run(() -> {
            objects.removeAll(asset);
            return null;
        })).invoke(() -> LOG.infof("asset %s: deleted by its owner, objects removed", id)).replaceWithVoid();
    }

    /** A presigned GET of the original (once uploaded) or the normalised copy (once ready), for render-service. */
    public Uni<String> url(UUID id, boolean normalised, Duration ttl) {
        return existing(id).chain(asset -> {
            if (normalised && !Asset.READY.equals(asset.status)) {
                return Uni.createFrom().failure(conflict("asset " + id + " is " + asset.status + ": it has no normalised copy"));
            }
            if (!normalised && !Asset.PROCESSING.equals(asset.status) && !Asset.READY.equals(asset.status)) {
                return Uni.createFrom().failure(conflict("asset " + id + " is " + asset.status + ": its original cannot be read"));
            }
            return io.run(() -> normalised ? objects.presignGet(asset.normalisedKey, asset.normalisedContentType, ttl)
                    : objects.presignGet(asset.originalKey, asset.contentType, ttl));
        });
    }

    /**
     * A grant for render-service's normalised copy of a {@code processing} asset, at normalised/{owner}/{assetId}; its
     * content type must be the kind's (video/mp4, image/jpeg, audio/mp4). A new grant replaces an earlier one.
     */
    public Uni<Granted> normalisedGrant(UUID id, long sizeBytes, String sha256, String contentType) {
        tooLarge(sizeBytes);
        return existing(id).chain(asset -> {
            if (!Asset.PROCESSING.equals(asset.status)) {
                return Uni.createFrom().failure(conflict("asset " + id + " is " + asset.status + ": only a processing asset is"
                        + " normalised"));
            }
            String expected = AssetKind.of(asset.kind).orElseThrow().normalisedType();
            if (!expected.equals(contentType == null ? null : contentType.trim().toLowerCase(Locale.ROOT))) {
                return Uni.createFrom().failure(new ClientError(Response.Status.UNSUPPORTED_MEDIA_TYPE, "the normalised copy of "
                        + asset.kind + " asset must be " + expected + ", got " + contentType));
            }
            String key = "normalised/" + ownerSegment(asset.ownerId) + "/" + id;
            String previous = asset.normalisedS3UploadId;
            return io.run(() -> {
                if (previous != null) {
                    // an earlier grant's multipart upload (render-service retried) would otherwise stay open
                    objects.remove(key, previous);
                }
                return grants.grant(key, sizeBytes, sha256, expected);
            }).chain(grant -> Panache.withTransaction(() -> Asset.locked(id).chain(locked -> {
                if (locked == null || !Asset.PROCESSING.equals(locked.status)) {
                    return Uni.createFrom().failure(conflict("asset " + id + " is no longer processing"));
                }
                locked.normalisedKey = key;
                locked.normalisedUploadId = UUID.randomUUID();
                locked.normalisedContentType = expected;
                locked.normalisedSizeBytes = sizeBytes;
                locked.normalisedSha256 = sha256;
                locked.normalisedMethod = grant.method();
                locked.normalisedS3UploadId = grant.s3UploadId();
                locked.normalisedPartCount = grant.partCount();
                locked.updatedAt = now();
                return Uni.createFrom().item(new Granted(locked, locked.normalisedUploadId, key, grant,
                        locked.updatedAt.plus(config.uploadUrlTtl())));
            })));
        });
    }

    /**
     * render-service uploaded the normalised copy: completes its multipart upload, checks it against its grant (409 and
     * the copy removed otherwise), then the asset is {@code ready} with the facts given and asset.ready is announced.
     */
    public Uni<Asset> ready(UUID id, Facts facts, List<AssetObjects.Part> parts) {
        return existing(id).chain(asset -> {
            if (Asset.READY.equals(asset.status)) {
                return Uni.createFrom().item(asset);
            }
            if (!Asset.PROCESSING.equals(asset.status)) {
                return Uni.createFrom().failure(conflict("asset " + id + " is " + asset.status + ": it cannot become ready"));
            }
            if (asset.normalisedKey == null) {
                return Uni.createFrom().failure(conflict("asset " + id + " has no normalised copy: ask for its grant first"));
            }
            return io.run(() -> {
                if (AssetGrants.MULTIPART.equals(asset.normalisedMethod)) {
                    objects.complete(asset.normalisedKey, asset.normalisedS3UploadId, asset.normalisedPartCount, parts);
                }
                String mismatch = objects.mismatch(asset.normalisedKey, asset.normalisedSizeBytes, asset.normalisedSha256);
                if (mismatch != null) {
                    objects.remove(asset.normalisedKey, null);
                }
                return mismatch;
            }).chain(mismatch -> mismatch != null
                    ? Uni.createFrom().failure(conflict("the normalised copy does not match its grant: " + mismatch + "; it was removed"))
                    : Panache.withTransaction(() -> Asset.locked(id).chain(locked -> {
                        if (Asset.READY.equals(locked.status)) {
                            return Uni.createFrom().item(locked);
                        }
                        if (!Asset.PROCESSING.equals(locked.status)) {
                            return Uni.createFrom().failure(conflict("asset " + id + " is " + locked.status + ": it cannot become ready"));
                        }
                        locked.status = Asset.READY;
                        locked.width = facts.width();
                        locked.height = facts.height();
                        locked.durationSeconds = facts.durationSeconds();
                        locked.readyAt = now();
                        locked.updatedAt = locked.readyAt;
                        return outbox.add(AssetEvents.READY, AssetEvents.eventId(AssetEvents.READY, id), id, AssetEvents.ready(locked))
                                .invoke(() -> LOG.infof("asset %s: normalised copy verified, ready", id))
                                .replaceWith(locked);
                    })));
        });
    }

    /**
     * render-service found the asset unusable: it becomes {@code rejected} with the reason and its objects are removed.
     * An asset that had been announced ready is also announced deleted, so that nothing keeps using it.
     */
    public Uni<Asset> rejected(UUID id, String reason) {
        return Panache.withTransaction(() -> Asset.locked(id).chain(asset -> {
            if (asset == null) {
                return Uni.createFrom().failure(ClientError.notFound("No asset " + id));
            }
            if (Asset.REJECTED.equals(asset.status)) {
                return Uni.createFrom().item(asset);
            }
            if (!Asset.PROCESSING.equals(asset.status) && !Asset.READY.equals(asset.status)) {
                return Uni.createFrom().failure(conflict("asset " + id + " is " + asset.status + ": it cannot be rejected"));
            }
            boolean announced = Asset.READY.equals(asset.status);
            asset.status = Asset.REJECTED;
            asset.reason = reason.trim();
            asset.updatedAt = now();
            Uni<Void> event = announced ? outbox.add(AssetEvents.DELETED, AssetEvents.eventId(AssetEvents.DELETED + "/rejected", id), id,
                    AssetEvents.deleted(asset, "rejected", asset.updatedAt)) : Uni.createFrom().voidItem();
            return event.invoke(() -> LOG.infof("asset %s rejected: %s", id, asset.reason)).replaceWith(asset);
        })).call(asset -> io.run(() -> {
            objects.removeAll(asset);
            return null;
        }));
    }

    /** The asset if it exists and is not deleted (render-service's calls), else 404. */
    private Uni<Asset> existing(UUID id) {
        return Panache.withSession(() -> Asset.<Asset>findById(id)).chain(asset -> asset == null || Asset.DELETED.equals(asset.status)
                ? Uni.createFrom().failure(notFound(id)) : Uni.createFrom().item(asset));
    }

    /** The owner's asset unless deleted; another owner's is "not found" like a missing one. */
    private Uni<Asset> owned(UUID id, String ownerId) {
        return existing(id).chain(asset -> asset.ownerId.equals(ownerId) ? Uni.createFrom().item(asset)
                : Uni.createFrom().failure(notFound(id)));
    }

    private void tooLarge(long sizeBytes) {
        long max = config.assets().maxSizeBytes();
        if (sizeBytes > max) {
            throw new ClientError(Response.Status.REQUEST_ENTITY_TOO_LARGE, "sizeBytes " + sizeBytes + " exceeds the limit of " + max
                    + " bytes");
        }
    }

    private static ClientError notFound(UUID id) {
        return ClientError.notFound("No asset " + id);
    }

    private static ClientError conflict(String message) {
        return new ClientError(Response.Status.CONFLICT, message);
    }

    /** Timestamps at the database's precision, so that a cursor made from a row finds the same row again. */
    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }

    /** Tags trimmed, lowercased and without repeats, in the owner's order. */
    private static String[] tags(List<String> tags) {
        if (tags == null) {
            return new String[0];
        }
        LinkedHashSet<String> clean = new LinkedHashSet<>();
        for (String tag : tags) {
            clean.add(tag.trim().toLowerCase(Locale.ROOT));
        }
        return clean.toArray(String[]::new);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    /** The owner's folder in object keys: the id itself where it is plainly key-safe, else its SHA-256. */
    static String ownerSegment(String ownerId) {
        if (KEY_SAFE.matcher(ownerId).matches() && !ownerId.contains("..")) {
            return ownerId;
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(ownerId.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
