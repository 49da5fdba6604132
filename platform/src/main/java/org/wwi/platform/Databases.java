package org.wwi.platform;

import org.postgresql.Driver;

import java.util.Optional;
import java.util.Properties;

import static java.util.Objects.requireNonNull;

/** Opens the {@link Database} a configuration points at. */
public final class Databases {
    private Databases() {
    }

    /**
     * The external server of {@code db.url}; otherwise the embedded server, reusing a running
     * one (e.g. from {@code wwi db start}) or starting it for the life of the returned object.
     */
    public static Database open(DbConfig config) {
        requireNonNull(config, "config is null");
        if (!config.isEmbedded()) {
            return external(config.url().orElseThrow(), config.user(), config.password());
        }
        EmbeddedServer server = new EmbeddedServer(config);
        EmbeddedServer.Status status = server.status();
        if (status.running()) {
            EmbeddedServer.ensureDatabase(status.port(), config.database());
            return PgDatabase.connect(new Database.ServerAddress("localhost", status.port(), EmbeddedServer.SUPERUSER,
                    config.database()), Optional.empty(), "embedded", null);
        }
        EmbeddedServer.Running running = server.startInProcess("command");
        try {
            return PgDatabase.connect(new Database.ServerAddress("localhost", running.port(),
                    EmbeddedServer.SUPERUSER, config.database()), Optional.empty(), "embedded", running);
        } catch (RuntimeException e) {
            running.close();
            throw e;
        }
    }

    /** An external PostgreSQL 14+ by JDBC URL; user and password override those in the URL. */
    public static Database external(String jdbcUrl, Optional<String> user, Optional<String> password) {
        Properties props = Driver.parseURL(jdbcUrl, new Properties());
        if (props == null) {
            throw new PlatformException(PlatformErrorCode.DB_URL_INVALID, "Cannot use database URL: "
                    + DbConfig.redact(jdbcUrl) + " (expected jdbc:postgresql://host:port/database)");
        }
        String host = props.getProperty("PGHOST", "localhost").split(",")[0];
        int port = Integer.parseInt(props.getProperty("PGPORT", "5432").split(",")[0]);
        String database = props.getProperty("PGDBNAME", "postgres");
        String u = user.orElse(props.getProperty("user", System.getProperty("user.name")));
        Optional<String> pw = password.or(() -> Optional.ofNullable(props.getProperty("password")));
        return PgDatabase.connect(new Database.ServerAddress(host, port, u, database), pw, "external", null);
    }

    /** A server at a known address (tests, tools). */
    public static Database connect(Database.ServerAddress address, Optional<String> password, String origin) {
        return PgDatabase.connect(address, password, origin, null);
    }
}
