package io.contentmachine.api.client;

import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;

import org.eclipse.microprofile.faulttolerance.Bulkhead;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.faulttolerance.exceptions.BulkheadException;
import org.eclipse.microprofile.rest.client.annotation.ClientHeaderParam;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.smallrye.faulttolerance.api.AsynchronousNonBlocking;
import io.smallrye.mutiny.Uni;

/**
 * index-service's internal API: duplicate check and semantic search, always within one owner's projects.
 * <p>
 * The duplicate check guards every create, and a create goes on without it (availability over dedup), so the check is
 * kept from slowing creates down: at most {@code api.dedup.concurrency} checks run at once and {@code api.dedup.waiting}
 * wait (8 and 32 by default, per replica; a burst beyond that is answered at once with {@code dedup: skipped} instead of
 * queueing on index-service), a check gives up after 2 s, and when half of the last 10 checks failed the circuit opens
 * for 5 s (creates skip the check without waiting for index-service), then lets one check through to try again.
 */
@RegisterRestClient(configKey = "index-service")
@ClientHeaderParam(name = "X-Internal-Token", value = "${internal.token}")
@Path("/index")
public interface IndexClient {

    @POST
    @Path("/duplicates")
    @AsynchronousNonBlocking
    @Bulkhead(value = 8, waitingTaskQueue = 32)
    @Timeout(value = 2, unit = ChronoUnit.SECONDS)
    // a full bulkhead is our own load, not index-service failing: it must not open the circuit
    @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 5, delayUnit = ChronoUnit.SECONDS, skipOn = BulkheadException.class)
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
