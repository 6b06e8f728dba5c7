package io.contentmachine.storage.assets;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/** What an asset is, decided by the content type the owner declares; each kind has one type for its normalised copy. */
public enum AssetKind {

    VIDEO("video", List.of("video/mp4", "video/quicktime"), "video/mp4"),
    IMAGE("image", List.of("image/jpeg", "image/png"), "image/jpeg"),
    AUDIO("audio", List.of("audio/mpeg", "audio/wav"), "audio/mp4");

    /** Every content type an original may have (anything else is 415). */
    public static final List<String> CONTENT_TYPES = Stream.of(values()).flatMap(k -> k.contentTypes.stream()).toList();

    private final String value;
    private final List<String> contentTypes;
    private final String normalisedType;

    AssetKind(String value, List<String> contentTypes, String normalisedType) {
        this.value = value;
        this.contentTypes = contentTypes;
        this.normalisedType = normalisedType;
    }

    /** The name in JSON, the database and events: video, image or audio. */
    public String value() {
        return value;
    }

    /** The content type of the normalised copy render-service makes of this kind. */
    public String normalisedType() {
        return normalisedType;
    }

    /** The kind of an original of {@code contentType} (compared without case), or empty when it is not accepted. */
    public static Optional<AssetKind> ofContentType(String contentType) {
        String type = contentType == null ? "" : contentType.trim().toLowerCase(Locale.ROOT);
        return Stream.of(values()).filter(k -> k.contentTypes.contains(type)).findFirst();
    }

    /** The kind named {@code value}, or empty. */
    public static Optional<AssetKind> of(String value) {
        return Stream.of(values()).filter(k -> k.value.equals(value)).findFirst();
    }
}
