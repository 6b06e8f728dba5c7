package io.contentmachine.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Map;

import io.contentmachine.testsupport.Contract;
import io.contentmachine.testsupport.KafkaResource;
import io.contentmachine.testsupport.KafkaTestClient;
import io.contentmachine.testsupport.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * Without an OTLP endpoint (as in every other test here) tracing is off: the kit's switch disables the SDK, so nothing is
 * exported. The SDK's stand-in still gives the spans SmallRye starts real ids, so a record carries a well-formed
 * traceparent of a span nobody receives.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(KafkaResource.class)
class TracingOffTest {

    @Test
    void withoutAnEndpointTheSdkIsOff() throws Exception {
        assertEquals(Boolean.TRUE, ConfigProvider.getConfig().getValue("quarkus.otel.sdk.disabled", Boolean.class));
        String[] owner = Api.newOwner("untraced");
        String id = Api.as(owner[1]).body(Map.of("topic", "Why leaves turn red", "config", Map.of("length", 30)))
                .post("/api/videos")
                .then().statusCode(201)
                .extract().path("projectId");
        ConsumerRecord<String, String> record = KafkaTestClient.awaitOne("video.requested", r -> id.equals(r.key()),
                Duration.ofSeconds(30));
        Contract.assertTraceparent(record);
    }
}
