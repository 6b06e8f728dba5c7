package io.contentmachine.api.client;

import java.time.Duration;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Set;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.contentmachine.api.api.ApiException;
import io.smallrye.mutiny.Uni;
import org.jboss.logging.Logger;

/** How answers of other services reach the public: their 2xx/4xx JSON passes through, anything else is a 503. */
public final class Downstream {

    private static final Logger LOG = Logger.getLogger(Downstream.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final Set<String> SECRET_FIELDS = Set.of("accessToken", "refreshToken", "token", "clientSecret", "access_token",
            "refresh_token");

    private Downstream() {
    }

    /** The HTTP status of a REST client failure, or 0 when the call did not get an answer. */
    public static int status(Throwable failure) {
        return failure instanceof WebApplicationException web && web.getResponse() != null ? web.getResponse().getStatus() : 0;
    }

    /**
     * Passes the other service's answer through (secrets removed); unavailable or 5xx → 503 naming the service, except the
     * 5xx statuses listed in {@code passed} (e.g. a 502 that says a platform refused, not that the service is down).
     */
    public static Uni<Response> pass(Uni<Response> call, String service, int... passed) {
        // an error answer arrives as a failure: take its response; a failure without one means the service is unreachable
        // (a throwing onItemOrFailure would wrap both failures into a CompositeException, which no mapper knows)
        return call.ifNoItem().after(TIMEOUT).fail()
                .onFailure(failure -> failure instanceof WebApplicationException web && web.getResponse() != null)
                .recoverWithItem(failure -> ((WebApplicationException) failure).getResponse())
                .onFailure().transform(failure -> {
                    LOG.warnf("%s service unavailable: %s", service, failure.toString());
                    return new ApiException(503, service + " unavailable, try again shortly");
                })
                .map(answer -> {
                    int status = answer.getStatus();
                    if (status >= 500 && Arrays.stream(passed).noneMatch(p -> p == status) || status == 401 || status == 403) {
                        // 401/403 mean our internal token is wrong: the caller cannot fix that
                        LOG.warnf("%s service answered %d", service, status);
                        throw new ApiException(503, service + " unavailable, try again shortly");
                    }
                    JsonNode body = null;
                    if (answer.hasEntity()) {
                        try {
                            body = answer.readEntity(JsonNode.class);
                        } catch (RuntimeException e) {
                            body = null;
                        }
                    }
                    Response.ResponseBuilder out = Response.status(status);
                    String location = answer.getHeaderString("Location");
                    if (location != null) {
                        out.header("Location", location);
                    }
                    if (body != null) {
                        out.type(MediaType.APPLICATION_JSON_TYPE).entity(withoutSecrets(body));
                    }
                    return out.build();
                });
    }

    private static JsonNode withoutSecrets(JsonNode node) {
        if (node instanceof ObjectNode object) {
            object.remove(SECRET_FIELDS);
            for (Iterator<JsonNode> it = object.elements(); it.hasNext();) {
                withoutSecrets(it.next());
            }
        } else if (node != null && node.isArray()) {
            node.forEach(Downstream::withoutSecrets);
        }
        return node;
    }
}
