package io.contentmachine.publish;

import static io.restassured.RestAssured.given;

import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Tokens of their own for a test, issued by the sandbox's consent page and token endpoints (as a platform would). */
public final class SandboxTokens {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String REDIRECT = "http://localhost/callback";

    public record Pair(String accessToken, String refreshToken) {
    }

    private SandboxTokens() {
    }

    public static Pair youtube(String sandbox) {
        String code = code(sandbox + "/o/oauth2/v2/auth?client_id=test&response_type=code&redirect_uri=" + REDIRECT);
        JsonNode body = json(given().formParam("client_id", "test").formParam("client_secret", "secret").formParam("code", code)
                .formParam("grant_type", "authorization_code").formParam("redirect_uri", REDIRECT).post(sandbox + "/token")
                .then().statusCode(200).extract().asString());
        return new Pair(body.get("access_token").asText(), body.get("refresh_token").asText());
    }

    public static Pair tiktok(String sandbox) {
        String code = code(sandbox + "/v2/auth/authorize/?client_key=test&response_type=code&redirect_uri=" + REDIRECT);
        JsonNode body = json(given().formParam("client_key", "test").formParam("client_secret", "secret").formParam("code", code)
                .formParam("grant_type", "authorization_code").formParam("redirect_uri", REDIRECT).post(sandbox + "/v2/oauth/token/")
                .then().statusCode(200).extract().asString());
        return new Pair(body.get("access_token").asText(), body.get("refresh_token").asText());
    }

    /** The refreshes the sandbox granted, as platform/credential. */
    public static List<String> refreshes(String sandbox) {
        JsonNode all = json(given().get(sandbox + "/sandbox/tokens").then().statusCode(200).extract().asString());
        List<String> found = new java.util.ArrayList<>();
        all.get("refreshes").forEach(r -> found.add(r.get("platform").asText() + "/" + r.get("credential").asText()));
        return found;
    }

    public static List<String> rejected(String sandbox) {
        JsonNode all = json(given().get(sandbox + "/sandbox/tokens").then().statusCode(200).extract().asString());
        return MAPPER.convertValue(all.get("rejectedAccessTokens"), MAPPER.getTypeFactory().constructCollectionType(List.class,
                String.class));
    }

    private static String code(String consentUrl) {
        String location = given().redirects().follow(false).get(consentUrl).then().statusCode(302).extract().header("Location");
        Map<String, String> query = Arrays.stream(URI.create(location).getRawQuery().split("&")).map(p -> p.split("=", 2))
                .collect(Collectors.toMap(p -> p[0], p -> p[1]));
        return query.get("code");
    }

    private static JsonNode json(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
