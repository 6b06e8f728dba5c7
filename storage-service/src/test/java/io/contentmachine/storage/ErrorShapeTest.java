package io.contentmachine.storage;

import java.net.URI;
import java.util.Map;
import java.util.UUID;

import io.contentmachine.testsupport.ErrorShape;
import io.contentmachine.testsupport.KafkaResource;
import io.contentmachine.testsupport.PostgresResource;
import io.contentmachine.testsupport.S3Resource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** A client's mistakes get the one JSON error shape of every service (service-kit), here on an internal endpoint. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(S3Resource.class)
class ErrorShapeTest {

    @TestHTTPResource("/storage/uploads")
    URI uploads;

    @Test
    void malformedUnknownWrongTypeAndOversizedBodiesGetTheSharedShape() {
        ErrorShape.Endpoint endpoint = new ErrorShape.Endpoint(uploads, Map.of("X-Internal-Token", StorageTesting.TOKEN),
                "{\"projectId\": \"" + UUID.randomUUID() + "\", \"sizeBytes\": 10, \"sha256\": \"" + "a".repeat(64)
                        + "\", \"contentType\": \"video/mp4\", \"owner\": \"mallory\"}", "owner");
        ErrorShape.assertMalformedBody(endpoint);
        ErrorShape.assertUnknownField(endpoint);
        ErrorShape.assertWrongMediaType(endpoint);
        ErrorShape.assertBodyTooLarge(endpoint, 10240 * 1024);
    }
}
