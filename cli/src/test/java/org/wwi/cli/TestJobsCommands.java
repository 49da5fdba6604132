package org.wwi.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.wwi.migrations.Migrations;
import org.wwi.platform.Database;
import org.wwi.testkit.TestServer;
import org.wwi.testkit.WwiPostgres;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/** wwi jobs, wwi pools and wwi agent on a real control database and real target databases. */
@ExtendWith(WwiPostgres.class)
class TestJobsCommands {
    private static final String SECRET = "Cli-Secret-31337";

    /** A project folder with the repository's migrations (read from the working tree, like wwi does). */
    static Path project(Path tmp) throws IOException {
        Path sql = Path.of(System.getProperty("wwi.test.root", "..")).resolve("migrations/sql");
        try (Stream<Path> all = Files.walk(sql)) {
            for (Path p : all.toList()) {
                Path q = tmp.resolve("migrations/sql").resolve(sql.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(q);
                } else {
                    Files.copy(p, q);
                }
            }
        }
        return tmp;
    }

    private static Run withStdin(String input, String... args) {
        InputStream old = System.in;
        System.setIn(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)));
        try {
            return Run.of(args);
        } finally {
            System.setIn(old);
        }
    }

    static String[] args(Path project, Database db, String... rest) {
        List<String> a = new ArrayList<>(List.of("--project", project.toString(), "--db", db.jdbcUrl()));
        a.addAll(List.of(rest));
        return a.toArray(String[]::new);
    }

    @Test
    void aDbaDefinesPoolsTargetsCredentialsAndAJobAndTheAgentRunsIt(TestServer server, Database db, @TempDir Path tmp)
            throws Exception {
        Path p = project(tmp);
        Database t1 = server.createDatabase("cli_tenant_1");
        Database t2 = server.createDatabase("cli_tenant_2");
        try {
            Migrations.forProject(p).migrate(db); // control and warehouse schemas only
            Run addServer = Run.of(args(p, db, "pools", "add-server", "local", "--host", server.address().host(),
                    "--port", Integer.toString(server.address().port())));
            assertThat(addServer.exitCode()).as(addServer.err()).isZero();
            Run pool = Run.of(args(p, db, "pools", "add", "tenants", "--server", "local", "--max-parallelism", "1",
                    "--database", t1.address().database(), "--database", t2.address().database()));
            assertThat(pool.exitCode()).as(pool.err()).isZero();
            assertThat(Run.of(args(p, db, "pools", "list")).out()).contains("tenants").contains(t1.address().database());

            Run key = withStdin("master-Key-pass-1\n", args(p, db, "jobs", "credential", "master-key"));
            assertThat(key.exitCode()).as(key.err()).isZero();
            Run cred = withStdin(SECRET + "\n", args(p, db, "jobs", "credential", "add", "runner", "--identity",
                    server.address().user()));
            assertThat(cred.exitCode()).as(cred.err()).isZero();
            Run creds = Run.of(args(p, db, "jobs", "credential", "list"));
            assertThat(creds.out()).contains("runner").contains(server.address().user());

            assertThat(Run.of(args(p, db, "jobs", "targets", "add-group", "tenants")).exitCode()).isZero();
            assertThat(Run.of(args(p, db, "jobs", "targets", "add", "tenants", "--server", "local", "--pool",
                    "tenants")).exitCode()).isZero();
            Run resolve = Run.of(args(p, db, "jobs", "targets", "resolve", "tenants"));
            assertThat(resolve.out()).contains(t1.address().database()).contains("2 target databases");

            Run add = Run.of(args(p, db, "jobs", "add", "hello", "--target-group", "tenants", "--credential", "runner",
                    "--sql", "create table if not exists hello (id int)", "--retry-attempts", "1"));
            assertThat(add.exitCode()).as(add.err()).isZero();
            assertThat(Run.of(args(p, db, "jobs", "show", "hello")).out()).contains("create table if not exists hello")
                    .contains("credential runner");

            CompletableFuture<Run> agent = CompletableFuture.supplyAsync(() -> Run.of(args(p, db, "agent",
                    "--stop-after", "PT6S", "--poll-interval", "PT0.2S")));
            Run start = Run.of(args(p, db, "jobs", "start", "hello", "--wait", "--timeout", "PT30S"));
            assertThat(start.exitCode()).as(start.out() + start.err()).isZero();
            assertThat(start.out()).contains("job hello: Succeeded").contains("local/" + t1.address().database());
            Run agentRun = agent.get(60, TimeUnit.SECONDS);
            assertThat(agentRun.exitCode()).as(agentRun.err()).isZero();
            assertThat(agentRun.out()).contains("service elastic-jobs started").contains("of job hello ended Succeeded")
                    .contains("agent stopped");

            Run status = Run.of(args(p, db, "jobs", "status", "hello"));
            assertThat(status.out()).contains("Succeeded").contains("local/" + t2.address().database());
            assertThat(Run.of(args(p, db, "jobs", "list")).out()).contains("hello").contains("Succeeded");
            assertThat(Run.of(args(p, db, "jobs", "history", "hello")).out()).contains("hello");
            try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("select count(*), count(*) filter (where position('" + SECRET
                         + "' in coalesce(last_message, '')) > 0) from jobs.job_executions")) {
                rs.next();
                assertThat(rs.getInt(1)).isPositive();
                assertThat(rs.getInt(2)).as("last_message rows with the secret, of %d", rs.getInt(1)).isZero();
            }
            assertThat(Run.of(args(p, db, "jobs", "purge", "hello")).out()).contains("purged 1 execution");

            for (Run r : List.of(cred, creds, start, agentRun, status)) {
                assertThat(r.out() + r.err()).doesNotContain(SECRET);
            }
            Run dup = Run.of(args(p, db, "jobs", "targets", "add-group", "tenants"));
            assertThat(dup.exitCode()).isEqualTo(1);
            assertThat(dup.err()).contains("error: Cannot add target group tenants: it exists already");
        } finally {
            server.dropDatabase(t1.address().database());
            server.dropDatabase(t2.address().database());
        }
    }

    @Test
    void statusRedrawsALiveProgressViewUntilTheExecutionEndsAndPurgeTakesAJobId(TestServer server, Database db,
                                                                               @TempDir Path tmp) throws Exception {
        Path p = project(tmp);
        Database t1 = server.createDatabase("live_tenant_1");
        Database t2 = server.createDatabase("live_tenant_2");
        try {
            Migrations.forProject(p).migrate(db);
            String jobId;
            try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
                s.execute("select jobs.sp_add_server(server_name => 'live', host => '" + server.address().host()
                        + "', port => " + server.address().port() + ")");
                s.execute("select jobs.sp_add_target_group(target_group_name => 'live-two')");
                for (Database t : List.of(t1, t2)) {
                    s.execute("select jobs.sp_add_target_group_member(target_group_name => 'live-two', target_type => "
                            + "'PostgresDatabase', server_name => 'live', database_name => '" + t.address().database() + "')");
                }
                try (ResultSet rs = s.executeQuery("select jobs.sp_add_job(job_name => 'slow')")) {
                    rs.next();
                    jobId = rs.getString(1);
                }
                s.execute("select jobs.sp_add_jobstep(job_name => 'slow', command => 'select pg_sleep(1)', "
                        + "target_group_name => 'live-two', max_parallelism => 1)");
                s.execute("select jobs.sp_start_job('slow')");
            }
            CompletableFuture<Run> agent = CompletableFuture.supplyAsync(() -> Run.of(args(p, db, "agent",
                    "--stop-after", "PT10S", "--poll-interval", "PT0.2S")));
            Run live = Run.of(args(p, db, "jobs", "status", "slow", "--live"));
            assertThat(live.exitCode()).as(live.out() + live.err()).isZero();
            String out = live.out();
            assertThat(out).contains("\033[").contains("job slow v").contains("Succeeded")
                    .containsPattern("step 1 \\S* *\\[#{30}\\] 2/2  Succeeded")
                    .contains("live/" + t1.address().database()).contains("live/" + t2.address().database());
            assertThat(out.split("\033\\[", -1).length).as("frames redrawn in place").isGreaterThan(2);
            assertThat(out).containsPattern("\\] [01]/2  WaitingForChildJobExecutions") // frames while targets ran
                    .containsPattern("live/\\S+ +InProgress");
            assertThat(agent.get(60, TimeUnit.SECONDS).exitCode()).isZero();

            Run purge = Run.of(args(p, db, "jobs", "purge", jobId));
            assertThat(purge.exitCode()).as(purge.err()).isZero();
            assertThat(purge.out()).contains("purged 1 execution");
        } finally {
            server.dropDatabase(t1.address().database());
            server.dropDatabase(t2.address().database());
        }
    }

    @Test
    void theJobsBenchmarkPrintsFiguresAndDropsItsDatabases(TestServer server, Database db, @TempDir Path tmp)
            throws Exception {
        Path p = project(tmp);
        Run bench = Run.of(args(p, db, "bench", "jobs", "--databases", "3", "--parallelism", "1,3", "--sleep-ms", "10"));
        assertThat(bench.exitCode()).as(bench.err()).isZero();
        assertThat(bench.out()).contains("3 databases created").contains("trivial (select 1)")
                .contains("pg_sleep 10 ms").contains("speed-up").contains("connection setup").doesNotContain(" NO");
        // the verdicts are printed with their figures, met or MISSED; not checked here (speed is the bench's job)
        assertThat(bench.out()).containsPattern("pg_sleep 10 ms at max_parallelism 3: wall \\d+ ms; bound 1.5 x ideal "
                + "\\d+ ms \\+ connection setup \\d+ ms = \\d+ ms .*: (met|MISSED)")
                .containsPattern("trivial \\(select 1\\) at max_parallelism 1: scheduling outside the attempts "
                        + "-?[\\d.]+ ms/target \\(bound 20\\): (met|MISSED)")
                .containsPattern("all overhead against bare serial JDBC -?[\\d.]+ ms/target \\(bound 20\\): (met|MISSED)");
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select count(*) from pg_database where datname like 'wwi_bench_%'")) {
            rs.next();
            assertThat(rs.getInt(1)).isZero();
        }
    }

    @Test
    void fromPsqlAJobOnAServerSucceedsOnEveryDatabaseWhileTheAgentRuns(TestServer server, Database db,
                                                                      @TempDir Path tmp) throws Exception {
        Path psql = Path.of("/usr/bin/psql");
        assumeThat(Files.isExecutable(psql)).as("psql is installed").isTrue();
        Path p = project(tmp);
        Database t1 = server.createDatabase("psql_tenant_1");
        Database t2 = server.createDatabase("psql_tenant_2");
        try {
            Migrations.forProject(p).migrate(db); // control and warehouse schemas only
            CompletableFuture<Run> agent = CompletableFuture.supplyAsync(() -> Run.of(args(p, db, "agent",
                    "--stop-after", "PT8S", "--poll-interval", "PT1S")));
            String script = String.join("\n",
                    "select jobs.sp_add_server(server_name => 'this', host => '" + server.address().host()
                            + "', port => " + server.address().port() + ");",
                    "select jobs.sp_add_target_group(target_group_name => 'everything');",
                    "select jobs.sp_add_target_group_member(target_group_name => 'everything', "
                            + "target_type => 'PostgresServer', server_name => 'this');",
                    "select jobs.sp_add_job(job_name => 'make-table', description => 'acceptance');",
                    "select jobs.sp_add_jobstep(job_name => 'make-table', command => "
                            + "'create table if not exists accepted (id int)', target_group_name => 'everything');",
                    "select jobs.sp_start_job('make-table');");
            ProcessBuilder pb = new ProcessBuilder(psql.toString(), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h",
                    server.address().host(), "-p", Integer.toString(server.address().port()), "-U",
                    server.address().user(), "-d", db.address().database(), "-c", script).redirectErrorStream(true);
            server.password().ifPresent(pw -> pb.environment().put("PGPASSWORD", pw));
            Process proc = pb.start();
            String psqlOut = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(proc.waitFor()).as(psqlOut).isZero();
            long deadline = System.nanoTime() + 30_000_000_000L;
            String lifecycle = "";
            while (!lifecycle.equals("Succeeded") && System.nanoTime() < deadline) {
                Thread.sleep(200);
                try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
                     ResultSet rs = s.executeQuery("select lifecycle from jobs.job_executions where job_name = "
                             + "'make-table' and step_id is null")) {
                    lifecycle = rs.next() ? rs.getString(1) : "";
                }
            }
            assertThat(lifecycle).isEqualTo("Succeeded");
            try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("select target_database_name, lifecycle from jobs.job_executions "
                         + "where job_name = 'make-table' and target_type = 'PostgresDatabase'")) {
                List<String> dbs = new ArrayList<>();
                while (rs.next()) {
                    assertThat(rs.getString(2)).isEqualTo("Succeeded");
                    dbs.add(rs.getString(1));
                }
                assertThat(dbs).contains(t1.address().database(), t2.address().database())
                        .doesNotContain(db.address().database(), "postgres", "template1");
            }
            for (Database t : List.of(t1, t2)) {
                try (Connection c = t.dataSource().getConnection(); Statement s = c.createStatement();
                     ResultSet rs = s.executeQuery("select count(*) from pg_tables where tablename = 'accepted'")) {
                    rs.next();
                    assertThat(rs.getInt(1)).isEqualTo(1);
                }
            }
            assertThat(agent.get(60, TimeUnit.SECONDS).exitCode()).isZero();
        } finally {
            server.dropDatabase(t1.address().database());
            server.dropDatabase(t2.address().database());
        }
    }
}
