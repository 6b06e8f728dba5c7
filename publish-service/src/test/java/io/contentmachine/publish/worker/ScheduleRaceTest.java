package io.contentmachine.publish.worker;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.contentmachine.kit.jobs.Lease;
import io.contentmachine.publish.StorageStandIn;
import io.contentmachine.publish.TestVideos;
import io.contentmachine.publish.domain.PublishJob;
import io.contentmachine.testsupport.KafkaResource;
import io.contentmachine.testsupport.KafkaTestClient;
import io.contentmachine.testsupport.PostgresResource;
import io.contentmachine.testsupport.SandboxResource;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * TikTok has no native scheduling: a publishAt is a durable job row due at that time. Two more replicas (each claiming in
 * its own transactions, FOR UPDATE SKIP LOCKED, and running what it claimed) race the service's own worker for it the
 * moment it is due: a publishing is run by one of them at a time (it comes back to the table between its steps, e.g. while
 * TikTok processes, so it may be claimed again later, never while someone holds it), and the sandbox sees exactly one post.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(SandboxResource.class)
@WithTestResource(StorageStandIn.class)
class ScheduleRaceTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String TOKEN = "test-internal-token";

    @Inject
    PublishWorker worker;

    @ConfigProperty(name = "sandbox.url")
    String sandbox;

    @Test
    void replicasRacingForOneDueScheduledJobPublishItOnce() throws Throwable {
        TestVideos video = TestVideos.generate(500_000);
        Instant publishAt = Instant.now().plusSeconds(8).truncatedTo(ChronoUnit.MILLIS);
        KafkaTestClient.send("video.stored", video.projectId.toString(),
                video.storedEvent(UUID.randomUUID(), List.of("tiktok"), publishAt.toString()));

        UUID publishingId = Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
            JsonNode listed = MAPPER.readTree(given().header("X-Internal-Token", TOKEN)
                    .get("/publish/projects/" + video.projectId + "/publishings").then().statusCode(200).extract().asString());
            return listed.isEmpty() ? null : UUID.fromString(listed.get(0).get("publishingId").asText());
        }, id -> id != null);
        PublishJob job = VertxContextSupport.subscribeAndAwait(() -> Panache.withSession(() ->
                PublishJob.<PublishJob>findById(publishingId)));
        assertNotNull(job, "a durable schedule row");
        assertEquals(publishAt, job.runAt, "due at publishAt");

        CyclicBarrier start = new CyclicBarrier(2);
        ExecutorService replicas = Executors.newFixedThreadPool(2);
        List<Future<Integer>> won = new ArrayList<>();
        // [claimed, done] of every run of the publishing by the racing replicas, in nanoseconds
        List<long[]> runs = new java.util.concurrent.CopyOnWriteArrayList<>();
        for (int r = 0; r < 2; r++) {
            won.add(replicas.submit(() -> {
                start.await();
                int mine = 0;
                while (Instant.now().isBefore(publishAt.plusSeconds(4))) {
                    for (Lease claimed : onContext(() -> worker.claim(10))) {
                        long claimedAt = System.nanoTime();
                        onContext(() -> worker.process(claimed));
                        if (claimed.jobId().equals(publishingId)) {
                            mine++;
                            runs.add(new long[] {claimedAt, System.nanoTime()});
                        }
                    }
                    Thread.sleep(5);
                }
                return mine;
            }));
        }
        for (Future<Integer> f : won) {
            f.get(120, TimeUnit.SECONDS);
        }
        replicas.shutdown();
        List<long[]> ordered = runs.stream().sorted(java.util.Comparator.comparingLong(run -> run[0])).toList();
        for (int i = 1; i < ordered.size(); i++) {
            assertTrue(ordered.get(i)[0] >= ordered.get(i - 1)[1], "claimed by one replica while the other ran it: " + runs.size()
                    + " runs");
        }

        var record = KafkaTestClient.awaitOne("video.published", r -> video.projectId.toString().equals(r.key())
                && r.value().contains("\"status\":\"published\""), Duration.ofSeconds(60));
        assertTrue(record.value().contains(publishingId.toString()));
        JsonNode uploads = MAPPER.readTree(given().get(sandbox + "/sandbox/uploads?platform=tiktok").then().statusCode(200)
                .extract().asString());
        int posts = 0;
        for (JsonNode upload : uploads) {
            if (video.sha256.equals(upload.path("sha256").asText())) {
                posts++;
            }
        }
        assertEquals(1, posts, "TikTok posts of this video");
        Instant publishedAt = Instant.parse(MAPPER.readTree(record.value()).get("publishedAt").asText());
        assertTrue(!publishedAt.isBefore(publishAt), "published at " + publishedAt + ", before publishAt " + publishAt);
    }

    /**
     * A run whose replica paused past its lease while another run claimed the job (the job holds another token) writes
     * nothing and calls no platform: the publishing, the job and the sandbox are as they were. Given back its own token,
     * the same run publishes.
     */
    @Test
    void aRunThatLostItsLeaseWritesNothing() throws Throwable {
        TestVideos video = TestVideos.generate(300_000);
        KafkaTestClient.send("video.stored", video.projectId.toString(),
                video.storedEvent(UUID.randomUUID(), List.of("tiktok"), Instant.now().plus(Duration.ofHours(1)).toString()));
        UUID publishingId = Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
            JsonNode listed = MAPPER.readTree(given().header("X-Internal-Token", TOKEN)
                    .get("/publish/projects/" + video.projectId + "/publishings").then().statusCode(200).extract().asString());
            return listed.isEmpty() ? null : UUID.fromString(listed.get(0).get("publishingId").asText());
        }, id -> id != null);
        UUID mine = UUID.randomUUID();
        UUID theirs = UUID.randomUUID();
        // due now, but held for an hour by another run (so the service's own worker leaves it alone too)
        leaseJob(publishingId, theirs);

        onContext(() -> worker.process(new Lease(publishingId, mine, 1)));

        PublishJob job = onContext(() -> Panache.withSession(() -> PublishJob.<PublishJob>findById(publishingId)));
        assertEquals(theirs, job.leaseToken, "the other run still holds the job");
        assertEquals(0, job.attempts, "the stale run counted no attempt");
        JsonNode publishing = MAPPER.readTree(given().header("X-Internal-Token", TOKEN)
                .get("/publish/projects/" + video.projectId + "/publishings").then().statusCode(200).extract().asString()).get(0);
        assertEquals("pending", publishing.get("status").asText(), "the stale run changed nothing");
        assertEquals(0, posts(video), "the stale run called TikTok");

        leaseJob(publishingId, mine);
        onContext(() -> worker.process(new Lease(publishingId, mine, 1)));
        KafkaTestClient.awaitOne("video.published", r -> video.projectId.toString().equals(r.key())
                && r.value().contains("\"status\":\"published\""), Duration.ofSeconds(60));
        assertEquals(1, posts(video), "TikTok posts of this video");
    }

    private static void leaseJob(UUID publishingId, UUID token) throws Exception {
        onContext(() -> Panache.withTransaction(() -> Panache.getSession().chain(session -> session.createNativeQuery(
                "update publish_jobs set run_at = now(), locked_until = now() + interval '1 hour', lease_token = ?1, attempts = 0"
                        + " where publishing_id = ?2").setParameter(1, token).setParameter(2, publishingId).executeUpdate())));
    }

    private int posts(TestVideos video) throws Exception {
        int posts = 0;
        for (JsonNode upload : MAPPER.readTree(given().get(sandbox + "/sandbox/uploads?platform=tiktok").then().statusCode(200)
                .extract().asString())) {
            if (video.sha256.equals(upload.path("sha256").asText())) {
                posts++;
            }
        }
        return posts;
    }

    /** Runs a Uni on a Vert.x context of its own (its own session and connection), as a replica's worker does. */
    private static <T> T onContext(Supplier<Uni<T>> work) throws Exception {
        try {
            return VertxContextSupport.subscribeAndAwait(work);
        } catch (Exception | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }
}
