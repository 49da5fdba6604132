package org.wwi.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code wwi db start|status|url|stop} with a real background embedded PostgreSQL. */
class TestDbCommand {
    @TempDir
    Path project;

    @AfterEach
    void stopLeftovers() {
        Run.of("--project", project.toString(), "db", "stop");
    }

    @Test
    void startStatusUrlStopAndDataSurvivesRestart() throws Exception {
        Files.writeString(project.resolve("wwi.yaml"), "db:\n  embedded:\n    port: " + freePort() + "\n");
        String p = project.toString();

        Run status = Run.of("--project", p, "db", "status");
        assertThat(status.exitCode()).isEqualTo(3);
        assertThat(status.out()).contains("not running");

        Run start = Run.of("--project", p, "db", "start");
        assertThat(start.exitCode()).as(start.err()).isZero();
        assertThat(start.out()).contains("JDBC URL").contains("psql \"postgresql://postgres@localhost:");

        Run again = Run.of("--project", p, "db", "start");
        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.err()).contains("already running").contains("pid");

        assertThat(Run.of("--project", p, "db", "status").exitCode()).isZero();
        String jdbc = Run.of("--project", p, "db", "url").out().strip();
        assertThat(Run.of("--project", p, "db", "url", "--psql").out().strip())
                .startsWith("postgresql://postgres@localhost:").endsWith("/wwi");

        // a command uses the running server instead of starting its own
        Run migrate = Run.of("--project", p, "migrate");
        assertThat(migrate.exitCode()).as(migrate.err()).isZero();
        try (Connection c = DriverManager.getConnection(jdbc); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select count(*) from dw.dim_date")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(7670);
        }

        Run stop = Run.of("--project", p, "db", "stop");
        assertThat(stop.exitCode()).as(stop.err()).isZero();
        assertThat(Run.of("--project", p, "db", "status").exitCode()).isEqualTo(3);
        Run stopAgain = Run.of("--project", p, "db", "stop");
        assertThat(stopAgain.exitCode()).isEqualTo(1);
        assertThat(stopAgain.err()).contains("not running");

        // data survives: a later command finds the schemas already migrated
        Run later = Run.of("--project", p, "migrate");
        assertThat(later.exitCode()).as(later.err()).isZero();
        assertThat(later.out()).contains("warehouse up to date");
    }

    @Test
    void aBusyPortIsReportedWithTheSettingToChange() throws Exception {
        try (ServerSocket busy = new ServerSocket(0)) {
            Files.writeString(project.resolve("wwi.yaml"), "db:\n  embedded:\n    port: " + busy.getLocalPort() + "\n");
            Run r = Run.of("--project", project.toString(), "db", "start");
            assertThat(r.exitCode()).isEqualTo(1);
            assertThat(r.err()).contains("port " + busy.getLocalPort() + ": the port is in use").contains("db.embedded.port");
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
