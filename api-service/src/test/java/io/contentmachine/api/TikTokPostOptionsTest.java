package io.contentmachine.api;

import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;

import java.util.List;
import java.util.Map;

import io.contentmachine.testsupport.KafkaResource;
import io.contentmachine.testsupport.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** TikTok's post screen at the gateway: the caller's creator_info, and a privacy level required whenever tiktok is asked for. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(KafkaResource.class)
class TikTokPostOptionsTest {

    @Test
    void creatorInfoIsTheCallersOwnAndNeedsAConnectedAccount() {
        String[] owner = Api.newOwner("creator");
        Api.as(owner[1]).get("/api/accounts/tiktok/creator-info").then().statusCode(409)
                .body("error", equalTo("no connected tiktok account; connect one with POST /api/accounts/tiktok/connect"));
        Api.as(owner[1]).body(Map.of("accessToken", "t")).put("/api/accounts/tiktok").then().statusCode(200);
        Api.as(owner[1]).get("/api/accounts/tiktok/creator-info").then().statusCode(200)
                .body("creatorNickname", equalTo(owner[0] + " on TikTok"))
                .body("privacyLevelOptions", contains("MUTUAL_FOLLOW_FRIENDS", "SELF_ONLY"))
                .body("commentDisabled", equalTo(true))
                .body("accessToken", nullValue());
    }

    @Test
    void aTikTokPublishNeedsAKnownPrivacyLevel() {
        String[] owner = Api.newOwner("privacy");
        Api.as(owner[1]).body(create(Map.of("platforms", List.of("youtube", "tiktok")))).post("/api/videos").then().statusCode(400)
                .body("error", equalTo("Validation failed"))
                .body("details", hasItem("config.publish.tiktok.privacyLevel: required for tiktok, one of the creator's"
                        + " privacyLevelOptions (GET /api/accounts/tiktok/creator-info)"));
        Api.as(owner[1]).body(create(Map.of("platforms", List.of("tiktok"), "tiktok", Map.of("privacyLevel", "FRIENDS"))))
                .post("/api/videos").then().statusCode(400)
                .body("details", hasItem("config.publish.tiktok.privacyLevel: unknown privacy level 'FRIENDS'; valid: "
                        + "PUBLIC_TO_EVERYONE, MUTUAL_FOLLOW_FRIENDS, FOLLOWER_OF_CREATOR, SELF_ONLY"));
        Api.as(owner[1]).body(create(Map.of("platforms", List.of("tiktok"), "tiktok", Map.of("privacyLevel", "SELF_ONLY",
                "allowComment", true, "colour", "red")))).post("/api/videos").then().statusCode(400);
        Api.as(owner[1]).body(create(Map.of("platforms", List.of("tiktok"), "tiktok", Map.of("privacyLevel", "SELF_ONLY",
                "allowComment", true)))).post("/api/videos").then().statusCode(201);
        // youtube alone needs no TikTok choice
        Api.as(owner[1]).body(create(Map.of("platforms", List.of("youtube")))).post("/api/videos").then().statusCode(201);
    }

    private static Map<String, Object> create(Map<String, Object> publish) {
        return Map.of("topic", "TikTok rules " + System.nanoTime(), "allowDuplicate", true, "config", Map.of("publish", publish));
    }
}
