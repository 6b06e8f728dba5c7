package io.contentmachine.render;

import static io.contentmachine.render.RenderTesting.MAPPER;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.contentmachine.testsupport.Contract;
import io.contentmachine.testsupport.KafkaResource;
import io.contentmachine.testsupport.KafkaTestClient;
import io.contentmachine.testsupport.PostgresResource;
import io.contentmachine.testsupport.S3Resource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * With a speech server configured, the catalog offers its voices (engine openai-speech) beside espeak-ng's; when the
 * server cannot be reached, a render with its voice still finishes, spoken by the voice's espeak-ng fallback.
 */
@QuarkusTest
@TestProfile(SpeechServerDownTest.SpeechServerConfigured.class)
@WithTestResource(PostgresResource.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(S3Resource.class)
@WithTestResource(StorageGrantServer.class)
class SpeechServerDownTest {

    public static class SpeechServerConfigured implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // port 9 (discard) has no server here: every speech request fails to connect
            return Map.of("render.speech.base-url", "http://127.0.0.1:9", "render.speech.voices", "af_heart:en-US,af_sky:en-US");
        }
    }

    @Test
    void catalogListsTheServerVoices() {
        given().header("X-Internal-Token", "test-internal-token")
                .when().get("/render/catalog")
                .then().statusCode(200)
                .body("voices.find { it.id == 'af_heart' }.engine", equalTo("openai-speech"))
                .body("voices.find { it.id == 'af_sky' }.engine", equalTo("openai-speech"))
                .body("voices.find { it.id == 'af_sky' }.language", equalTo("en-US"))
                .body("voices.find { it.id == 'am_michael' }.engine", equalTo("espeak-ng"))
                .body("voices.find { it.id == 'fr' }.engine", equalTo("espeak-ng"));
    }

    @Test
    void renderFallsBackToEspeakWhenTheServerIsDown() throws Exception {
        UUID project = UUID.randomUUID();
        ObjectNode event = (ObjectNode) MAPPER.readTree(RenderTesting.request(UUID.randomUUID(), project, "How bees find their way home",
                "minimal", 15));
        ((ObjectNode) event.get("config")).put("voice", "af_sky");
        String json = MAPPER.writeValueAsString(event);
        Contract.assertValid("video.requested", json);
        KafkaTestClient.send("video.requested", project.toString(), json);

        ConsumerRecord<String, String> rendered = KafkaTestClient.awaitOne("video.rendered", r -> project.toString().equals(r.key()),
                RenderFlowTest.RENDER);
        Contract.assertValid("video.rendered", rendered.value());
        assertEquals(15, MAPPER.readTree(rendered.value()).get("durationSeconds").asDouble(), 1.5);
        // the event says espeak-ng spoke instead of the server voice, and why
        var script = MAPPER.readTree(rendered.value()).get("script");
        assertEquals("espeak-ng", script.path("voiceEngine").asText());
        assertTrue(script.path("voiceFallbackReason").asText().length() > 0, "fallback reason missing: " + script);
    }
}
