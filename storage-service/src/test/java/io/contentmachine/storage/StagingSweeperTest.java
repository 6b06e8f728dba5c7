package io.contentmachine.storage;

import static io.contentmachine.storage.StorageTesting.bytes;
import static io.contentmachine.storage.StorageTesting.internal;
import static io.contentmachine.storage.StorageTesting.sha256;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import io.contentmachine.storage.upload.StagingSweeper;
import io.contentmachine.testsupport.KafkaResource;
import io.contentmachine.testsupport.PostgresDatabase;
import io.contentmachine.testsupport.PostgresResource;
import io.contentmachine.testsupport.S3Resource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.restassured.http.ContentType;
import io.smallrye.common.vertx.VertxContext;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(S3Resource.class)
class StagingSweeperTest {

    @Inject
    S3Client s3;

    @Inject
    StagingSweeper sweeper;

    @Inject
    Vertx vertx;

    PostgresDatabase database;

    @Test
    void sweeperRemovesGrantsNeverFinalizedWithTheirObjectsAndKeepsStoredVideos() throws Exception {
        // finalized: uploaded and stored
        UUID storedProject = UUID.randomUUID();
        byte[] video = bytes(20_000, 89);
        String storedKey = StorageTesting.upload(storedProject, video, "video/mp4").get("stagingKey").asText();
        StorageTesting.send(StorageTesting.rendered(storedProject, storedKey, null, video));
        StorageTesting.awaitEvent("video.stored", storedProject);
        // never finalized: uploaded, no video.rendered
        UUID projectId = UUID.randomUUID();
        String orphanKey = StorageTesting.upload(projectId, bytes(20_000, 90), "video/mp4").get("stagingKey").asText();
        // a multipart grant never completed
        UUID other = UUID.randomUUID();
        long size = (64L << 20) + 1;
        String grant = internal().contentType(ContentType.JSON)
                .body(Map.of("projectId", other.toString(), "sizeBytes", size, "sha256", sha256(new byte[1]), "contentType", "video/mp4",
                        "partSizeBytes", 64L << 20, "partSha256", List.of(sha256(new byte[2]), sha256(new byte[3]))))
                .post("/storage/uploads").then().statusCode(200).extract().asString();
        assertEquals("multipart", StorageTesting.JSON.readTree(grant).get("method").asText());
        // and a leftover in the staging bucket, as uploads before this change left them
        s3.putObject(b -> b.bucket("staging").key(projectId + "/video.mp4"), RequestBody.fromBytes(new byte[10]));

        // nothing is older than a day yet
        StagingSweeper.Swept none = sweep(Instant.now().minus(Duration.ofDays(1)));
        assertEquals(0, none.multipartUploads());
        assertTrue(exists("videos", orphanKey));
        assertEquals(1, grants(projectId));

        // seen from a minute in the future, every grant is stale
        StagingSweeper.Swept swept = sweep(Instant.now().plusSeconds(60));
        assertTrue(swept.objects() >= 2, "objects swept: " + swept);
        assertTrue(swept.multipartUploads() >= 1, "multipart uploads aborted: " + swept);
        assertTrue(swept.grants() >= 3, "grants swept: " + swept);
        assertFalse(exists("videos", orphanKey), "an object never finalized is removed");
        assertFalse(exists("staging", projectId + "/video.mp4"), "the staging leftover is removed");
        assertTrue(exists("videos", storedKey), "a stored video is kept");
        assertEquals(0, grants(projectId) + grants(other) + grants(storedProject), "every stale grant row is gone");
        assertTrue(s3.listMultipartUploads(b -> b.bucket("videos").prefix(other + "/")).uploads().isEmpty(), "multipart aborted");
        internal().get("/storage/projects/{id}/video", storedProject).then().statusCode(200);
    }

    /** Runs a sweep as the scheduler does: on a (safe, duplicated) Vert.x context, which Hibernate Reactive needs. */
    private StagingSweeper.Swept sweep(Instant cutoff) throws Exception {
        CompletableFuture<StagingSweeper.Swept> result = new CompletableFuture<>();
        Context context = VertxContext.getOrCreateDuplicatedContext(vertx);
        VertxContextSafetyToggle.setContextSafe(context, true);
        context.runOnContext(ignored -> sweeper.sweep(cutoff).subscribe().with(result::complete, result::completeExceptionally));
        return result.get(60, TimeUnit.SECONDS);
    }

    private boolean exists(String bucket, String key) {
        try {
            s3.headObject(b -> b.bucket(bucket).key(key));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        }
    }

    private long grants(UUID projectId) throws Exception {
        try (Connection connection = database.connect();
                PreparedStatement statement = connection.prepareStatement("select count(*) from storage.uploads where project_id = ?")) {
            statement.setObject(1, projectId);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }
}
