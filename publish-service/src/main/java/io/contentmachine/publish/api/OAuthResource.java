package io.contentmachine.publish.api;

import java.time.Instant;
import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.contentmachine.kit.errors.ErrorResponse;
import io.contentmachine.publish.accounts.OAuthConnector;
import io.contentmachine.publish.domain.Platform;
import io.contentmachine.publish.platform.OAuthRefused;
import io.contentmachine.publish.platform.PlatformException;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import org.jboss.logging.Logger;

/**
 * The OAuth connect flow. {@code start} (internal, for the gateway) hands out the platform's consent URL with a
 * single-use state; {@code callback} is the one public route: the platform sends the owner's browser back to it
 * (through the gateway) with a code, which is exchanged for tokens and stored as the owner's connected account.
 */
@Path("/publish/oauth/{platform}")
@Produces(MediaType.APPLICATION_JSON)
public class OAuthResource {

    private static final Logger LOG = Logger.getLogger(OAuthResource.class);

    private final OAuthConnector connector;
    private final Vertx vertx;

    OAuthResource(OAuthConnector connector, Vertx vertx) {
        this.connector = connector;
        this.vertx = vertx;
    }

    public record Started(String authorizationUrl, String state, Instant expiresAt) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Connected(String ownerId, String platform, String status, String accountName) {
    }

    @GET
    @Path("start")
    public Uni<Response> start(@PathParam("platform") String platform, @QueryParam("ownerId") String ownerId) {
        if (Platform.of(platform).isEmpty()) {
            return Uni.createFrom().item(unknown(platform));
        }
        if (ownerId == null || ownerId.isBlank()) {
            return Uni.createFrom().item(bad("Validation failed", "ownerId: must not be blank"));
        }
        return Panache.withTransaction(() -> connector.start(ownerId.trim(), Platform.of(platform).get()))
                .map(started -> Response.ok(new Started(started.authorizationUrl(), started.state(), started.expiresAt())).build())
                .onFailure(OAuthRefused.class).recoverWithItem(e -> bad(e.getMessage(), null));
    }

    @GET
    @Path("callback")
    public Uni<Response> callback(@PathParam("platform") String platform, @QueryParam("code") String code,
            @QueryParam("state") String state, @QueryParam("error") String error,
            @QueryParam("error_description") String errorDescription) {
        if (Platform.of(platform).isEmpty()) {
            return Uni.createFrom().item(unknown(platform));
        }
        Platform target = Platform.of(platform).get();
        // the state is spent whatever happens next: a denied or failed flow is started again, never replayed
        return Panache.withTransaction(() -> connector.consume(state, target)).chain(consumed -> {
            if (error != null && !error.isBlank()) {
                return Uni.createFrom().item("access_denied".equals(error) ? bad("Authorization denied by the user", null)
                        : bad("Authorization failed: " + error, errorDescription));
            }
            if (consumed.refusal() != null) {
                return Uni.createFrom().item(bad(consumed.refusal(), null));
            }
            OAuthConnector.Flow flow = consumed.flow();
            return vertx.executeBlocking(Uni.createFrom().item(() -> connector.exchange(flow, code)), false)
                    .chain(grant -> Panache.withTransaction(() -> connector.connect(flow, grant)).map(account -> {
                        LOG.infof("owner %s connected %s", flow.ownerId(), target.id());
                        return Response.ok(new Connected(flow.ownerId(), target.id(), account.status, grant.accountName())).build();
                    }))
                    .onFailure(OAuthRefused.class).recoverWithItem(e -> bad(e.getMessage(), null))
                    .onFailure(PlatformException.class).recoverWithItem(e -> ErrorResponse.of("Could not complete the connection: "
                            + e.getMessage()).toResponse(Response.Status.BAD_GATEWAY));
        });
    }

    private static Response bad(String error, String detail) {
        return new ErrorResponse(error, detail == null ? List.of() : List.of(detail)).toResponse(Response.Status.BAD_REQUEST);
    }

    private static Response unknown(String platform) {
        return ErrorResponse.of("Unknown platform", "'" + platform + "' is not one of youtube, tiktok, instagram")
                .toResponse(Response.Status.BAD_REQUEST);
    }
}
