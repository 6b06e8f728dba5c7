package io.contentmachine.testsupport;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * A fresh database on the machine's PostgreSQL server (127.0.0.1:5432, trust auth, unless PGHOST/PGPORT/PGUSER say
 * otherwise), so every test run starts from empty schemas that the service's own Flyway migrations create.
 */
public final class PostgresDatabase {

    public final String host = env("PGHOST", "127.0.0.1");
    public final int port = Integer.parseInt(env("PGPORT", "5432"));
    public final String user = env("PGUSER", "postgres");
    public final String password = env("PGPASSWORD", "");
    public final String name;

    private PostgresDatabase(String name) {
        this.name = name;
    }

    public static PostgresDatabase create(String prefix) {
        PostgresDatabase db = new PostgresDatabase(prefix.replaceAll("[^a-z0-9_]", "_") + "_"
                + UUID.randomUUID().toString().substring(0, 8));
        db.admin("CREATE DATABASE " + db.name);
        return db;
    }

    public void drop() {
        admin("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://" + host + ":" + port + "/" + name;
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), user, password);
    }

    private void admin(String sql) {
        try (Connection connection = DriverManager.getConnection("jdbc:postgresql://" + host + ":" + port + "/postgres", user, password);
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL at " + host + ":" + port + " refused '" + sql + "': " + e.getMessage()
                    + " (is it running? pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start)", e);
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
