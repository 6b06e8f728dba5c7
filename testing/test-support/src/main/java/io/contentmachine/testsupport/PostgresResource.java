package io.contentmachine.testsupport;

import java.nio.file.Path;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/** Gives a @QuarkusTest a fresh database (db.host, db.port, db.name, db.user) and drops it afterwards. */
public class PostgresResource implements QuarkusTestResourceLifecycleManager {

    private PostgresDatabase database;

    @Override
    public Map<String, String> start() {
        String module = Path.of("").toAbsolutePath().getFileName().toString();
        database = PostgresDatabase.create("cmtest_" + module.replace('-', '_'));
        return Map.of(
                "db.host", database.host,
                "db.port", String.valueOf(database.port),
                "db.name", database.name,
                "db.user", database.user,
                "db.password", database.password);
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(database, new TestInjector.MatchesType(PostgresDatabase.class));
    }

    @Override
    public void stop() {
        if (database != null) {
            database.drop();
        }
    }
}
