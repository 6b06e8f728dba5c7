package io.contentmachine.api.domain;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import io.contentmachine.api.client.IndexClient;
import io.smallrye.mutiny.Uni;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/** Semantic search over one owner's scripts or topics, answered by index-service; down or slow, it is unavailable, not a hang. */
@ApplicationScoped
public class ScriptSearch {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final IndexClient index;

    ScriptSearch(@RestClient IndexClient index) {
        this.index = index;
    }

    /** The caller's projects nearest {@code text} by {@code field} (script or topic), at most {@code limit}, best first. */
    public Uni<IndexClient.SearchResults> search(Caller caller, String text, String field, int limit) {
        return index.search(new IndexClient.SearchRequest(caller.ownerId(), text, field, limit))
                .ifNoItem().after(TIMEOUT).fail()
                .onFailure().transform(e -> new DomainException.Unavailable("Search unavailable, try again shortly"));
    }
}
