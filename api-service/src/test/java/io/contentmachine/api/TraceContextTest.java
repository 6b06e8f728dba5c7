package io.contentmachine.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import io.contentmachine.testsupport.Contract;
import io.contentmachine.testsupport.KafkaResource;
import io.contentmachine.testsupport.KafkaTestClient;
import io.contentmachine.testsupport.OtlpReceiver;
import io.contentmachine.testsupport.OtlpResource;
import io.contentmachine.testsupport.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * Tracing on (an OTLP endpoint set): the gateway continues the caller's trace, the outbox row keeps the span that wrote it,
 * and the relay's record goes on as that span's child, with spans exported over OTLP/HTTP to a real receiver.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(OtlpResource.class)
class TraceContextTest {

    static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void theCallersTraceGoesOnThroughTheOutboxIntoTheVideoRequestedRecord() throws Exception {
        String trace = hex(16);
        String caller = hex(8);
        String[] owner = Api.newOwner("tracer");
        String id = Api.as(owner[1]).header("traceparent", "00-" + trace + "-" + caller + "-01")
                .body(Map.of("topic", "Why the sky is blue", "config", Map.of("length", 30)))
                .post("/api/videos")
                .then().statusCode(201)
                .extract().path("projectId");

        ConsumerRecord<String, String> record = KafkaTestClient.awaitOne("video.requested", r -> id.equals(r.key()), WAIT);
        Contract.assertTraceparent(record);
        assertEquals(trace, Contract.traceId(record), "the record continues the caller's trace");
        String producerSpan = KafkaTestClient.header(record, "traceparent").substring(36, 52);
        assertNotEquals(caller, producerSpan, "the record names a span of its own");

        OtlpReceiver receiver = OtlpResource.receiver();
        // the gateway's server span: a child of the caller's span, naming the project it created
        OtlpReceiver.Span server = receiver.await(span -> span.traceId().equals(trace) && span.parentSpanId().equals(caller), WAIT);
        assertEquals("SPAN_KIND_SERVER", server.kind(), receiver.summary());
        assertEquals("api-service", server.service());
        assertEquals(id, server.attribute("contentmachine.project.id"));
        // the record's producer span, sent by the relay long after the request's own context was gone: its parent is the
        // span the outbox row stored, the request's
        OtlpReceiver.Span producer = receiver.await(span -> span.spanId().equals(producerSpan), WAIT);
        assertEquals("SPAN_KIND_PRODUCER", producer.kind());
        assertEquals(trace, producer.traceId());
        assertEquals(server.spanId(), producer.parentSpanId(), receiver.summary());
        assertEquals(id, producer.attribute("contentmachine.project.id"), "the project travels in the relay's baggage");
        // the create's statements are traced under the request
        receiver.await(span -> span.traceId().equals(trace) && span.kind().equals("SPAN_KIND_CLIENT")
                && span.attributes().keySet().stream().anyMatch(key -> key.startsWith("db.")), WAIT);
    }

    private static String hex(int bytes) {
        byte[] random = new byte[bytes];
        ThreadLocalRandom.current().nextBytes(random);
        random[0] |= 1;
        return HexFormat.of().formatHex(random);
    }
}
