package io.contentmachine.index.api;

import java.util.List;
import java.util.UUID;

/** Response bodies of the /index endpoints; scores are plain cosine similarities. */
public final class IndexResponses {

    private IndexResponses() {
    }

    public record Duplicates(boolean duplicate, List<Match> matches) {
    }

    public record Match(UUID projectId, double score, String topic) {
    }

    public record Search(List<Result> results) {
    }

    public record Result(UUID projectId, double score, String topic, String title, String status) {
    }

    public record Compare(double score, boolean duplicate) {
    }

    public record AssetSearch(List<AssetMatch> matches) {
    }

    public record AssetMatch(UUID assetId, String kind, double score, String description, List<String> tags) {
    }
}
