package io.contentmachine.api.api;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.contentmachine.api.domain.ApiKey;
import io.contentmachine.api.domain.ApiKeyService;
import io.contentmachine.api.domain.Caller;
import io.contentmachine.kit.errors.ErrorResponse;
import io.smallrye.mutiny.Uni;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** API key management; only the bootstrap admin key may use it. */
@Path("/api/keys")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "keys")
@SecurityRequirement(name = "bearer")
@SecurityRequirement(name = "apiKey")
@APIResponse(responseCode = "401", description = "Missing or invalid API key")
@APIResponse(responseCode = "403", description = "Not the admin key",
        content = @Content(schema = @Schema(implementation = ErrorResponse.class)))
public class KeyResource {

    private static final Pattern OWNER = Pattern.compile("[A-Za-z0-9._@-]{1,100}");

    private final ApiKeyService keys;
    private final CurrentCaller caller;

    KeyResource(ApiKeyService keys, CurrentCaller caller) {
        this.keys = keys;
        this.caller = caller;
    }

    /** Body of POST /api/keys. */
    @Schema(name = "KeyRequest")
    public static class KeyRequest extends StrictJson {
        @Schema(required = true, description = "Who the key acts for (letters, digits, . _ @ -; at most 100).", examples = "acme")
        public String owner;

        @Schema(required = true, description = "A label for the key.", examples = "acme frontend")
        public String name;
    }

    /** A key as listed; secret only in the answer to its creation. */
    @Schema(name = "Key")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record KeyView(UUID id, String owner, String name, @Schema(description = "First characters of the secret") String prefix,
            Instant createdAt, Instant revokedAt,
            @Schema(description = "The secret: returned once, at creation; use it as Authorization: Bearer <key>") String key) {

        static KeyView of(ApiKey key, String secret) {
            return new KeyView(key.id, key.ownerId, key.name, key.prefix, key.createdAt, key.revokedAt, secret);
        }
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create an API key for an owner (admin)")
    @APIResponse(responseCode = "201", content = @Content(schema = @Schema(implementation = KeyView.class),
            examples = @ExampleObject(name = "key",
            value = "{\"id\":\"5e0c7c2a-1111-4a5b-9c7d-2f0d6c8b9e10\",\"owner\":\"acme\",\"name\":\"acme frontend\","
                    + "\"prefix\":\"cm_Qx3vT8a\","
                    + "\"createdAt\":\"2026-11-24T12:00:00Z\",\"key\":\"cm_Qx3vT8aZ...\"}")))
    @APIResponse(responseCode = "400", description = "Missing or invalid owner or name",
            content = @Content(schema = @Schema(implementation = ErrorResponse.class)))
    public Uni<Response> create(KeyRequest request) {
        admin();
        if (request == null) {
            throw ApiException.badRequest("Validation failed", List.of("body: required"));
        }
        request.rejectUndeclared();
        List<String> details = new ArrayList<>();
        if (request.owner == null || !OWNER.matcher(request.owner).matches()) {
            details.add("owner: required, 1-100 of letters, digits, . _ @ -");
        }
        if (request.name == null || request.name.isBlank() || request.name.length() > 100) {
            details.add("name: required, 1-100 characters");
        }
        if (!details.isEmpty()) {
            throw ApiException.badRequest("Validation failed", details);
        }
        return keys.create(request.owner, request.name.strip())
                .map(issued -> Response.created(URI.create("/api/keys/" + issued.key().id))
                        .entity(KeyView.of(issued.key(), issued.secret())).build());
    }

    @GET
    @Operation(summary = "List API keys (admin); secrets are never shown")
    public Uni<List<KeyView>> list() {
        admin();
        return keys.list().map(all -> all.stream().map(k -> KeyView.of(k, null)).toList());
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Revoke an API key (admin); takes effect within 10 seconds on every replica")
    @APIResponse(responseCode = "204", description = "Revoked")
    @APIResponse(responseCode = "404", description = "No such key",
            content = @Content(schema = @Schema(implementation = ErrorResponse.class)))
    public Uni<Response> revoke(@PathParam("id") String id) {
        admin();
        return keys.revoke(VideoResource.uuid(id)).map(found -> {
            if (!found) {
                throw ApiException.notFound();
            }
            return Response.noContent().build();
        });
    }

    private void admin() {
        Caller current = caller.get();
        if (!current.admin()) {
            throw new ApiException(403, "Admin key required");
        }
    }
}
