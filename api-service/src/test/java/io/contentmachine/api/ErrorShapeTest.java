package io.contentmachine.api;

import java.net.URI;
import java.util.Map;

import io.contentmachine.testsupport.ErrorShape;
import io.contentmachine.testsupport.KafkaResource;
import io.contentmachine.testsupport.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** A client's mistakes get the one JSON error shape of every service (service-kit), here on the public create. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(KafkaResource.class)
class ErrorShapeTest {

    @TestHTTPResource("/api/videos")
    URI videos;

    @Test
    void malformedUnknownWrongTypeAndOversizedBodiesGetTheSharedShape() {
        ErrorShape.Endpoint endpoint = new ErrorShape.Endpoint(videos, Map.of("Authorization", "Bearer " + Api.ADMIN_KEY),
                "{\"topic\": \"Why cats purr\", \"status\": \"published\"}", "status");
        ErrorShape.assertMalformedBody(endpoint);
        ErrorShape.assertUnknownField(endpoint);
        ErrorShape.assertWrongMediaType(endpoint);
        ErrorShape.assertBodyTooLarge(endpoint, 64 * 1024);
    }
}
