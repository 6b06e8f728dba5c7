package io.contentmachine.sandbox.instagram;

import java.util.List;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** What the Instagram stand-in recorded of comments, read back by tests. */
@Path("/sandbox/instagram")
public class InstagramRecordsResource {

    @Inject
    MediaComments comments;

    /** The comments posted on a media, oldest first. */
    @GET
    @Path("media/{id}/comments")
    @Produces(MediaType.APPLICATION_JSON)
    public List<MediaComments.Comment> comments(@PathParam("id") String mediaId) {
        return comments.of(mediaId);
    }
}
