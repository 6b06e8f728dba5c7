package io.contentmachine.sandbox.youtube;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;

import io.contentmachine.sandbox.auth.Tokens;
import io.contentmachine.sandbox.control.Fault;
import io.contentmachine.sandbox.control.FaultKind;
import io.contentmachine.sandbox.control.FaultSwitches;
import io.contentmachine.sandbox.http.Reply;

/**
 * Google's OAuth 2.0 endpoints: the token endpoint (refresh and code exchange) and a consent page that approves at once.
 * Each code exchange opens a channel of its own (see {@link YouTubeChannels}).
 */
@Path("/")
public class GoogleOAuthResource {

    static final String SCOPE = "https://www.googleapis.com/auth/youtube.upload https://www.googleapis.com/auth/youtube.readonly";

    @Inject
    Tokens tokens;
    @Inject
    YouTubeChannels channels;
    @Inject
    FaultSwitches faults;

    @POST
    @Path("token")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response token(@FormParam("client_id") String clientId, @FormParam("client_secret") String clientSecret,
                          @FormParam("grant_type") String grantType, @FormParam("refresh_token") String refreshToken,
                          @FormParam("code") String code) {
        Optional<Fault> fault = faults.take("youtube", "token", List.of(FaultKind.HTTP_5XX, FaultKind.RATE_LIMIT));
        if (fault.isPresent()) {
            return GoogleErrors.forFault(fault.get()).toResponse();
        }
        if (blank(clientId) || blank(clientSecret)) {
            return oauthError(401, "invalid_client", "The OAuth client was not found.");
        }
        if ("refresh_token".equals(grantType)) {
            if (blank(refreshToken)) {
                return oauthError(400, "invalid_request", "Missing required parameter: refresh_token");
            }
            if (!tokens.validRefresh("youtube", refreshToken)) {
                return oauthError(400, "invalid_grant", "Token has been expired or revoked.");
            }
            tokens.refreshed("youtube", refreshToken);
            return Reply.json(200, grant(channels.of(refreshToken), null)).toResponse();
        }
        if ("authorization_code".equals(grantType)) {
            if (tokens.redeemCode("youtube", code).isEmpty()) {
                return oauthError(400, "invalid_grant", "Malformed auth code.");
            }
            // the consent's own channel, which its tokens and their refreshes act for
            YouTubeChannels.Channel channel = channels.open();
            String refresh = tokens.issueRefresh("youtube", "1//sandbox-");
            channels.bind(refresh, channel);
            return Reply.json(200, grant(channel, refresh)).toResponse();
        }
        return oauthError(400, "unsupported_grant_type", "Invalid grant_type: " + grantType);
    }

    /** Consent screen stand-in: redirects straight back with a code, as if the user approved. */
    @GET
    @Path("o/oauth2/v2/auth")
    public Response authorize(@QueryParam("redirect_uri") String redirectUri, @QueryParam("state") String state,
                              @QueryParam("client_id") String clientId) {
        if (blank(redirectUri) || blank(clientId)) {
            return oauthError(400, "invalid_request", "redirect_uri and client_id are required");
        }
        UriBuilder target = UriBuilder.fromUri(URI.create(redirectUri)).queryParam("code", tokens.issueCode("youtube"));
        if (state != null) {
            target.queryParam("state", state);
        }
        return Response.status(302).location(target.build()).build();
    }

    private Map<String, Object> grant(YouTubeChannels.Channel channel, String refreshToken) {
        String access = tokens.issueAccess("ya29.sandbox-");
        channels.bind(access, channel);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("access_token", access);
        body.put("expires_in", tokens.accessTtl().toSeconds());
        body.put("token_type", "Bearer");
        body.put("scope", SCOPE);
        if (refreshToken != null) {
            body.put("refresh_token", refreshToken);
        }
        return body;
    }

    private static Response oauthError(int status, String error, String description) {
        return Reply.json(status, Map.of("error", error, "error_description", description)).toResponse();
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
