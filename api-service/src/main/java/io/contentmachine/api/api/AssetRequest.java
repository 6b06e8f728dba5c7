package io.contentmachine.api.api;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.regex.Pattern;

import io.contentmachine.api.client.StorageClient;
import io.contentmachine.api.domain.NewAsset;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Body of POST /api/assets, with the rules a body can be checked against on its own (each broken one named in a 400). */
@Schema(name = "AssetRequest", description = "A file to add to the media library; its bytes go straight to S3 with the answer's grant.")
public class AssetRequest extends StrictJson {

    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    @Schema(required = true, maxLength = NewAsset.MAX_FILENAME, examples = "harbour-at-dawn.mp4")
    public String filename;

    @Schema(required = true, description = "video/mp4, video/quicktime, image/jpeg, image/png, audio/mpeg or audio/wav (else 415).",
            examples = "video/mp4")
    public String contentType;

    @Schema(required = true, minimum = "1", description = "Exact size of the file in bytes (over the library's limit: 413).",
            examples = "7340032")
    public Long sizeBytes;

    @Schema(required = true, description = "SHA-256 of the file, 64 lowercase hex digits: S3 checks the bytes against it.",
            examples = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")
    public String sha256;

    @Schema(maxLength = NewAsset.MAX_DESCRIPTION, description = "What the file shows or sounds like; scenes are matched against it.",
            examples = "Fishing boats leaving a harbour at dawn, slow pan")
    public String description;

    @Schema(description = "At most 20 tags of 1-50 characters; a music bed can be asked for by tag.", examples = "[\"harbour\", \"calm\"]")
    public List<String> tags;

    @Schema(maxLength = NewAsset.MAX_CREDIT, examples = "CC BY 4.0")
    public String license;

    @Schema(maxLength = NewAsset.MAX_CREDIT, examples = "Photo: A. Person")
    public String attribution;

    /** This body as a new asset; 400 naming every broken rule. */
    NewAsset toNewAsset() {
        List<String> details = new ArrayList<>();
        String name = filename == null ? null : filename.strip();
        if (name == null || name.isEmpty()) {
            details.add("filename: required, must not be blank");
        } else if (name.length() > NewAsset.MAX_FILENAME) {
            details.add("filename: at most " + NewAsset.MAX_FILENAME + " characters");
        } else if (name.contains("/") || name.contains("\\") || name.chars().anyMatch(Character::isISOControl)) {
            details.add("filename: a file name, without path separators or control characters");
        }
        if (contentType == null || contentType.isBlank()) {
            details.add("contentType: required, e.g. video/mp4, image/jpeg or audio/mpeg");
        }
        if (sizeBytes == null || sizeBytes < 1) {
            details.add("sizeBytes: required, at least 1");
        }
        if (sha256 == null || !SHA256.matcher(sha256).matches()) {
            details.add("sha256: required, 64 lowercase hex digits");
        }
        String about = blankToNull(description);
        if (about != null && about.length() > NewAsset.MAX_DESCRIPTION) {
            details.add("description: at most " + NewAsset.MAX_DESCRIPTION + " characters");
        }
        List<String> cleanTags = new ArrayList<>();
        if (tags != null) {
            LinkedHashSet<String> unique = new LinkedHashSet<>();
            for (String tag : tags) {
                String t = tag == null ? "" : tag.strip();
                if (t.isEmpty() || t.length() > NewAsset.MAX_TAG) {
                    details.add("tags: each tag 1 to " + NewAsset.MAX_TAG + " characters");
                    break;
                }
                unique.add(t);
            }
            if (unique.size() > NewAsset.MAX_TAGS) {
                details.add("tags: at most " + NewAsset.MAX_TAGS);
            }
            cleanTags.addAll(unique);
        }
        String credit = blankToNull(license);
        if (credit != null && credit.length() > NewAsset.MAX_CREDIT) {
            details.add("license: at most " + NewAsset.MAX_CREDIT + " characters");
        }
        String by = blankToNull(attribution);
        if (by != null && by.length() > NewAsset.MAX_CREDIT) {
            details.add("attribution: at most " + NewAsset.MAX_CREDIT + " characters");
        }
        if (!details.isEmpty()) {
            throw ApiException.badRequest("Validation failed", details);
        }
        return new NewAsset(name, contentType.strip(), sizeBytes, sha256, about, cleanTags, credit, by);
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text.strip();
    }

    /** Body of POST /api/assets/{id}/complete. */
    @Schema(name = "AssetCompletion", description = "{} after a single PUT; after a multipart upload, every part with its ETag.")
    public static class Completion extends StrictJson {

        public List<Part> parts;

        /** The parts, checked; null when there are none. */
        List<StorageClient.PartEtag> toParts() {
            if (parts == null || parts.isEmpty()) {
                return null;
            }
            List<String> details = new ArrayList<>();
            List<StorageClient.PartEtag> out = new ArrayList<>();
            for (int i = 0; i < parts.size(); i++) {
                Part part = parts.get(i);
                if (part != null && !part.undeclaredFields().isEmpty()) {
                    details.add("parts[" + i + "]: unknown fields " + String.join(", ", part.undeclaredFields()));
                } else if (part == null || part.partNumber == null || part.partNumber < 1 || part.partNumber > 10_000) {
                    details.add("parts[" + i + "].partNumber: 1 to 10000");
                } else if (part.etag == null || part.etag.isBlank() || part.etag.length() > 200) {
                    details.add("parts[" + i + "].etag: required, the ETag S3 answered for the part");
                } else {
                    out.add(new StorageClient.PartEtag(part.partNumber, part.etag.strip()));
                }
            }
            if (!details.isEmpty()) {
                throw ApiException.badRequest("Validation failed", details);
            }
            return out;
        }
    }

    /** One uploaded part. */
    @Schema(name = "AssetPart")
    public static class Part extends StrictJson {

        public Integer partNumber;

        public String etag;
    }
}
