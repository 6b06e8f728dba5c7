package io.contentmachine.api.client;

import java.util.List;
import java.util.UUID;

import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.smallrye.mutiny.Uni;
import org.eclipse.microprofile.rest.client.annotation.ClientHeaderParam;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * index-service's internal API: duplicate check and semantic search, always within one owner's projects. Creates call the
 * duplicate check through {@link DuplicateCheck}, which keeps it from slowing them down.
 */
@RegisterRestClient(configKey = "index-service")
@ClientHeaderParam(name = "X-Internal-Token", value = "${internal.token}")
@Path("/index")
public interface IndexClient {

    @POST
    @Path("/duplicates")
    Uni<Duplicates> duplicates(DuplicatesRequest request);

    @POST
    @Path("/search")
    Uni<SearchResults> search(SearchRequest request);

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record DuplicatesRequest(String ownerId, String text, Double threshold) {
    }

    record Duplicates(boolean duplicate, List<Match> matches) {
    }

    record Match(UUID projectId, double score, String topic) {
    }

    record SearchRequest(String ownerId, String text, String field, int limit) {
    }

    record SearchResults(List<SearchResult> results) {
    }

    record SearchResult(UUID projectId, double score, String topic, String title, String status) {
    }
}
