package io.contentmachine.index;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import io.contentmachine.index.store.VectorField;
import io.contentmachine.index.store.VectorStore;
import io.contentmachine.testsupport.KafkaResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The /index endpoints over projects indexed through Kafka, on the embedded store. */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(EmbeddedIndexResource.class)
class IndexResourceTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Inject
    VectorStore store;

    private String owner;
    private String otherOwner;

    @BeforeEach
    void owners() {
        owner = "owner-" + UUID.randomUUID();
        otherOwner = "owner-" + UUID.randomUUID();
    }

    @Test
    void duplicatesAreFoundOnlyAmongTheOwnersProjects() {
        UUID mine = project(owner, "Why octopuses have three hearts");
        UUID related = project(owner, "How octopuses change color");
        project(owner, "How to save money on groceries");
        UUID theirs = project(otherOwner, "Why octopuses have three hearts");

        JsonPath answer = internal().body(Map.of("ownerId", owner, "text", "Why do octopuses have 3 hearts?"))
                .post("/index/duplicates").then().statusCode(200).extract().jsonPath();
        assertTrue(answer.getBoolean("duplicate"));
        assertEquals(List.of(mine.toString()), answer.getList("matches.projectId"));
        assertEquals("Why octopuses have three hearts", answer.getString("matches[0].topic"));
        assertTrue(answer.getDouble("matches[0].score") > 0.9 && answer.getDouble("matches[0].score") <= 1.0001);

        internal().body(Map.of("ownerId", owner, "text", "The best hiking trails in Norway"))
                .post("/index/duplicates").then().statusCode(200)
                .body("duplicate", equalTo(false)).body("matches", empty());

        // a low explicit threshold lets related projects through, still only the owner's
        JsonPath loose = internal().body(Map.of("ownerId", owner, "text", "Why do octopuses have 3 hearts?", "threshold", 0.4))
                .post("/index/duplicates").then().statusCode(200).extract().jsonPath();
        assertEquals(List.of(mine.toString(), related.toString()), loose.getList("matches.projectId"));
        assertTrue(loose.getDouble("matches[1].score") >= 0.4 && loose.getDouble("matches[1].score") < loose.getDouble("matches[0].score"));

        internal().body(Map.of("ownerId", "owner-without-projects-" + UUID.randomUUID(), "text", "Why octopuses have three hearts"))
                .post("/index/duplicates").then().statusCode(200)
                .body("duplicate", equalTo(false)).body("matches", empty());
        assertTrue(store.get(theirs).isPresent());
    }

    @Test
    void searchRanksTheOwnersProjectsByMeaning() {
        UUID octopus = project(owner, "Why octopuses have three hearts");
        rendered(octopus, "Three hearts under the sea", "Octopuses pump blue blood with three hearts.",
                "Two hearts serve the gills, one the body.");
        UUID bread = project(owner, "How to make sourdough bread at home");
        rendered(bread, "Sourdough for beginners", "Mix flour and water and wait for the starter to bubble.",
                "Bake the loaf in a hot oven.");
        UUID stocks = project(owner, "How does the stock market work");
        UUID foreign = project(otherOwner, "Octopus hearts and blue blood");
        rendered(foreign, "Octopus hearts", "Octopuses have three hearts and blue blood.");

        JsonPath byScript = internal().body(Map.of("ownerId", owner, "text", "marine animals with blue blood"))
                .post("/index/search").then().statusCode(200).extract().jsonPath();
        // only rendered projects have a script vector; the other owner's never appear
        assertEquals(List.of(octopus.toString(), bread.toString()), byScript.getList("results.projectId"));
        assertEquals("Three hearts under the sea", byScript.getString("results[0].title"));
        assertEquals("Why octopuses have three hearts", byScript.getString("results[0].topic"));
        assertEquals("rendered", byScript.getString("results[0].status"));
        assertTrue(byScript.getDouble("results[0].score") > byScript.getDouble("results[1].score"));

        internal().body(Map.of("ownerId", owner, "text", "investing in shares", "field", "topic", "limit", 2))
                .post("/index/search").then().statusCode(200)
                .body("results", hasSize(2))
                .body("results[0].projectId", equalTo(stocks.toString()))
                .body("results[0].status", equalTo("processing"))
                .body("results.projectId", not(hasItem(foreign.toString())));

        internal().body(Map.of("ownerId", owner, "text", "baking bread", "field", "topic", "limit", 1))
                .post("/index/search").then().statusCode(200)
                .body("results.projectId", contains(bread.toString()));
    }

    @Test
    void compareScoresTwoTexts() {
        internal().body(Map.of("a", "How black holes are formed", "b", "How do black holes form?"))
                .post("/index/compare").then().statusCode(200)
                .body("score", greaterThan(0.9f)).body("duplicate", equalTo(true));
        internal().body(Map.of("a", "How black holes are formed", "b", "Five easy pasta recipes"))
                .post("/index/compare").then().statusCode(200)
                .body("score", lessThan(0.3f)).body("duplicate", equalTo(false));
    }

    @Test
    void badInputGetsAClearJsonError() {
        internal().body(Map.of("ownerId", owner, "text", "  ")).post("/index/duplicates").then().statusCode(400)
                .contentType(ContentType.JSON).body("error", equalTo("Validation failed"))
                .body("details", hasItem(containsString("text")));
        internal().body(Map.of("text", "octopus")).post("/index/duplicates").then().statusCode(400)
                .body("details", hasItem(containsString("ownerId")));
        internal().body(Map.of("ownerId", owner, "text", "octopus", "threshold", 1.5)).post("/index/duplicates").then()
                .statusCode(400).body("details", hasItem(containsString("threshold")));
        internal().body(Map.of("ownerId", owner, "text", "octopus", "limit", 0)).post("/index/search").then().statusCode(400)
                .body("details", hasItem(containsString("limit")));
        internal().body(Map.of("ownerId", owner, "text", "octopus", "limit", 51)).post("/index/search").then().statusCode(400)
                .body("details", hasItem(containsString("limit")));
        internal().body(Map.of("ownerId", owner, "text", "octopus", "field", "body")).post("/index/search").then().statusCode(400)
                .body("details", hasItem(containsString("field: must be script or topic")));
        internal().body(Map.of("ownerId", owner, "text", "octopus", "limit", "many")).post("/index/search").then().statusCode(400)
                .body("error", equalTo("Malformed JSON")).body("details", contains("wrong type for field 'limit'"));
        internal().body("{\"a\": \"x\",").post("/index/compare").then().statusCode(400).body("error", equalTo("Malformed JSON"));
        internal().body(Map.of("a", "octopus")).post("/index/compare").then().statusCode(400)
                .body("details", hasItem(containsString("b")));
        internal().post("/index/compare").then().statusCode(400).contentType(ContentType.JSON);
    }

    @Test
    void internalTokenIsRequired() {
        given().contentType(ContentType.JSON).body(Map.of("a", "x", "b", "y")).post("/index/compare").then().statusCode(401)
                .body("error", equalTo("Missing or invalid internal token"));
        given().contentType(ContentType.JSON).header("X-Internal-Token", "wrong").body(Map.of("a", "x", "b", "y"))
                .post("/index/compare").then().statusCode(401);
    }

    @Test
    void readinessIncludesKafkaAndTheVectorStore() {
        JsonPath health = given().get("/q/health/ready").then().statusCode(200).extract().jsonPath();
        assertEquals("UP", health.getString("status"));
        List<String> checks = health.getList("checks.name");
        assertTrue(checks.contains("vector-store"), "checks: " + checks);
        assertTrue(checks.contains("SmallRye Reactive Messaging - readiness check"), "checks: " + checks);
        assertEquals("[OK]", health.getString("checks.find { it.name.contains('Messaging') }.data.video-requested"));
        assertTrue(health.getString("checks.find { it.name == 'vector-store' }.data.store").startsWith("embedded Lucene index"));
    }

    private UUID project(String ownerId, String topic) {
        UUID projectId = UUID.randomUUID();
        IndexEvents.requested(projectId, ownerId, topic);
        await().atMost(WAIT).until(() -> store.get(projectId).map(p -> p.vectors().containsKey(VectorField.TOPIC)).orElse(false));
        return projectId;
    }

    private void rendered(UUID projectId, String title, String... scenes) {
        String ownerId = store.get(projectId).orElseThrow().payload().get("ownerId");
        IndexEvents.rendered(projectId, ownerId, title, scenes);
        await().atMost(WAIT).until(() -> store.get(projectId).map(p -> p.vectors().containsKey(VectorField.SCRIPT)).orElse(false));
    }

    private static RequestSpecification internal() {
        return given().contentType(ContentType.JSON).header("X-Internal-Token", "test-internal-token");
    }
}
