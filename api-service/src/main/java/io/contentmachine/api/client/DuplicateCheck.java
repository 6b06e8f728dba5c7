package io.contentmachine.api.client;

import java.time.temporal.ChronoUnit;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.faulttolerance.api.AsynchronousNonBlocking;
import io.smallrye.mutiny.Uni;
import org.eclipse.microprofile.faulttolerance.Bulkhead;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.faulttolerance.exceptions.BulkheadException;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * index-service's duplicate check, as every create calls it. A create goes on without the check (availability over dedup),
 * so the check is kept from slowing creates down: at most {@code api.dedup.concurrency} checks run at once and
 * {@code api.dedup.waiting} wait (8 and 32 by default, per replica; a burst beyond that fails at once with a
 * BulkheadException instead of queueing on index-service, whose embeddings share its cores), a check gives up after 2 s,
 * and when half of the last 10 checks failed the circuit opens for 5 s (CircuitBreakerOpenException without asking
 * index-service), then lets one check through to try again.
 */
@ApplicationScoped
public class DuplicateCheck {

    private final IndexClient index;

    DuplicateCheck(@RestClient IndexClient index) {
        this.index = index;
    }

    @AsynchronousNonBlocking
    @Bulkhead(value = 8, waitingTaskQueue = 32)
    @Timeout(value = 2, unit = ChronoUnit.SECONDS)
    // a full bulkhead is this replica's own load, not index-service failing: it must not open the circuit
    @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 5, delayUnit = ChronoUnit.SECONDS,
            skipOn = BulkheadException.class)
    public Uni<IndexClient.Duplicates> check(String ownerId, String text, Double threshold) {
        return index.duplicates(new IndexClient.DuplicatesRequest(ownerId, text, threshold));
    }
}
