package io.contentmachine.render;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import io.contentmachine.render.api.Catalog;
import io.contentmachine.render.voice.Voice;
import io.contentmachine.testsupport.KafkaResource;
import io.contentmachine.testsupport.PostgresResource;
import io.contentmachine.testsupport.S3Resource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(S3Resource.class)
@WithTestResource(StorageGrantServer.class)
class CatalogResourceTest {

    @Test
    void catalogListsTemplatesVoicesAndLengths() {
        given().header("X-Internal-Token", "test-internal-token")
                .when().get("/render/catalog")
                .then().statusCode(200)
                .body("templates.id", contains("tiktok-bold", "minimal", "news"))
                .body("templates.name", hasItem("News"))
                .body("voices.find { it.id == 'af_heart' }.language", equalTo("en-US"))
                .body("voices.find { it.id == 'af_heart' }.engine", equalTo("festival"))
                .body("voices.id", hasItems("af_heart", "am_michael", "bf_emma", "en-us", "es", "fr", "de"))
                // espeak-ng speaks Italian and Portuguese, the offline writer does not write them: without an LLM writer
                // the gateway refuses those voices rather than have them read English
                .body("voices.findAll { !it.scripted }.id", contains("it", "pt-br"))
                .body("length.min", equalTo(15))
                .body("length.max", equalTo(180));
    }

    @Test
    void aVoiceWhoseLanguageNoWriterWritesIsMarked() {
        List<Voice> voices = List.of(new Voice("fr", "fr-FR", "espeak-ng", "fr"), new Voice("ja_kenji", "ja-JP", "speech-server", null));
        Catalog offline = Catalog.of(voices, false);
        assertEquals(List.of(true, false), offline.voices().stream().map(Catalog.VoiceEntry::scripted).toList(),
                "the offline writer writes French, not Japanese");
        assertEquals(List.of(true, true), Catalog.of(voices, true).voices().stream().map(Catalog.VoiceEntry::scripted).toList(),
                "an LLM writer writes any language");
    }

    @Test
    void catalogNeedsTheInternalToken() {
        given().when().get("/render/catalog")
                .then().statusCode(401).body("error", equalTo("Missing or invalid internal token"));
        given().header("X-Internal-Token", "wrong").when().get("/render/catalog")
                .then().statusCode(401).body("error", equalTo("Missing or invalid internal token"));
    }

    @Test
    void unknownRouteIsAJsonNotFound() {
        given().header("X-Internal-Token", "test-internal-token").when().get("/render/nothing-here")
                .then().statusCode(404).body("error", equalTo("Not found"));
    }

    static final String TOOLS = "render tools (ffmpeg, ffprobe, espeak-ng, festival, rsvg-convert, pango-view)";

    @Test
    void readinessIncludesDatabaseKafkaAndTools() {
        given().when().get("/q/health/ready")
                .then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItems(TOOLS))
                .body("checks.find { it.name == '" + TOOLS + "' }.status", equalTo("UP"))
                .body("checks.name", hasItem(org.hamcrest.Matchers.containsString("Reactive PostgreSQL")))
                .body("checks.name", hasItem(org.hamcrest.Matchers.containsString("Reactive Messaging")));
    }
}
