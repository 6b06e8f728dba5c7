package io.contentmachine.storage;

import static io.contentmachine.storage.StorageTesting.bytes;
import static io.contentmachine.storage.StorageTesting.internal;
import static io.contentmachine.storage.StorageTesting.sha256;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
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
    void sweeperRemovesStaleStagedObjectsAndAbortsOpenMultipartUploads() throws Exception {
        UUID projectId = UUID.randomUUID();
        StorageTesting.upload(projectId, bytes(20_000, 90), "video/mp4");
        UUID other = UUID.randomUUID();
        long size = (64L << 20) + 1;
        String grant = internal().contentType(ContentType.JSON)
                .body(Map.of("projectId", other.toString(), "sizeBytes", size, "sha256", sha256(new byte[1]), "contentType", "video/mp4"))
                .post("/storage/uploads").then().statusCode(200).extract().asString();
        assertEquals("multipart", StorageTesting.JSON.readTree(grant).get("method").asText());

        // nothing is older than a day yet
        StagingSweeper.Swept none = sweep(Instant.now().minus(Duration.ofDays(1)));
        assertEquals(0, none.multipartUploads());
        assertTrue(exists(projectId + "/video.mp4"));

        // seen from a minute in the future, both are stale
        StagingSweeper.Swept swept = sweep(Instant.now().plusSeconds(60));
        assertTrue(swept.objects() >= 1, "objects swept: " + swept);
        assertTrue(swept.multipartUploads() >= 1, "multipart uploads aborted: " + swept);
        assertFalse(exists(projectId + "/video.mp4"));
        assertNotNull(completedAt(other), "the aborted grant is closed");
    }

    /** Runs a sweep as the scheduler does: on a (safe, duplicated) Vert.x context, which Hibernate Reactive needs. */
    private StagingSweeper.Swept sweep(Instant cutoff) throws Exception {
        CompletableFuture<StagingSweeper.Swept> result = new CompletableFuture<>();
        Context context = VertxContext.getOrCreateDuplicatedContext(vertx);
        VertxContextSafetyToggle.setContextSafe(context, true);
        context.runOnContext(ignored -> sweeper.sweep(cutoff).subscribe().with(result::complete, result::completeExceptionally));
        return result.get(60, TimeUnit.SECONDS);
    }

    private boolean exists(String key) {
        try {
            s3.headObject(b -> b.bucket("staging").key(key));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        }
    }

    private Instant completedAt(UUID projectId) throws Exception {
        try (Connection connection = database.connect();
                PreparedStatement statement = connection.prepareStatement(
                        "select completed_at from storage.uploads where project_id = ?")) {
            statement.setObject(1, projectId);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                java.sql.Timestamp at = rows.getTimestamp(1);
                return at == null ? null : at.toInstant();
            }
        }
    }
}
