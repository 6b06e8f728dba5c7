package io.contentmachine.kit.deadletters;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.contentmachine.kit.errors.ErrorResponse;
import io.smallrye.common.annotation.Blocking;

/**
 * The operators' view of this service's dead letters (behind the internal token, like every {@code /admin} path): how many
 * wait on each dead-letter topic, and their replay through the consumer that refused them. deploy/dead-letters calls it.
 */
@Path("/admin/dead-letters")
@Produces(MediaType.APPLICATION_JSON)
public class DeadLetterResource {

    private final DeadLetters deadLetters;

    DeadLetterResource(DeadLetters deadLetters) {
        this.deadLetters = deadLetters;
    }

    /** This service's dead-letter topics, each with the letters not replayed yet. */
    @GET
    @Blocking
    public Response topics() {
        try {
            return Response.ok(Map.of("topics", deadLetters.topics())).build();
        } catch (DeadLetters.Unavailable e) {
            return ErrorResponse.of(e.getMessage()).toResponse(Response.Status.SERVICE_UNAVAILABLE);
        }
    }

    /** Replays the dead letters of one topic ({@code ?topic=}), or of every topic, through the normal idempotent path. */
    @POST
    @Path("/replay")
    @Blocking
    public Response replay(@QueryParam("topic") String topic) {
        if (topic != null && !deadLetters.owns(topic)) {
            return ErrorResponse.of("Not a dead-letter topic of this service", "topic: " + topic)
                    .toResponse(Response.Status.NOT_FOUND);
        }
        try {
            Map<String, Long> replayed = new LinkedHashMap<>();
            for (DeadLetters.Topic each : deadLetters.topics()) {
                if (topic != null && each.topic().equals(topic) && !each.replayable()) {
                    return ErrorResponse.of("The consumer does not read this topic's replay topic", "subscribe channel "
                            + each.channel() + " to " + each.replayTopic()).toResponse(Response.Status.CONFLICT);
                }
                if (each.replayable() && (topic == null || each.topic().equals(topic))) {
                    replayed.put(each.topic(), deadLetters.replay(each.topic()));
                }
            }
            return Response.ok(Map.of("replayed", replayed)).build();
        } catch (DeadLetters.Unavailable e) {
            return ErrorResponse.of(e.getMessage()).toResponse(Response.Status.SERVICE_UNAVAILABLE);
        }
    }
}
