package io.contentmachine.api;

import static io.restassured.RestAssured.given;

import java.util.Map;
import java.util.UUID;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/** Test helpers: requests as the admin or as an owner with its own key. */
final class Api {

    static final String ADMIN_KEY = "test-admin-key";

    private Api() {
    }

    static RequestSpecification admin() {
        return as(ADMIN_KEY);
    }

    static RequestSpecification as(String key) {
        return given().header("Authorization", "Bearer " + key).contentType(ContentType.JSON);
    }

    /** Creates an API key for a fresh owner (name prefix + random suffix); returns {owner, key}. */
    static String[] newOwner(String prefix) {
        String owner = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        String key = admin().body(Map.of("owner", owner, "name", prefix + " key"))
                .post("/api/keys").then().statusCode(201).extract().path("key");
        return new String[] {owner, key};
    }

    /** Creates a project (dedup off) and returns its id. */
    static String create(RequestSpecification as, String topic) {
        return as.body(Map.of("topic", topic, "allowDuplicate", true)).post("/api/videos")
                .then().statusCode(201).extract().path("projectId");
    }
}
