package io.contentmachine.storage.assets;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.contentmachine.events.AssetDeleted;
import io.contentmachine.events.AssetReady;
import io.contentmachine.events.AssetUploaded;

/**
 * Builds the asset events from a row. Their eventIds are derived from the asset (name-based), so that each
 * announcement has one id however often the request that causes it is retried.
 */
final class AssetEvents {

    static final String UPLOADED = "asset.uploaded";
    static final String READY = "asset.ready";
    static final String DELETED = "asset.deleted";

    private AssetEvents() {
    }

    static UUID eventId(String what, UUID assetId) {
        return UUID.nameUUIDFromBytes((what + "/" + assetId).getBytes(StandardCharsets.UTF_8));
    }

    static AssetUploaded uploaded(Asset asset) {
        AssetUploaded event = new AssetUploaded();
        event.setEventId(eventId(UPLOADED, asset.id));
        event.setAssetId(asset.id);
        event.setOwnerId(asset.ownerId);
        event.setOccurredAt(asset.uploadedAt);
        event.setKind(AssetUploaded.Kind.fromValue(asset.kind));
        event.setContentType(asset.contentType);
        // the contract's sizeBytes is an Integer; storage.assets.max-size-bytes keeps assets below 2 GiB
        event.setSizeBytes(asset.sizeBytes);
        event.setSha256(asset.sha256);
        return event;
    }

    static AssetReady ready(Asset asset) {
        AssetReady event = new AssetReady();
        event.setEventId(eventId(READY, asset.id));
        event.setAssetId(asset.id);
        event.setOwnerId(asset.ownerId);
        event.setOccurredAt(asset.readyAt);
        event.setKind(AssetReady.Kind.fromValue(asset.kind));
        event.setDescription(asset.description);
        event.setTags(asset.tags == null ? List.of() : List.of(asset.tags));
        event.setDurationSeconds(asset.durationSeconds);
        event.setWidth(asset.width);
        event.setHeight(asset.height);
        return event;
    }

    /** asset.deleted; {@code why} tells an owner's deletion from a rejection after asset.ready, which have their own ids. */
    static AssetDeleted deleted(Asset asset, String why, Instant at) {
        AssetDeleted event = new AssetDeleted();
        event.setEventId(eventId(DELETED + "/" + why, asset.id));
        event.setAssetId(asset.id);
        event.setOwnerId(asset.ownerId);
        event.setOccurredAt(at);
        event.setKind(AssetDeleted.Kind.fromValue(asset.kind));
        return event;
    }
}
