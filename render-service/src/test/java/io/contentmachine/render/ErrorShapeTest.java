package io.contentmachine.render;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import java.net.URI;
import java.util.Map;

import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;

import io.contentmachine.testsupport.ErrorShape;
import io.contentmachine.testsupport.KafkaResource;
import io.contentmachine.testsupport.PostgresResource;
import io.contentmachine.testsupport.S3Resource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/**
 * A client's mistakes get the one JSON error shape of every service (service-kit). render-service's own API reads no
 * body (GET /render/catalog), so the body mistakes go to a test-only endpoint under the guarded /render prefix.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(S3Resource.class)
@WithTestResource(StorageGrantServer.class)
class ErrorShapeTest {

    @TestHTTPResource("/render/test-echo")
    URI echo;

    @TestHTTPResource("/render/catalog")
    URI catalog;

    /** Reads a JSON body the way a resource of this service would. */
    @Path("/render/test-echo")
    public static class EchoResource {

        public record Body(String text, int count) {
        }

        @POST
        public Body echo(Body body) {
            return body;
        }
    }

    @Test
    void malformedUnknownWrongTypeAndOversizedBodiesGetTheSharedShape() {
        Map<String, String> token = Map.of("X-Internal-Token", "test-internal-token");
        ErrorShape.Endpoint endpoint = new ErrorShape.Endpoint(echo, token, "{\"text\": \"a\", \"count\": 1, \"extra\": true}", "extra");
        ErrorShape.assertMalformedBody(endpoint);
        ErrorShape.assertUnknownField(endpoint);
        ErrorShape.assertWrongMediaType(endpoint);
        ErrorShape.assertBodyTooLarge(new ErrorShape.Endpoint(catalog, token, null, null), 10240 * 1024);
        given().headers(token).contentType("application/json").body("{}").post(catalog).then().statusCode(405)
                .contentType("application/json").body(equalTo("{\"error\":\"Method Not Allowed\"}"));
    }
}
