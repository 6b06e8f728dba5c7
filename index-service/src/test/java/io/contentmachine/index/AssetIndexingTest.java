package io.contentmachine.index;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.contentmachine.testsupport.Contract;
import io.contentmachine.testsupport.KafkaResource;
import io.contentmachine.testsupport.KafkaTestClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

/**
 * The owners' media assets in their own collection, kept by asset.ready and asset.deleted over real Kafka and searched with
 * {@code POST /index/assets/search} (docs/MEDIA-LIBRARY.md): owner-scoped, filtered by kind, best first, nothing under the
 * minimum score, and a deleted asset stays gone when its asset.ready comes again.
 */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(EmbeddedIndexResource.class)
class AssetIndexingTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String TOKEN = "test-internal-token";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void readyAssetsAreFoundByMeaningForTheirOwnerOnly() throws Exception {
        String owner = "owner-" + UUID.randomUUID();
        UUID waves = ready(owner, "video", "waves breaking on a rocky beach at sunset", "ocean", "beach");
        UUID coffee = ready(owner, "image", "a cup of coffee on a wooden table", "coffee", "breakfast");
        UUID piano = ready(owner, "audio", "calm solo piano, slow and quiet", "calm", "piano");
        UUID stranger = ready("someone-else-" + UUID.randomUUID(), "video", "waves breaking on a rocky beach at sunset", "ocean");
        await().atMost(WAIT).until(() -> search(owner, "calm", List.of()).size() >= 1
                && search(owner, "ocean waves crashing on the shore", List.of("video", "image")).size() >= 1
                && search(owner, "coffee cup", List.of("image")).size() == 1);

        List<Map<String, Object>> sea = search(owner, "ocean waves crashing on the shore", List.of("video", "image"));
        assertEquals(waves.toString(), sea.get(0).get("assetId"));
        assertEquals("video", sea.get(0).get("kind"));
        assertEquals("waves breaking on a rocky beach at sunset", sea.get(0).get("description"));
        assertEquals(List.of("ocean", "beach"), sea.get(0).get("tags"));
        double best = ((Number) sea.get(0).get("score")).doubleValue();
        assertTrue(best > 0.5 && best <= 1.0, "score " + best);
        for (int i = 1; i < sea.size(); i++) {
            assertTrue(((Number) sea.get(i).get("score")).doubleValue() <= best, "best first: " + sea);
        }
        assertTrue(sea.stream().noneMatch(m -> m.get("assetId").equals(stranger.toString())), "never another owner's: " + sea);
        assertTrue(sea.stream().noneMatch(m -> m.get("assetId").equals(piano.toString())), "only the kinds asked: " + sea);

        List<Map<String, Object>> music = search(owner, "calm", List.of("audio"));
        assertEquals(List.of(piano.toString()), music.stream().map(m -> m.get("assetId")).toList());
        assertEquals(coffee.toString(), search(owner, "coffee cup", List.of("image")).get(0).get("assetId"));
        // nothing like it: under the minimum score, no match at all
        assertEquals(List.of(), search(owner, "the tax rules of medieval guilds", List.of()));

        // deleted: gone, and a redelivered asset.ready does not bring it back
        ObjectNode deleted = event("asset.deleted", waves, owner);
        Contract.assertValid("asset.deleted", deleted.toString());
        KafkaTestClient.send("asset.deleted", waves.toString(), deleted.toString());
        await().atMost(WAIT).until(() -> search(owner, "ocean waves crashing on the shore", List.of("video")).isEmpty());
        ready(waves, owner, "video", "waves breaking on a rocky beach at sunset", "ocean");
        UUID marker = ready(owner, "video", "a marker clip of a red balloon", "balloon");
        await().atMost(WAIT).until(() -> search(owner, "red balloon", List.of("video")).stream()
                .anyMatch(m -> m.get("assetId").equals(marker.toString())));
        assertTrue(search(owner, "ocean waves crashing on the shore", List.of("video")).stream()
                .noneMatch(m -> m.get("assetId").equals(waves.toString())));
    }

    @Test
    void badSearchesAreRefused() {
        given().header("X-Internal-Token", TOKEN).contentType(ContentType.JSON)
                .body(Map.of("ownerId", "o", "text", "sea", "kinds", List.of("podcast")))
                .post("/index/assets/search").then().statusCode(400);
        given().header("X-Internal-Token", TOKEN).contentType(ContentType.JSON).body(Map.of("ownerId", "o", "text", " "))
                .post("/index/assets/search").then().statusCode(400);
        given().contentType(ContentType.JSON).body(Map.of("ownerId", "o", "text", "sea"))
                .post("/index/assets/search").then().statusCode(401);
    }

    private static UUID ready(String owner, String kind, String description, String... tags) throws Exception {
        return ready(UUID.randomUUID(), owner, kind, description, tags);
    }

    private static UUID ready(UUID asset, String owner, String kind, String description, String... tags) throws Exception {
        ObjectNode event = event("asset.ready", asset, owner);
        event.put("kind", kind);
        event.put("description", description);
        event.putArray("tags").addAll(List.of(tags).stream().map(t -> JSON.getNodeFactory().textNode(t)).toList());
        if (!kind.equals("video")) {
            event.remove("durationSeconds");
        }
        if (kind.equals("audio")) {
            event.remove("width");
            event.remove("height");
            event.put("durationSeconds", 60);
        }
        Contract.assertValid("asset.ready", event.toString());
        KafkaTestClient.send("asset.ready", asset.toString(), event.toString());
        return asset;
    }

    private static ObjectNode event(String topic, UUID asset, String owner) throws Exception {
        ObjectNode event = (ObjectNode) JSON.readTree(Contract.example(topic));
        event.put("eventId", UUID.randomUUID().toString());
        event.put("assetId", asset.toString());
        event.put("ownerId", owner);
        return event;
    }

    private static List<Map<String, Object>> search(String owner, String text, List<String> kinds) {
        JsonPath body = given().header("X-Internal-Token", TOKEN).contentType(ContentType.JSON)
                .body(Map.of("ownerId", owner, "text", text, "kinds", kinds, "limit", 10))
                .post("/index/assets/search").then().statusCode(200).extract().jsonPath();
        return body.getList("matches");
    }
}
