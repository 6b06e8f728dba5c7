package io.contentmachine.publish.api;

import java.time.Instant;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.contentmachine.kit.errors.ErrorResponse;
import io.contentmachine.publish.accounts.Account;
import io.contentmachine.publish.accounts.TokenCipher;
import io.contentmachine.publish.domain.Platform;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/** An owner's platform account: direct token registration for headless setups. Tokens are stored encrypted and never shown. */
@Path("/publish/accounts/{ownerId}/{platform}")
@Produces(MediaType.APPLICATION_JSON)
public class AccountResource {

    private final TokenCipher cipher;

    AccountResource(TokenCipher cipher) {
        this.cipher = cipher;
    }

    public record TokenRegistration(@NotBlank String accessToken, String refreshToken, Instant expiresAt, String platformUserId) {

        @Override
        public String toString() {
            return "TokenRegistration[platformUserId=" + platformUserId + "]";
        }
    }

    public record AccountView(String ownerId, String platform, String status, Instant expiresAt, String platformUserId,
            String accountName, boolean hasRefreshToken, Instant updatedAt) {

        static AccountView of(Account a) {
            return new AccountView(a.ownerId, a.platform, a.status, a.expiresAt, a.platformUserId, a.accountName, a.refreshToken != null,
                    a.updatedAt);
        }
    }

    @GET
    public Uni<Response> get(@PathParam("ownerId") String ownerId, @PathParam("platform") String platform) {
        if (Platform.of(platform).isEmpty()) {
            return Uni.createFrom().item(unknown(platform));
        }
        return Panache.withSession(() -> Account.<Account>findById(new Account.Key(ownerId, Platform.of(platform).get().id())))
                .map(account -> account == null
                        ? ErrorResponse.of("No " + platform + " account for " + ownerId).toResponse(Response.Status.NOT_FOUND)
                        : Response.ok(AccountView.of(account)).build());
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> put(@PathParam("ownerId") String ownerId, @PathParam("platform") String platform,
            @Valid @NotNull TokenRegistration body) {
        if (Platform.of(platform).isEmpty()) {
            return Uni.createFrom().item(unknown(platform));
        }
        String id = Platform.of(platform).get().id();
        return Panache.withTransaction(() -> Account.<Account>findById(new Account.Key(ownerId, id)).chain(existing -> {
            Account account = existing != null ? existing : new Account();
            account.ownerId = ownerId;
            account.platform = id;
            account.accessToken = cipher.encrypt(body.accessToken());
            account.refreshToken = cipher.encrypt(body.refreshToken());
            account.expiresAt = body.expiresAt();
            account.platformUserId = body.platformUserId();
            // a name learned by an earlier connect flow may belong to another account than these tokens
            account.accountName = null;
            account.status = Account.CONNECTED;
            // the owner's own tokens now: a configuration's default tokens never replace them
            account.configuredTokens = null;
            account.updatedAt = Instant.now();
            return existing != null ? Uni.createFrom().item(account) : account.<Account>persist();
        })).map(account -> Response.ok(AccountView.of(account)).build());
    }

    @DELETE
    public Uni<Response> delete(@PathParam("ownerId") String ownerId, @PathParam("platform") String platform) {
        if (Platform.of(platform).isEmpty()) {
            return Uni.createFrom().item(unknown(platform));
        }
        return Panache.withTransaction(() -> Account.deleteById(new Account.Key(ownerId, Platform.of(platform).get().id())))
                .map(deleted -> Response.noContent().build());
    }

    private static Response unknown(String platform) {
        return ErrorResponse.of("Unknown platform", "'" + platform + "' is not one of youtube, tiktok, instagram")
                .toResponse(Response.Status.BAD_REQUEST);
    }
}
