package io.contentmachine.storage;

import static io.contentmachine.storage.StorageTesting.bytes;
import static io.contentmachine.storage.StorageTesting.rendered;
import static io.contentmachine.storage.StorageTesting.send;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import io.contentmachine.testsupport.KafkaResource;
import io.contentmachine.testsupport.PostgresResource;
import io.contentmachine.testsupport.S3Resource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

/** The outbox relay is woken by the commit that wrote the event: with its timer an hour apart, the event still leaves. */
@QuarkusTest
@TestProfile(EventsLeaveAtCommitTest.RelayTimerOff.class)
@WithTestResource(PostgresResource.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(S3Resource.class)
class EventsLeaveAtCommitTest {

    /** The relay's timer only fires two seconds after start, then an hour later. */
    public static class RelayTimerOff implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("outbox.poll-interval", "1h");
        }
    }

    @Test
    void storedEventLeavesWithoutTheTimer() throws Exception {
        for (int i = 0; i < 3; i++) {
            UUID projectId = UUID.randomUUID();
            byte[] video = bytes(100_000, 20 + i);
            String stagingKey = StorageTesting.upload(projectId, video, "video/mp4").get("stagingKey").asText();
            String thumbKey = StorageTesting.upload(projectId, bytes(2_000, 30 + i), "image/jpeg").get("stagingKey").asText();
            send(rendered(projectId, stagingKey, thumbKey, video));
            JsonNode stored = StorageTesting.awaitEvent("video.stored", projectId);
            assertEquals(projectId.toString(), stored.get("projectId").asText());
        }
    }
}
