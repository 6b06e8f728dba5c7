package io.contentmachine.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;

import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.contentmachine.api.domain.ReadModel;
import io.contentmachine.api.events.PipelineConsumers;
import io.contentmachine.events.VideoProgress;
import io.contentmachine.events.VideoRendered;
import io.contentmachine.events.VideoStored;
import io.contentmachine.testsupport.Contract;
import io.contentmachine.testsupport.KafkaResource;
import io.contentmachine.testsupport.PostgresDatabase;
import io.contentmachine.testsupport.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The gateway applies video.progress, video.rendered and video.stored in concurrent transactions (one consumer per topic).
 * Here all three load the same project before any commits, then commit in every order: a stale write must never undo
 * another (a late progress once wrote 'processing' over 'stored' and the video stayed processing for good).
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(KafkaResource.class)
class ConcurrentEventsTest {

    private static final ExecutorService THREADS = Executors.newFixedThreadPool(3);

    PostgresDatabase database;

    @Inject
    PipelineConsumers consumers;

    @Inject
    ReadModel readModel;

    @Inject
    ObjectMapper mapper;

    @AfterAll
    static void stop() {
        THREADS.shutdownNow();
    }

    @Test
    void progressRenderedAndStoredInterleavedInEveryOrderEndStored() throws Exception {
        String[] owner = Api.newOwner("racer");
        for (List<String> order : permutations(List.of("video.progress", "video.rendered", "video.stored"))) {
            String id = Api.as(owner[1]).body(Map.of("topic", "Interleaved events " + order, "allowDuplicate", true))
                    .post("/api/videos").then().statusCode(201).extract().path("projectId");
            UUID projectId = UUID.fromString(id);

            CountDownLatch loaded = new CountDownLatch(3);
            Map<String, CompletableFuture<Void>> gates = Map.of("video.progress", new CompletableFuture<>(),
                    "video.rendered", new CompletableFuture<>(), "video.stored", new CompletableFuture<>());
            List<Future<Void>> running = new ArrayList<>();
            for (String topic : gates.keySet()) {
                AtomicInteger attempts = new AtomicInteger();
                Function<Object, Uni<Void>> effect = effectOf(topic);
                Object event = event(topic, id, owner[0]);
                running.add(inTransaction(() -> consumers.applyOnce(UUID.randomUUID(),
                        "test." + topic, projectId, () -> effect.apply(event).call(() -> {
                            // the first attempt waits, holding its stale view of the row, until the test lets it commit
                            if (attempts.incrementAndGet() > 1) {
                                return Uni.createFrom().voidItem();
                            }
                            loaded.countDown();
                            // the test thread opens the gate; the transaction goes on on its own Vert.x context
                            Context context = Vertx.currentContext();
                            return Uni.createFrom().completionStage(gates.get(topic))
                                    .emitOn(task -> context.runOnContext(ignored -> task.run()));
                        }))));
            }
            assertTrue(loaded.await(30, TimeUnit.SECONDS), "all three transactions read the project");
            for (String topic : order) {
                gates.get(topic).complete(null);
            }
            for (Future<Void> done : running) {
                done.get(60, TimeUnit.SECONDS);
            }

            try (Connection c = database.connect();
                    PreparedStatement q = c.prepareStatement("select status, video_id, title, video_resolution,"
                            + " (select count(*) from api.scenes s where s.project_id = p.id) as scenes"
                            + " from api.projects p where id = ?")) {
                q.setObject(1, projectId);
                ResultSet row = q.executeQuery();
                assertTrue(row.next());
                assertEquals("stored", row.getString("status"), "committed in the order " + order);
                assertNotNull(row.getObject("video_id"), "video facts kept, order " + order);
                assertEquals("1080x1920", row.getString("video_resolution"), "order " + order);
                assertEquals("Why octopuses have three hearts", row.getString("title"), "order " + order);
                assertEquals(1, row.getInt("scenes"), "order " + order);
            }
            Api.as(owner[1]).get("/api/videos/" + id).then().statusCode(200)
                    .body("status", org.hamcrest.Matchers.equalTo("stored"));
        }
    }

    /** Runs the work on a Vert.x context of its own (its own session and transaction), on a thread of the test's pool. */
    private static Future<Void> inTransaction(Supplier<Uni<Void>> work) {
        return THREADS.submit(() -> {
            try {
                return VertxContextSupport.subscribeAndAwait(work);
            } catch (Throwable e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private Function<Object, Uni<Void>> effectOf(String topic) {
        return switch (topic) {
            case "video.progress" -> event -> readModel.progress((VideoProgress) event);
            case "video.rendered" -> event -> readModel.rendered((VideoRendered) event);
            case "video.stored" -> event -> readModel.stored((VideoStored) event);
            default -> throw new IllegalArgumentException(topic);
        };
    }

    private Object event(String topic, String projectId, String owner) throws Exception {
        ObjectNode json = (ObjectNode) mapper.readTree(Contract.example(topic));
        json.put("eventId", UUID.randomUUID().toString());
        json.put("projectId", projectId);
        json.put("ownerId", owner);
        Class<?> type = switch (topic) {
            case "video.progress" -> VideoProgress.class;
            case "video.rendered" -> VideoRendered.class;
            default -> VideoStored.class;
        };
        return mapper.treeToValue(json, type);
    }

    private static List<List<String>> permutations(List<String> items) {
        if (items.size() <= 1) {
            return List.of(items);
        }
        List<List<String>> all = new ArrayList<>();
        for (String first : items) {
            List<String> rest = new ArrayList<>(items);
            rest.remove(first);
            for (List<String> tail : permutations(rest)) {
                List<String> order = new ArrayList<>();
                order.add(first);
                order.addAll(tail);
                all.add(order);
            }
        }
        return all;
    }
}
