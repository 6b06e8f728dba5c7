package io.contentmachine.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.contentmachine.testsupport.PostgresDatabase;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Two replicas of a service that start at once both run Flyway at start (quarkus.flyway.migrate-at-start) on one schema.
 * Here two Flyway runs with the services' own settings (schema, locations db/migration + db/kit, out of order) migrate
 * one fresh database of the machine's PostgreSQL at the same moment: Flyway's lock must make one wait for the other, so
 * every migration runs exactly once and both replicas start.
 */
class FlywayConcurrentMigrationTest {

    private static final Path ROOT = Path.of(System.getProperty("cm.root", "../.."));

    private static Flyway flyway(PostgresDatabase db, String service, String schema) {
        return Flyway.configure()
                .dataSource(db.jdbcUrl(), db.user, db.password)
                .schemas(schema)
                .createSchemas(true)
                .outOfOrder(true)
                .locations("filesystem:" + ROOT.resolve(service).resolve("src/main/resources/db/migration"),
                        "filesystem:" + ROOT.resolve("service-kit/src/main/resources/db/kit"))
                .load();
    }

    private static long migrationFiles(String service) throws Exception {
        try (Stream<Path> a = Files.list(ROOT.resolve(service).resolve("src/main/resources/db/migration"));
                Stream<Path> b = Files.list(ROOT.resolve("service-kit/src/main/resources/db/kit"))) {
            return Stream.concat(a, b).filter(p -> p.getFileName().toString().matches("V\\d+.*\\.sql")).count();
        }
    }

    @ParameterizedTest
    @CsvSource({"api-service,api", "render-service,render", "storage-service,storage", "publish-service,publishing"})
    void twoReplicasMigrateOneSchemaAtOnce(String service, String schema) throws Exception {
        PostgresDatabase db = PostgresDatabase.create("flyway_race");
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            CyclicBarrier together = new CyclicBarrier(2);
            List<CompletableFuture<MigrateResult>> runs = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                runs.add(CompletableFuture.supplyAsync(() -> {
                    Flyway replica = flyway(db, service, schema);
                    try {
                        together.await(30, TimeUnit.SECONDS);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                    return replica.migrate();
                }, pool));
            }
            List<MigrateResult> results = new ArrayList<>();
            for (CompletableFuture<MigrateResult> run : runs) {
                results.add(run.get(120, TimeUnit.SECONDS)); // a failed replica throws here
            }
            long expected = migrationFiles(service);
            assertTrue(expected >= 2, "no migrations found for " + service);
            assertTrue(results.stream().allMatch(result -> result.success));
            assertEquals(expected, results.get(0).migrationsExecuted + results.get(1).migrationsExecuted,
                    "every migration ran once between the two replicas");
            try (Connection c = db.connect(); Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("select count(*), count(distinct version), bool_and(success) from " + schema
                            + ".flyway_schema_history where version is not null")) {
                rs.next();
                assertEquals(expected, rs.getLong(1), "history rows");
                assertEquals(expected, rs.getLong(2), "a version twice in the history");
                assertTrue(rs.getBoolean(3), "a failed migration in the history");
            }
            // a third start finds nothing to do
            assertEquals(0, flyway(db, service, schema).migrate().migrationsExecuted);
        } finally {
            pool.shutdownNow();
            db.drop();
        }
    }

    /** The query of components/keda-render/scaled-object.yaml, run against render-service's migrated schema. */
    @Test
    void kedaQueryCountsTheRenderBacklog() throws Exception {
        String query = Kustomize.read(ROOT.resolve("deploy/kubernetes/components/keda-render/scaled-object.yaml")).get(0)
                .at("/spec/triggers/0/metadata/query").asText();
        PostgresDatabase db = PostgresDatabase.create("keda_query");
        try {
            flyway(db, "render-service", "render").migrate();
            try (Connection c = db.connect(); Statement s = c.createStatement()) {
                s.execute("""
                        insert into render.render_jobs (project_id, owner_id, status, run_at) values
                          (gen_random_uuid(), 'o', 'queued', now() - interval '1 second'),
                          (gen_random_uuid(), 'o', 'queued', now() - interval '1 minute'),
                          (gen_random_uuid(), 'o', 'queued', now() + interval '1 minute'),
                          (gen_random_uuid(), 'o', 'running', now()),
                          (gen_random_uuid(), 'o', 'done', now()),
                          (gen_random_uuid(), 'o', 'failed', now()),
                          (gen_random_uuid(), 'o', 'cancelled', now())""");
                try (ResultSet rs = s.executeQuery(query)) {
                    rs.next();
                    assertEquals(3, rs.getLong(1), "two queued and due, one running: " + query);
                }
            }
        } finally {
            db.drop();
        }
    }
}
