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

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Agents and the control database: a start from SQL is picked up through LISTEN/NOTIFY (an
 * executor that polls every 10 minutes runs it at once), a start without a notification through
 * polling, three agents share one control database, Azure's step defaults, and history purges.
 */
@ExtendWith(WwiPostgres.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TestAgents {
    private final List<Database> targets = new ArrayList<>();
    private TestServer server;
    private Database control;
    private ElasticJobs jobs;

    @BeforeAll
    void setUp(TestServer server, Database control, @TempDir Path tmp) {
        this.server = server;
        this.control = control;
        jobs = TestingControl.migrated(control, tmp);
        TestingControl.registerServer(jobs, server, "local");
        jobs.addTargetGroup("nine");
        for (int i = 0; i < 9; i++) {
            Database d = server.createDatabase("agents_" + i);
            targets.add(d);
            TestingControl.execute(control, d.address().database(), "create table runs (job text, at timestamptz "
                    + "default clock_timestamp())");
            jobs.addMember("nine", "Include", "PostgresDatabase", null, "local", d.address().database(), null);
        }
        jobs.addTargetGroup("one");
        jobs.addMember("one", "Include", "PostgresDatabase", null, "local", targets.get(0).address().database(), null);
    }

    @AfterAll
    void tearDown() {
        targets.forEach(d -> server.dropDatabase(d.address().database()));
    }

    private String sql(String statement) {
        List<String> out = jobs.query("run " + statement, statement, rs -> rs.getString(1));
        return out.isEmpty() ? null : out.get(0);
    }

    private void job(String name, String group, String step) {
        jobs.addJob(name, "", false, JobDefinition.Schedule.once());
        jobs.addStep(name, JobDefinition.Step.sql("s", group, step).withRetries(0, 1, 1, 1.0));
    }

    /** Waits until the executor's listener session has run LISTEN and waits for notifications. */
    private void awaitListening() throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!"true".equals(sql("select (count(*) > 0)::text from pg_stat_activity where datname = current_database() "
                + "and query = 'listen " + JobsExecutor.CHANNEL + "' and state = 'idle'"))) {
            assertThat(System.nanoTime()).as("the executor listens on " + JobsExecutor.CHANNEL + ": "
                    + jobs.query("sessions", "select concat_ws(' | ', datname, state, query) from pg_stat_activity",
                    rs -> rs.getString(1))).isLessThan(deadline);
            Thread.sleep(20);
        }
        Thread.sleep(300); // the round the listener's first wake-up caused is over: the coordinator waits now
    }

    @Test
    void aStartFromSqlIsPickedUpByNotificationWithoutWaitingForThePollingInterval() throws Exception {
        job("notified", "one", "insert into runs (job) values ('notified')");
        List<String> log = TestingControl.log();
        ExecutorSettings tenMinutePolls = new ExecutorSettings(4, Duration.ofMinutes(10), Duration.ofSeconds(30),
                Duration.ofSeconds(2));
        try (JobsExecutor e = JobsExecutor.start(control, jobs.secrets(), TestingControl.ROOT, tenMinutePolls, log::add)) {
            awaitListening();
            UUID id = UUID.fromString(sql("select jobs.sp_start_job(job_name => 'notified')::text"));
            // polls are 10 minutes apart: only the notification of sp_start_job can make it end in time
            ExecutionRow end = jobs.awaitEnd(id, Duration.ofSeconds(60));
            assertThat(end.lifecycle()).as(String.join("\n", log)).isEqualTo(Lifecycle.Succeeded);
            ExecutionRow target = jobs.execution(id).stream().filter(ExecutionRow::isTarget).findFirst().orElseThrow();
            System.out.println("picked up " + Duration.between(end.createTime(), target.startTime().orElseThrow())
                    .toMillis() + " ms after sp_start_job (informational)");
        }
        assertThat(TestingControl.count(control, targets.get(0).address().database(),
                "select count(*) from runs where job = 'notified'")).isEqualTo(1);
    }

    @Test
    void anExecutionMadeWithoutANotificationIsPickedUpByPolling() throws Exception {
        job("polled", "one", "insert into runs (job) values ('polled')");
        List<String> log = TestingControl.log();
        try (JobsExecutor e = TestingControl.executor(jobs, log)) { // polls every 200 ms
            awaitListening();
            // what jobs.start_execution does, less its pg_notify (as if the notification were lost)
            UUID id = UUID.fromString(sql("insert into jobs.execution (job_id, job_version, requested_by) select "
                    + "job_id, job_version, 'test' from jobs.job where job_name = 'polled' returning job_execution_id::text"));
            assertThat(jobs.awaitEnd(id, Duration.ofSeconds(60)).lifecycle()).as(String.join("\n", log))
                    .isEqualTo(Lifecycle.Succeeded);
        }
        assertThat(TestingControl.count(control, targets.get(0).address().database(),
                "select count(*) from runs where job = 'polled'")).isEqualTo(1);
    }

    @Test
    void threeAgentsOnOneControlDatabaseShareTheTargetsAndRunEachOnce() {
        jobs.addJob("shared", "", false, JobDefinition.Schedule.once());
        jobs.addStep("shared", JobDefinition.Step.sql("s", "nine", "insert into runs (job) values ('shared'); "
                + "select pg_sleep(0.6)").withRetries(0, 1, 1, 1.0).withMaxParallelism(5));
        List<List<String>> logs = List.of(TestingControl.log(), TestingControl.log(), TestingControl.log());
        ExecutorSettings two = TestingControl.FAST.withMaxConcurrency(2);
        List<JobsExecutor> agents = new ArrayList<>();
        UUID id;
        try {
            for (List<String> log : logs) {
                agents.add(JobsExecutor.start(control, jobs.secrets(), TestingControl.ROOT, two, log::add));
            }
            assertThat(agents.stream().map(JobsExecutor::agentId).distinct()).hasSize(3);
            id = jobs.start("shared");
            assertThat(jobs.awaitEnd(id, Duration.ofSeconds(90)).lifecycle()).as(logs.toString())
                    .isEqualTo(Lifecycle.Succeeded);
        } finally {
            agents.forEach(JobsExecutor::close);
        }
        List<ExecutionRow> rows = jobs.execution(id).stream().filter(ExecutionRow::isTarget).toList();
        assertThat(rows).hasSize(9).allMatch(r -> r.lifecycle() == Lifecycle.Succeeded && r.attempts() == 1);
        for (Database d : targets) {
            assertThat(TestingControl.count(control, d.address().database(), "select count(*) from runs where job = "
                    + "'shared'")).as("runs in %s", d.address().database()).isEqualTo(1);
        }
        long working = logs.stream().filter(l -> l.stream().anyMatch(x -> x.contains("of execution " + id
                + ": Succeeded"))).count();
        assertThat(working).as("agents that ran targets: %s", logs).isGreaterThanOrEqualTo(2);
        int most = 0;
        for (ExecutionRow a : rows) {
            Instant at = a.startTime().orElseThrow().plusMillis(1);
            most = Math.max(most, (int) rows.stream().filter(b -> !b.startTime().orElseThrow().isAfter(at)
                    && b.endTime().orElseThrow().isAfter(at)).count());
        }
        assertThat(most).as("targets at once: more than one agent's 2, at most the step's max_parallelism 5")
                .isBetween(3, 5);
    }

    @Test
    void anAgentRunsNoMoreTargetsAtOnceThanItsMaxConcurrency() {
        jobs.addJob("bounded", "", false, JobDefinition.Schedule.once());
        jobs.addStep("bounded", JobDefinition.Step.sql("s", "nine", "select pg_sleep(0.3)").withRetries(0, 1, 1, 1.0));
        List<String> log = TestingControl.log();
        UUID id;
        try (JobsExecutor e = JobsExecutor.start(control, jobs.secrets(), TestingControl.ROOT,
                TestingControl.FAST.withMaxConcurrency(2), log::add)) {
            id = jobs.start("bounded");
            assertThat(jobs.awaitEnd(id, Duration.ofSeconds(60)).lifecycle()).as(String.join("\n", log))
                    .isEqualTo(Lifecycle.Succeeded);
        }
        List<ExecutionRow> rows = jobs.execution(id).stream().filter(ExecutionRow::isTarget).toList();
        assertThat(rows).hasSize(9);
        int most = 0;
        for (ExecutionRow a : rows) {
            Instant at = a.startTime().orElseThrow().plusMillis(1);
            most = Math.max(most, (int) rows.stream().filter(b -> !b.startTime().orElseThrow().isAfter(at)
                    && b.endTime().orElseThrow().isAfter(at)).count());
        }
        assertThat(most).as("targets at once on an agent with max concurrency 2 (no step or pool limit)").isEqualTo(2);
    }

    @Test
    void aStepAddedWithoutRetryOrTimeoutParametersGetsAzuresDefaults() {
        sql("select jobs.sp_add_job(job_name => 'defaults')::text");
        sql("select jobs.sp_add_jobstep(job_name => 'defaults', command => 'select 1', target_group_name => 'one')::text");
        List<String> row = jobs.query("read the step", "select concat_ws(' ', retry_attempts, "
                + "initial_retry_interval_seconds, maximum_retry_interval_seconds, retry_interval_backoff_multiplier, "
                + "step_timeout_seconds, coalesce(max_parallelism::text, 'unbounded')) from jobs.jobsteps "
                + "where job_name = 'defaults'", rs -> rs.getString(1));
        assertThat(row).containsExactly("10 1 120 2 43200 unbounded");
        JobDefinition.Step viaJava = jobs.job("defaults").orElseThrow().steps().get(0);
        assertThat(viaJava).isEqualTo(JobDefinition.Step.sql(viaJava.name(), "one", "select 1"));
    }

    private UUID endedExecution(String job, Duration age) {
        UUID id = jobs.start(job);
        sql("update jobs.execution set lifecycle = 'Succeeded', create_time = now() - interval '" + age.toSeconds()
                + " seconds', end_time = now() where job_execution_id = '" + id + "' returning 1");
        return id;
    }

    private long executions(String job) {
        return Long.parseLong(sql("select count(*)::text from jobs.execution e join jobs.job j using (job_id) "
                + "where j.job_name = '" + job + "'"));
    }

    @Test
    void historyIsPurgedByJobNameOrJobIdAndOlderThanADateButNeverWhileRunning() throws SQLException {
        job("purged", "one", "select 1");
        job("kept", "one", "select 1");
        UUID jobId = UUID.fromString(sql("select job_id::text from jobs.jobs where job_name = 'purged'"));
        endedExecution("purged", Duration.ofDays(40));
        endedExecution("purged", Duration.ofDays(40));
        endedExecution("purged", Duration.ofDays(2));
        endedExecution("kept", Duration.ofDays(40));
        UUID running = jobs.start("purged"); // Created: never purged

        try (Connection c = control.dataSource().getConnection();
             PreparedStatement byName = c.prepareStatement("select jobs.sp_purge_jobhistory(job_name => ?, "
                     + "oldest_date => now() - interval '30 days')")) {
            byName.setString(1, "purged");
            try (ResultSet rs = byName.executeQuery()) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(2);
            }
        }
        assertThat(executions("purged")).isEqualTo(2);
        assertThat(jobs.purge(jobId, java.util.Optional.of(Instant.now().minus(Duration.ofDays(30))))).isZero();
        assertThat(jobs.purge(jobId, java.util.Optional.empty())).isEqualTo(1); // the 2-day-old one
        assertThat(jobs.execution(running).get(0).lifecycle()).isEqualTo(Lifecycle.Created);
        assertThat(executions("kept")).isEqualTo(1);
        // a bare literal is a job name, as in psql: select jobs.sp_purge_jobhistory('kept')
        assertThat(sql("select jobs.sp_purge_jobhistory('kept')::text")).isEqualTo("1");

        try (Connection c = control.dataSource().getConnection(); Statement s = c.createStatement()) {
            assertThatThrownBy(() -> s.executeQuery("select jobs.sp_purge_jobhistory(job_id => '"
                    + UUID.randomUUID() + "')").close()).hasMessageContaining("Cannot purge the history of job: job_id")
                    .hasMessageContaining("does not exist");
            assertThatThrownBy(() -> s.executeQuery("select jobs.sp_purge_jobhistory('no-such-job')").close())
                    .hasMessageContaining("Cannot purge the history of job: no-such-job does not exist");
        }
        jobs.stop(running);
    }
}
