package io.contentmachine.index;

import java.net.URI;
import java.util.Map;

import io.contentmachine.testsupport.ErrorShape;
import io.contentmachine.testsupport.KafkaResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** A client's mistakes get the one JSON error shape of every service (service-kit), here on an internal endpoint. */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(EmbeddedIndexResource.class)
class ErrorShapeTest {

    @TestHTTPResource("/index/compare")
    URI compare;

    @Test
    void malformedUnknownWrongTypeAndOversizedBodiesGetTheSharedShape() {
        ErrorShape.Endpoint endpoint = new ErrorShape.Endpoint(compare, Map.of("X-Internal-Token", "test-internal-token"),
                "{\"a\": \"one\", \"b\": \"two\", \"weights\": [1, 2]}", "weights");
        ErrorShape.assertMalformedBody(endpoint);
        ErrorShape.assertUnknownField(endpoint);
        ErrorShape.assertWrongMediaType(endpoint);
        ErrorShape.assertBodyTooLarge(endpoint, 10240 * 1024);
    }
}
