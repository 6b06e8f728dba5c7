package io.contentmachine.index.api;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.contentmachine.index.project.ProjectIndex;
import io.contentmachine.index.store.SearchHit;
import io.contentmachine.index.store.VectorField;
import io.contentmachine.index.store.VectorStore;
import io.smallrye.common.annotation.Blocking;

/** Duplicate detection, semantic search and text comparison for the gateway (internal token required). */
@Path("/index")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class IndexResource {

    static final int DEFAULT_LIMIT = 5;

    private final ProjectIndex index;

    public IndexResource(ProjectIndex index) {
        this.index = index;
    }

    /** The owner's projects whose topic is at least {@code threshold} similar to the text (only that owner's, ever). */
    @POST
    @Path("/duplicates")
    public IndexResponses.Duplicates duplicates(@NotNull @Valid IndexRequests.Duplicates request) {
        ProjectIndex.DuplicateCheck check = index.duplicates(request.ownerId(), request.text(), request.threshold());
        return new IndexResponses.Duplicates(check.duplicate(), check.matches().stream()
                .map(hit -> new IndexResponses.Match(hit.projectId(), hit.score(), hit.payload().get(VectorStore.TOPIC)))
                .toList());
    }

    /** The owner's projects nearest to the text by their script (default) or topic vector, best first. */
    @POST
    @Path("/search")
    public IndexResponses.Search search(@NotNull @Valid IndexRequests.Search request) {
        VectorField field = "topic".equals(request.field()) ? VectorField.TOPIC : VectorField.SCRIPT;
        int limit = request.limit() == null ? DEFAULT_LIMIT : request.limit();
        return new IndexResponses.Search(index.search(request.ownerId(), request.text(), field, limit).stream()
                .map(IndexResource::result)
                .toList());
    }

    /** Cosine similarity of two texts and whether they are duplicates at the default threshold. */
    @POST
    @Path("/compare")
    public IndexResponses.Compare compare(@NotNull @Valid IndexRequests.Compare request) {
        ProjectIndex.Comparison comparison = index.compare(request.a(), request.b());
        return new IndexResponses.Compare(comparison.score(), comparison.duplicate());
    }

    private static IndexResponses.Result result(SearchHit hit) {
        return new IndexResponses.Result(hit.projectId(), hit.score(), hit.payload().get(VectorStore.TOPIC),
                hit.payload().get(VectorStore.TITLE), hit.payload().get(VectorStore.STATUS));
    }
}
