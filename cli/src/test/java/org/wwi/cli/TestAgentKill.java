package org.wwi.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.wwi.migrations.Migrations;
import org.wwi.platform.Database;
import org.wwi.testkit.TestServer;
import org.wwi.testkit.WwiPostgres;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real {@code wwi agent} in a JVM of its own, killed with SIGKILL while its targets run: a
 * restarted {@code wwi agent} resumes them once their leases expire, so every target ends
 * Succeeded or Failed, none stays InProgress, and each ran at least once.
 */
@ExtendWith(WwiPostgres.class)
class TestAgentKill {

    private static long count(Database db, String database, String sql) throws SQLException {
        try (Connection c = db.dataSource(database).getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void execute(Database db, String database, String sql) throws SQLException {
        try (Connection c = db.dataSource(database).getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    @Test
    void aKilledAgentsTargetsAreResumedByTheRestartedAgentAndEachRunsAtLeastOnce(TestServer server, Database db,
                                                                                @TempDir Path tmp) throws Exception {
        Path p = TestJobsCommands.project(tmp);
        Migrations.forProject(p).migrate(db);
        String control = db.address().database();
        List<Database> targets = new ArrayList<>();
        Process child = null;
        try {
            execute(db, control, "select jobs.sp_add_server(server_name => 'local', host => '" + server.address().host()
                    + "', port => " + server.address().port() + ")");
            execute(db, control, "select jobs.sp_add_target_group(target_group_name => 'killed')");
            for (int i = 0; i < 6; i++) {
                Database t = server.createDatabase("kill_" + i);
                targets.add(t);
                execute(db, t.address().database(), "create table runs (at timestamptz default now())");
                execute(db, control, "select jobs.sp_add_target_group_member(target_group_name => 'killed', "
                        + "target_type => 'PostgresDatabase', server_name => 'local', database_name => '"
                        + t.address().database() + "')");
            }
            execute(db, control, "select jobs.sp_add_job(job_name => 'killed')");
            execute(db, control, "select jobs.sp_add_jobstep(job_name => 'killed', target_group_name => 'killed', "
                    + "command => 'insert into runs default values; select pg_sleep(1.5)', max_parallelism => 3)");

            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                    .toString(), "-cp", System.getProperty("java.class.path"), Main.class.getName()));
            command.addAll(List.of(TestJobsCommands.args(p, db, "agent", "--lease", "PT2S", "--poll-interval", "PT0.2S")));
            Path childLog = tmp.resolve("child-agent.log");
            child = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(childLog.toFile()).start();
            execute(db, control, "select jobs.sp_start_job('killed')");
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (count(db, control, "select count(*) from jobs.job_executions where job_name = 'killed' "
                    + "and target_type = 'PostgresDatabase' and lifecycle = 'InProgress'") < 3) {
                assertThat(child.isAlive()).as("the child agent runs: %s", Files.readString(childLog)).isTrue();
                assertThat(System.nanoTime()).as("the child agent starts three targets: %s",
                        Files.readString(childLog)).isLessThan(deadline);
                Thread.sleep(50);
            }
            Thread.sleep(300); // mid-execution: the statements run on the targets
            child.destroyForcibly(); // SIGKILL: no shutdown hook, leases not handed back
            assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(Files.readString(childLog)).contains("service elastic-jobs started");
            assertThat(count(db, control, "select count(*) from jobs.job_executions where job_name = 'killed' "
                    + "and target_type = 'PostgresDatabase' and lifecycle = 'InProgress'")).isPositive();

            CompletableFuture<Run> restarted = CompletableFuture.supplyAsync(() -> Run.of(TestJobsCommands.args(p, db,
                    "agent", "--lease", "PT2S", "--poll-interval", "PT0.2S", "--stop-after", "PT20S")));
            String lifecycle = "";
            while (!lifecycle.equals("Succeeded") && !lifecycle.equals("Failed") && System.nanoTime() < deadline) {
                Thread.sleep(200);
                try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
                     ResultSet rs = s.executeQuery("select lifecycle from jobs.job_executions where job_name = "
                             + "'killed' and step_id is null")) {
                    lifecycle = rs.next() ? rs.getString(1) : "";
                }
            }
            Run agent = restarted.get(90, TimeUnit.SECONDS);
            assertThat(agent.exitCode()).as(agent.err()).isZero();
            assertThat(lifecycle).as(agent.out()).isEqualTo("Succeeded");
            assertThat(agent.out()).contains("lease expired, resuming it");
            assertThat(count(db, control, "select count(*) from jobs.job_executions where job_name = 'killed' "
                    + "and target_type = 'PostgresDatabase' and lifecycle not in ('Succeeded', 'Failed')")).isZero();
            assertThat(count(db, control, "select count(*) from jobs.job_executions where job_name = 'killed' "
                    + "and target_type = 'PostgresDatabase'")).isEqualTo(6);
            assertThat(count(db, control, "select count(*) from jobs.target_execution where interrupted_attempts > 0"))
                    .isGreaterThanOrEqualTo(1);
            for (Database t : targets) {
                assertThat(count(db, t.address().database(), "select count(*) from runs"))
                        .as("runs committed in %s", t.address().database()).isGreaterThanOrEqualTo(1);
            }
        } finally {
            if (child != null) {
                child.destroyForcibly();
            }
            targets.forEach(t -> server.dropDatabase(t.address().database()));
        }
    }
}
