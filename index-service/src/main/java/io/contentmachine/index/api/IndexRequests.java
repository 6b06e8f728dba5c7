package io.contentmachine.index.api;

import java.util.List;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** Request bodies of the /index endpoints. */
public final class IndexRequests {

    static final int MAX_TEXT = 10_000;

    private IndexRequests() {
    }

    public record Duplicates(
            @NotBlank String ownerId,
            @NotBlank @Size(max = MAX_TEXT) String text,
            @DecimalMin("0.0") @DecimalMax("1.0") Double threshold) {
    }

    public record Search(
            @NotBlank String ownerId,
            @NotBlank @Size(max = MAX_TEXT) String text,
            @Min(1) @Max(50) Integer limit,
            @Pattern(regexp = "script|topic", message = "must be script or topic") String field) {
    }

    public record AssetSearch(
            @NotBlank String ownerId,
            @NotBlank @Size(max = MAX_TEXT) String text,
            @Size(max = 3) List<@NotNull @Pattern(regexp = "video|image|audio", message = "must be video, image or audio") String> kinds,
            @Min(1) @Max(50) Integer limit) {
    }

    public record Compare(
            @NotBlank @Size(max = MAX_TEXT) String a,
            @NotBlank @Size(max = MAX_TEXT) String b) {
    }
}
