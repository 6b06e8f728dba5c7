package io.contentmachine.sandbox;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The test-control API: fault switches are validated, listed, consumed and cleared; uploads listed and reset. */
@QuarkusTest
class SandboxControlTest {

    @BeforeEach
    void clean() {
        SandboxClient.reset();
    }

    @Test
    void faultsAreValidatedListedConsumedAndCleared() {
        post("{\"platform\":\"myspace\",\"kind\":\"http-5xx\"}").then().statusCode(400).body("error", containsString("platform"));
        post("{\"platform\":\"youtube\",\"kind\":\"explode\"}").then().statusCode(400).body("error", containsString("kind"));
        post("{\"platform\":\"youtube\",\"operation\":\"dance\",\"kind\":\"http-5xx\"}").then().statusCode(400)
                .body("error", containsString("operation"));
        post("{\"platform\":\"youtube\",\"kind\":\"container-error\"}").then().statusCode(400)
                .body("error", containsString("instagram only"));
        post("{\"platform\":\"youtube\",\"kind\":\"http-5xx\",\"status\":404}").then().statusCode(400);
        post("{\"platform\":\"youtube\",\"kind\":\"http-5xx\",\"count\":\"many\"}").then().statusCode(400);
        post("{not json").then().statusCode(400).body("error", containsString("Malformed JSON"));
        post("{\"platform\":\"youtube\",\"kind\":\"http-5xx\",\"afterbytes\":5}").then().statusCode(400)
                .body("error", containsString("afterbytes"));

        post("{\"platform\":\"youtube\",\"operation\":\"videos\",\"kind\":\"http-5xx\",\"count\":2,\"skip\":1}").then().statusCode(201)
                .body("id", containsString("fault-")).body("count", equalTo(2));
        given().get("/sandbox/faults").then().statusCode(200).body("size()", equalTo(1)).body("[0].skip", equalTo(1));
        videos().statusCode(200);
        videos().statusCode(503).body("error.errors[0].reason", equalTo("backendError"));
        given().get("/sandbox/faults").then().body("[0].count", equalTo(1));
        given().delete("/sandbox/faults").then().statusCode(204);
        videos().statusCode(200);
    }

    @Test
    void uploadsAreListedByPlatformAndReset() {
        byte[] bytes = SandboxClient.randomBytes(3000, 31);
        String url = SandboxClient.seedVideo(bytes);
        given().get("/sandbox/uploads?platform=youtube").then().statusCode(200).body("size()", equalTo(1))
                .body("[0].sizeBytes", equalTo(3000)).body("[0].sha256", equalTo(SandboxClient.sha256(bytes)));
        given().get("/sandbox/uploads?platform=tiktok").then().body("size()", equalTo(0));
        given().get(url).then().statusCode(200).contentType("video/mp4");
        given().delete("/sandbox/uploads").then().statusCode(204);
        given().get("/sandbox/uploads").then().body("size()", equalTo(0));
        given().get(url).then().statusCode(404).body("error", containsString("no upload"));
        given().get("/sandbox/uploads/nothing").then().statusCode(404);
    }

    @Test
    void healthIsUp() {
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
    }

    private static io.restassured.response.Response post(String json) {
        return given().contentType(ContentType.JSON).body(json).post("/sandbox/faults");
    }

    private static io.restassured.response.ValidatableResponse videos() {
        return given().header("Authorization", "Bearer sandbox-token").get("/youtube/v3/videos?part=status&id=x").then();
    }
}
