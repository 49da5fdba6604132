package org.wwi.jobs;

import org.wwi.control.SecretStore;
import org.wwi.control.ServiceKey;
import org.wwi.migrations.Migrations;
import org.wwi.platform.Database;
import org.wwi.testkit.TestServer;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

/** Fixtures for elastic-jobs tests: a migrated control database, the test server registered, a fast executor. */
final class TestingControl {
    static final Path ROOT = Path.of(System.getProperty("wwi.test.root", "..")).toAbsolutePath().normalize();
    static final ExecutorSettings FAST = new ExecutorSettings(20, Duration.ofMillis(200), Duration.ofSeconds(3),
            Duration.ofSeconds(2));

    private TestingControl() {
    }

    /** Migrates {@code db}, gives it a master key (service key in {@code tmp}) and returns its elastic jobs. */
    static ElasticJobs migrated(Database db, Path tmp) {
        Migrations.forProject(ROOT).migrate(db);
        SecretStore secrets = SecretStore.open(db, ServiceKey.file(tmp.resolve("service.key")));
        if (!secrets.hasMasterKey()) {
            secrets.createMasterKey("test-master-password".toCharArray());
        }
        return ElasticJobs.open(db, ROOT, secrets);
    }

    /** Registers the shared test server as {@code name}. */
    static void registerServer(ElasticJobs jobs, TestServer server, String name) {
        jobs.addServer(name, server.address().host(), server.address().port(), "postgres");
    }

    /** A collecting log that tests can read while the executor writes. */
    static List<String> log() {
        return new java.util.concurrent.CopyOnWriteArrayList<>();
    }

    static JobsExecutor executor(ElasticJobs jobs, List<String> log) {
        return JobsExecutor.start(jobs.control(), jobs.secrets(), ROOT, FAST, log::add);
    }

    static void execute(Database db, String database, String sql) {
        try (Connection c = db.dataSource(database).getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    static long count(Database db, String database, String sql) {
        try (Connection c = db.dataSource(database).getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }
}
