package io.contentmachine.sandbox.instagram;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.inject.Inject;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;

import io.contentmachine.sandbox.auth.Tokens;
import io.contentmachine.sandbox.control.Fault;
import io.contentmachine.sandbox.control.FaultKind;
import io.contentmachine.sandbox.control.FaultSwitches;
import io.contentmachine.sandbox.http.Reply;

/** Instagram Login tokens: consent, code exchange, long-lived exchange and refresh (graph.instagram.com/refresh_access_token). */
@Path("/")
public class InstagramOAuthResource {

    static final long LONG_LIVED_SECONDS = 5_184_000;

    @Inject
    Tokens tokens;
    @Inject
    FaultSwitches faults;

    @GET
    @Path("refresh_access_token")
    public Response refresh(@QueryParam("grant_type") String grantType, @QueryParam("access_token") String accessToken) {
        Optional<Fault> fault = faults.take("instagram", "token", List.of(FaultKind.HTTP_5XX, FaultKind.RATE_LIMIT));
        if (fault.isPresent()) {
            return GraphErrors.forFault(fault.get()).toResponse();
        }
        if (!"ig_refresh_token".equals(grantType)) {
            return GraphErrors.invalidParameter("grant_type must be ig_refresh_token.").toResponse();
        }
        if (!tokens.validAccess(accessToken)) {
            return GraphErrors.invalidToken(400).toResponse();
        }
        tokens.refreshed("instagram", accessToken);
        return Reply.json(200, longLived()).toResponse();
    }

    @GET
    @Path("access_token")
    public Response exchange(@QueryParam("grant_type") String grantType, @QueryParam("client_secret") String secret,
                             @QueryParam("access_token") String accessToken) {
        if (!"ig_exchange_token".equals(grantType) || secret == null || secret.isBlank()) {
            return GraphErrors.invalidParameter("grant_type=ig_exchange_token and client_secret are required.").toResponse();
        }
        if (!tokens.validAccess(accessToken)) {
            return GraphErrors.invalidToken(400).toResponse();
        }
        return Reply.json(200, longLived()).toResponse();
    }

    /** api.instagram.com/oauth/access_token: the authorization code for a short-lived token. */
    @POST
    @Path("oauth/access_token")
    public Response code(@FormParam("client_id") String clientId, @FormParam("client_secret") String secret,
                         @FormParam("grant_type") String grantType, @FormParam("code") String code) {
        if (clientId == null || secret == null || !"authorization_code".equals(grantType)) {
            return GraphErrors.invalidParameter("client_id, client_secret and grant_type=authorization_code are required.")
                    .toResponse();
        }
        if (tokens.redeemCode("instagram", code).isEmpty()) {
            return GraphErrors.error(400, "OAuthException", 36009, null, false, "This authorization code has been used.", null)
                    .toResponse();
        }
        return Reply.json(200, Map.of("data", List.of(Map.of("access_token", tokens.issueAccess("IGAA-sandbox-"),
                "user_id", "17841400000000001", "permissions", "instagram_business_basic,instagram_business_content_publish"))))
                .toResponse();
    }

    @GET
    @Path("oauth/authorize")
    public Response authorize(@QueryParam("client_id") String clientId, @QueryParam("redirect_uri") String redirectUri,
                              @QueryParam("state") String state) {
        if (clientId == null || redirectUri == null) {
            return GraphErrors.invalidParameter("client_id and redirect_uri are required.").toResponse();
        }
        UriBuilder target = UriBuilder.fromUri(URI.create(redirectUri)).queryParam("code", tokens.issueCode("instagram"));
        if (state != null) {
            target.queryParam("state", state);
        }
        return Response.status(302).location(target.build()).build();
    }

    private Map<String, Object> longLived() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("access_token", tokens.issueAccess("IGAA-sandbox-", Duration.ofSeconds(LONG_LIVED_SECONDS)));
        body.put("token_type", "bearer");
        body.put("expires_in", LONG_LIVED_SECONDS);
        return body;
    }
}
