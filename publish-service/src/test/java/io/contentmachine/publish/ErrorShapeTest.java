package io.contentmachine.publish;

import java.net.URI;
import java.util.Map;

import io.contentmachine.testsupport.ErrorShape;
import io.contentmachine.testsupport.KafkaResource;
import io.contentmachine.testsupport.PostgresResource;
import io.contentmachine.testsupport.SandboxResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** A client's mistakes get the one JSON error shape of every service (service-kit), here on an internal endpoint. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(SandboxResource.class)
@WithTestResource(StorageStandIn.class)
class ErrorShapeTest {

    @TestHTTPResource("/publish/projects/6f1c2a52-8f3e-4a0b-9d7e-2b5c1e0a9f11/publishings")
    URI publishings;

    @Test
    void malformedUnknownWrongTypeAndOversizedBodiesGetTheSharedShape() {
        ErrorShape.Endpoint endpoint = new ErrorShape.Endpoint(publishings, Map.of("X-Internal-Token", "test-internal-token"),
                "{\"ownerId\": \"o\", \"platforms\": [\"youtube\"], \"priority\": 1}", "priority");
        ErrorShape.assertMalformedBody(endpoint);
        ErrorShape.assertUnknownField(endpoint);
        ErrorShape.assertWrongMediaType(endpoint);
        ErrorShape.assertBodyTooLarge(endpoint, 10240 * 1024);
    }
}
