package org.wwi.jobs;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.wwi.platform.Database;
import org.wwi.testkit.TestServer;
import org.wwi.testkit.WwiPostgres;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * Failures end each target in the right lifecycle with a clear last_message and leave the other
 * targets alone: a server that is down, a wrong password (checked by a pg_hba.conf rule that makes
 * the test server ask this role's password with SCRAM for one database), a script error, a
 * time-out and a cancel. Also: retries, exclusions, no overlap, isolation of credentials.
 */
@ExtendWith(WwiPostgres.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TestReliability {
    static final String ROLE = "ej_checked_user";
    static final String RIGHT = "right-Secret-4711";
    static final String WRONG = "wrong-Secret-0815";

    private final List<Database> targets = new ArrayList<>();
    private final List<String> log = TestingControl.log();
    private TestServer server;
    private Database control;
    private ElasticJobs jobs;
    private JobsExecutor executor;
    private Path hbaFile;
    private String hbaLine;

    @BeforeAll
    void setUp(TestServer server, Database control, @TempDir Path tmp) throws Exception {
        this.server = server;
        this.control = control;
        jobs = TestingControl.migrated(control, tmp);
        TestingControl.registerServer(jobs, server, "local");
        jobs.addServer("down", "127.0.0.1", 1, "postgres");
        for (String t : List.of("a", "b", "c", "d")) {
            targets.add(server.createDatabase("rel_" + t));
        }
        TestingControl.execute(control, "postgres", "drop role if exists " + ROLE);
        TestingControl.execute(control, "postgres", "create role " + ROLE + " login password '" + RIGHT + "'");
        TestingControl.execute(control, db("a"), "create sequence attempts");
        TestingControl.execute(control, db("a"), "grant usage, update on sequence attempts to " + ROLE);
        jobs.addCredential("checked_right", ROLE, RIGHT.toCharArray());
        jobs.addCredential("checked_wrong", ROLE, WRONG.toCharArray());
        jobs.addCredential("admin", server.address().user(), "any-secret-on-trust".toCharArray());
        executor = TestingControl.executor(jobs, log);
    }

    @AfterAll
    void tearDown() throws IOException {
        executor.close();
        if (hbaLine != null) {
            Files.write(hbaFile, Files.readAllLines(hbaFile).stream().filter(l -> !l.equals(hbaLine)).toList());
            TestingControl.execute(control, "postgres", "select pg_reload_conf()");
        }
        targets.forEach(d -> server.dropDatabase(d.address().database()));
    }

    private String db(String t) {
        return targets.get("abcd".indexOf(t)).address().database();
    }

    private void group(String name, String... members) {
        jobs.addTargetGroup(name);
        for (String m : members) {
            String[] sd = m.split("/");
            jobs.addMember(name, "Include", "PostgresDatabase", null, sd[0], sd[1].length() == 1 ? db(sd[1]) : sd[1],
                    null);
        }
    }

    private Map<String, ExecutionRow> run(String job, Duration timeout) {
        UUID id = jobs.start(job);
        jobs.awaitEnd(id, timeout);
        return jobs.execution(id).stream().filter(ExecutionRow::isTarget)
                .collect(Collectors.toMap(ExecutionRow::target, r -> r));
    }

    /** Makes the test server check ROLE's password (SCRAM) when it connects to database c. */
    private boolean checkPasswordsOnC() throws IOException {
        String file;
        try (Connection c = control.dataSource().getConnection(); Statement s = c.createStatement();
             var rs = s.executeQuery("select current_setting('hba_file')")) {
            rs.next();
            file = rs.getString(1);
        } catch (SQLException e) {
            return false;
        }
        hbaFile = Path.of(file);
        if (!Files.isWritable(hbaFile)) {
            return false;
        }
        hbaLine = "host " + db("c") + " " + ROLE + " all scram-sha-256";
        List<String> lines = new ArrayList<>(Files.readAllLines(hbaFile));
        lines.add(0, hbaLine);
        Files.write(hbaFile, lines);
        TestingControl.execute(control, "postgres", "select pg_reload_conf()");
        return true;
    }

    @Test
    void aDownServerAWrongPasswordAndAScriptErrorFailOnlyTheirTargets() throws Exception {
        assumeThat(checkPasswordsOnC()).as("pg_hba.conf of the test server is writable (embedded server)").isTrue();
        String url = "jdbc:postgresql://" + server.address().host() + ":" + server.address().port() + "/" + db("c");
        assertThatThrownBy(() -> DriverManager.getConnection(url, ROLE, WRONG).close())
                .hasMessageContaining("password authentication failed");
        DriverManager.getConnection(url, ROLE, RIGHT).close();

        group("mixed", "local/a", "local/b", "local/c", "down/xdb");
        jobs.addJob("mixed", "", false, JobDefinition.Schedule.once());
        jobs.addStep("mixed", JobDefinition.Step.sql("probe", "mixed", "do $$ begin if current_database() = '"
                + db("b") + "' then perform 1 / 0; end if; end $$").withCredential("checked_wrong")
                .withRetries(1, 1, 1, 1.0));
        Map<String, ExecutionRow> t = run("mixed", Duration.ofSeconds(60));

        assertThat(t.get("local/" + db("a")).lifecycle()).isEqualTo(Lifecycle.Succeeded);
        ExecutionRow b = t.get("local/" + db("b"));
        assertThat(b.lifecycle()).isEqualTo(Lifecycle.Failed);
        assertThat(b.attempts()).isEqualTo(2);
        assertThat(b.lastMessage().orElseThrow()).startsWith("Attempt 2 failed: ").contains("division by zero")
                .contains("SQL state 22012").contains("no retries left");
        ExecutionRow c = t.get("local/" + db("c"));
        assertThat(c.lifecycle()).isEqualTo(Lifecycle.Failed);
        assertThat(c.lastMessage().orElseThrow()).contains("login refused").contains("password authentication failed")
                .contains(ROLE);
        ExecutionRow down = t.get("down/xdb");
        assertThat(down.lifecycle()).isEqualTo(Lifecycle.Failed);
        assertThat(down.lastMessage().orElseThrow()).contains("cannot connect");
        ExecutionRow job = jobs.execution(b.jobExecutionId()).get(0);
        assertThat(job.lifecycle()).isEqualTo(Lifecycle.Failed);
        assertThat(job.lastMessage().orElseThrow()).contains("3 Failed").contains("1 Succeeded");

        // the right password gets in where the wrong one did not
        jobs.addJob("checked", "", false, JobDefinition.Schedule.once());
        jobs.addStep("checked", JobDefinition.Step.sql("probe", "mixed", "select 1").withCredential("checked_right")
                .withRetries(0, 1, 1, 1.0));
        assertThat(run("checked", Duration.ofSeconds(60)).get("local/" + db("c")).lifecycle())
                .isEqualTo(Lifecycle.Succeeded);
        assertSecretsNowhere();
    }

    @Test
    void aTimeOutEndsTimedOutAndTheOtherTargetSucceeds() {
        group("timeout", "local/a", "local/d");
        jobs.addJob("timeout", "", false, JobDefinition.Schedule.once());
        jobs.addStep("timeout", JobDefinition.Step.sql("sleep", "timeout", "select pg_sleep(case when current_database() = '"
                + db("d") + "' then 30 else 0 end)").withTimeoutSeconds(2).withRetries(3, 1, 1, 1.0));
        long t0 = System.nanoTime();
        Map<String, ExecutionRow> t = run("timeout", Duration.ofSeconds(30));
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(15));
        assertThat(t.get("local/" + db("a")).lifecycle()).isEqualTo(Lifecycle.Succeeded);
        ExecutionRow d = t.get("local/" + db("d"));
        assertThat(d.lifecycle()).isEqualTo(Lifecycle.TimedOut);
        assertThat(d.attempts()).isEqualTo(1);
        assertThat(d.lastMessage().orElseThrow()).contains("step_timeout_seconds (2 s").contains("statement timeout");
        assertThat(jobs.execution(d.jobExecutionId()).get(0).lifecycle()).isEqualTo(Lifecycle.TimedOut);
    }

    @Test
    void aStopCancelsTheRunningTargetsAndLeavesOtherExecutionsAlone() throws Exception {
        group("cancel", "local/a", "local/d");
        jobs.addJob("slow", "", false, JobDefinition.Schedule.once());
        jobs.addStep("slow", JobDefinition.Step.sql("sleep", "cancel", "select pg_sleep(30)"));
        jobs.addJob("quick", "", false, JobDefinition.Schedule.once());
        jobs.addStep("quick", JobDefinition.Step.sql("one", "cancel", "select pg_sleep(1)"));
        UUID slow = jobs.start("slow");
        UUID quick = jobs.start("quick");
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (jobs.execution(slow).stream().filter(r -> r.isTarget() && r.lifecycle() == Lifecycle.InProgress).count() < 2) {
            assertThat(System.nanoTime()).as("both targets of slow start").isLessThan(deadline);
            Thread.sleep(50);
        }
        long t0 = System.nanoTime();
        jobs.stop(slow);
        ExecutionRow end = jobs.awaitEnd(slow, Duration.ofSeconds(20));
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
        assertThat(end.lifecycle()).isEqualTo(Lifecycle.Canceled);
        assertThat(jobs.execution(slow).stream().filter(ExecutionRow::isTarget)).hasSize(2)
                .allSatisfy(r -> {
                    assertThat(r.lifecycle()).isEqualTo(Lifecycle.Canceled);
                    assertThat(r.lastMessage().orElseThrow()).contains("Canceled by jobs.sp_stop_job during attempt 1");
                });
        assertThat(jobs.awaitEnd(quick, Duration.ofSeconds(20)).lifecycle()).isEqualTo(Lifecycle.Succeeded);
    }

    @Test
    void failedAttemptsAreRetriedWithBackOffUntilOneSucceeds() {
        group("retry", "local/a");
        jobs.addJob("flaky", "", false, JobDefinition.Schedule.once());
        jobs.addStep("flaky", JobDefinition.Step.sql("flaky", "retry",
                "select 1 / greatest(nextval('attempts') - 2, 0)").withCredential("checked_right")
                .withRetries(5, 1, 2, 2.0));
        long t0 = System.nanoTime();
        ExecutionRow a = run("flaky", Duration.ofSeconds(30)).get("local/" + db("a"));
        assertThat(a.lifecycle()).isEqualTo(Lifecycle.Succeeded);
        assertThat(a.attempts()).isEqualTo(3);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofSeconds(3)); // 1 s + 2 s
        assertThat(log).anyMatch(l -> l.contains("WaitingForRetry") && l.contains("retry 2 of 5"));
    }

    @Test
    void anExcludedDatabaseIsLeftOutEvenWhenAnIncludedServerListsIt() {
        jobs.addTargetGroup("server-but-b");
        jobs.addMember("server-but-b", "Include", "PostgresServer", null, "local", null, null);
        jobs.addMember("server-but-b", "Exclude", "PostgresDatabase", null, "local", db("b"), null);
        List<String> names = jobs.resolve("server-but-b").targets().stream().map(Target::database).toList();
        assertThat(names).contains(db("a"), db("c"), db("d")).doesNotContain(db("b"), control.address().database(),
                "postgres", "template0", "template1");

        jobs.addTargetGroup("nothing");
        jobs.addMember("nothing", "Exclude", "PostgresServer", null, "local", null, null);
        jobs.addMember("nothing", "Include", "PostgresDatabase", null, "local", db("a"), null);
        assertThat(jobs.resolve("nothing").targets()).isEmpty();
    }

    @Test
    void theSameStepNeverRunsTwiceAtOnceOnATargetTheLaterIsSkipped() throws InterruptedException {
        group("overlap", "local/d");
        jobs.addJob("overlap", "", false, JobDefinition.Schedule.once());
        jobs.addStep("overlap", JobDefinition.Step.sql("sleep", "overlap", "select pg_sleep(2)"));
        UUID first = jobs.start("overlap");
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (jobs.execution(first).stream().noneMatch(r -> r.isTarget() && r.lifecycle() == Lifecycle.InProgress)) {
            assertThat(System.nanoTime()).isLessThan(deadline);
            Thread.sleep(20);
        }
        UUID second = jobs.start("overlap");
        assertThat(jobs.awaitEnd(second, Duration.ofSeconds(20)).lifecycle()).isEqualTo(Lifecycle.SucceededWithSkipped);
        ExecutionRow skipped = jobs.execution(second).stream().filter(ExecutionRow::isTarget).findFirst().orElseThrow();
        assertThat(skipped.lifecycle()).isEqualTo(Lifecycle.Skipped);
        assertThat(skipped.lastMessage().orElseThrow()).contains("already running").contains(first.toString());
        assertThat(jobs.awaitEnd(first, Duration.ofSeconds(20)).lifecycle()).isEqualTo(Lifecycle.Succeeded);
    }

    @Test
    void aTargetAnEarlierExecutionStillWaitsForIsSkippedInTheLaterNotTakenFromTheEarlier() throws InterruptedException {
        group("overlap-queued", "local/a", "local/d");
        jobs.addJob("queued", "", false, JobDefinition.Schedule.once());
        jobs.addStep("queued", JobDefinition.Step.sql("sleep", "overlap-queued", "select pg_sleep(1.5)")
                .withMaxParallelism(1));
        UUID first = jobs.start("queued");
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (jobs.execution(first).stream().noneMatch(r -> r.isTarget() && r.lifecycle() == Lifecycle.InProgress)) {
            assertThat(System.nanoTime()).isLessThan(deadline);
            Thread.sleep(20);
        }
        // the first execution runs one target (max_parallelism 1); its other target waits, Created
        UUID second = jobs.start("queued");
        assertThat(jobs.awaitEnd(first, Duration.ofSeconds(30)).lifecycle()).as(String.join("\n", log))
                .isEqualTo(Lifecycle.Succeeded);
        assertThat(jobs.awaitEnd(second, Duration.ofSeconds(30)).lifecycle()).isEqualTo(Lifecycle.SucceededWithSkipped);
        assertThat(jobs.execution(first).stream().filter(ExecutionRow::isTarget))
                .hasSize(2).allMatch(r -> r.lifecycle() == Lifecycle.Succeeded);
        assertThat(jobs.execution(second).stream().filter(ExecutionRow::isTarget)).hasSize(2).allSatisfy(r -> {
            assertThat(r.lifecycle()).isEqualTo(Lifecycle.Skipped);
            assertThat(r.lastMessage().orElseThrow()).contains("already running").contains(first.toString());
        });
    }

    @Test
    void aTargetsCredentialCannotReadJobDefinitionsSecretsOrOutputs() throws Exception {
        group("isolation", "local/a");
        jobs.addJob("outputs", "", false, JobDefinition.Schedule.once());
        jobs.addStep("outputs", JobDefinition.Step.sql("out", "isolation", "select 1 as one")
                .withCredential("checked_right").withOutput(new JobDefinition.Output("local", db("d"), "public",
                        "job_output", Optional.empty())));
        assertThat(run("outputs", Duration.ofSeconds(30)).get("local/" + db("a")).lifecycle())
                .isEqualTo(Lifecycle.Succeeded);
        String base = "jdbc:postgresql://" + server.address().host() + ":" + server.address().port() + "/";
        try (Connection c = DriverManager.getConnection(base + control.address().database(), ROLE, RIGHT);
             Statement s = c.createStatement()) {
            for (String q : List.of("select * from jobs.jobs", "select * from jobs.job_executions",
                    "select * from secrets.credential", "select jobs.sp_start_job('outputs')")) {
                assertThatThrownBy(() -> s.executeQuery(q).close()).as(q).isInstanceOf(SQLException.class)
                        .hasMessageContaining("permission denied");
            }
        }
        try (Connection c = DriverManager.getConnection(base + db("d"), ROLE, RIGHT);
             Statement s = c.createStatement()) {
            assertThatThrownBy(() -> s.executeQuery("select * from public.job_output").close())
                    .hasMessageContaining("permission denied");
        }
        assertSecretsNowhere();
    }

    private void assertSecretsNowhere() {
        List<String> messages = jobs.query("read messages", "select coalesce(last_message, '') from "
                + "jobs.job_executions", rs -> rs.getString(1));
        assertThat(messages).isNotEmpty().noneMatch(m -> m.contains(RIGHT) || m.contains(WRONG));
        assertThat(new ArrayList<>(log)).isNotEmpty().noneMatch(m -> m.contains(RIGHT) || m.contains(WRONG));
    }
}
