package io.contentmachine.api.client;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.contentmachine.api.domain.Caller;
import io.contentmachine.api.domain.ProjectQueries;
import io.contentmachine.events.types.PublishRequest;
import io.smallrye.mutiny.Uni;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * Publishing a stored video, and previewing what each platform would receive: publish-service decides both, so its answer
 * passes through to the caller as it is ({@link Downstream}).
 */
@ApplicationScoped
public class VideoPublishing {

    private static final String SERVICE = "Publishing";

    private final ProjectQueries projects;
    private final PublishClient publish;
    private final ObjectMapper mapper;

    VideoPublishing(ProjectQueries projects, @RestClient PublishClient publish, ObjectMapper mapper) {
        this.projects = projects;
        this.publish = publish;
        this.mapper = mapper;
    }

    /** One publishing per platform of the caller's stored video; {@code republish} posts again where it was published. */
    public Uni<Response> publish(Caller caller, UUID projectId, PublishRequest request, boolean republish) {
        return projects.stored(caller, projectId).chain(project -> {
            ObjectNode forward = mapper.valueToTree(request);
            forward.put("ownerId", project.ownerId);
            if (republish) {
                forward.put("republish", true);
            }
            return Downstream.pass(publish.publish(projectId, forward), SERVICE);
        });
    }

    /** What each platform would receive: the video's metadata with the request's override, adapted by publish-service. */
    public Uni<Response> preview(Caller caller, UUID projectId, PublishRequest request) {
        return projects.stored(caller, projectId).chain(project -> {
            ObjectNode forward = mapper.createObjectNode();
            forward.put("ownerId", project.ownerId);
            forward.set("platforms", mapper.valueToTree(request.getPlatforms()));
            if (request.getMetadata() != null) {
                forward.set("metadata", mapper.valueToTree(request.getMetadata()));
            }
            return Downstream.pass(publish.preview(projectId, forward), SERVICE);
        });
    }
}
