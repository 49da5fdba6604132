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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs jobs end to end on a pool of real databases with an in-process executor. */
@ExtendWith(WwiPostgres.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TestExecution {
    private final List<Database> targets = new ArrayList<>();
    private TestServer server;
    private Database control;
    private ElasticJobs jobs;
    private JobsExecutor executor;
    private final List<String> log = TestingControl.log();

    @BeforeAll
    void setUp(TestServer server, Database control, @TempDir Path tmp) {
        this.server = server;
        this.control = control;
        jobs = TestingControl.migrated(control, tmp);
        TestingControl.registerServer(jobs, server, "local");
        jobs.addPool("local", "tenants", 2);
        for (String t : List.of("retail", "sales", "marketing")) {
            Database d = server.createDatabase("exec_" + t);
            targets.add(d);
            jobs.addPoolDatabase("local", "tenants", d.address().database());
        }
        jobs.addTargetGroup("tenants");
        jobs.addMember("tenants", "Include", "PostgresElasticPool", null, "local", null, "tenants");
        executor = TestingControl.executor(jobs, log);
    }

    @AfterAll
    void tearDown() {
        executor.close();
        targets.forEach(d -> server.dropDatabase(d.address().database()));
    }

    private String db(int i) {
        return targets.get(i).address().database();
    }

    @Test
    void aStepRunsOnEveryDatabaseOfThePoolAndTheExecutionSucceeds() {
        jobs.addJob("create-loyalty", "", false, JobDefinition.Schedule.once());
        jobs.addStep("create-loyalty", JobDefinition.Step.sql("create", "tenants",
                "create table if not exists loyalty (id int primary key)"));
        UUID id = jobs.start("create-loyalty");
        ExecutionRow end = jobs.awaitEnd(id, Duration.ofSeconds(30));
        assertThat(end.lifecycle()).as(String.join("\n", log)).isEqualTo(Lifecycle.Succeeded);
        List<ExecutionRow> rows = jobs.execution(id);
        assertThat(rows.stream().filter(ExecutionRow::isTarget).map(ExecutionRow::targetDatabase)
                .map(Optional::orElseThrow)).containsExactlyInAnyOrder(db(0), db(1), db(2));
        assertThat(rows).allMatch(r -> r.lifecycle() == Lifecycle.Succeeded);
        for (int i = 0; i < 3; i++) {
            assertThat(TestingControl.count(control, db(i), "select count(*) from pg_tables where tablename = 'loyalty'"))
                    .isEqualTo(1);
        }
    }

    @Test
    void aPoolsMaxParallelismBoundsItsTargetsRunningAtOnce() {
        jobs.addJob("pool-bound", "", false, JobDefinition.Schedule.once());
        jobs.addStep("pool-bound", JobDefinition.Step.sql("sleep", "tenants", "select pg_sleep(0.7)"));
        UUID id = jobs.start("pool-bound");
        assertThat(jobs.awaitEnd(id, Duration.ofSeconds(30)).lifecycle()).isEqualTo(Lifecycle.Succeeded);
        List<ExecutionRow> t = jobs.execution(id).stream().filter(ExecutionRow::isTarget).toList();
        assertThat(t).hasSize(3);
        int most = 0;
        for (ExecutionRow a : t) {
            java.time.Instant at = a.startTime().orElseThrow().plusMillis(1);
            int running = (int) t.stream().filter(b -> !b.startTime().orElseThrow().isAfter(at)
                    && b.endTime().orElseThrow().isAfter(at)).count();
            most = Math.max(most, running);
        }
        assertThat(most).as("targets of pool tenants (max_parallelism 2) running at once").isEqualTo(2);
    }

    @Test
    void theFirstResultSetOfEachTargetLandsInTheOutputTable() {
        jobs.addJob("telemetry", "", false, JobDefinition.Schedule.once());
        jobs.addStep("telemetry", JobDefinition.Step.sql("collect", "tenants",
                "select current_database() as db, 42::int8 as answer, now() as at")
                .withOutput(new JobDefinition.Output("local", control.address().database() + "_out", "public",
                        "telemetry", Optional.empty())));
        UUID id = jobs.start("telemetry");
        assertThat(jobs.awaitEnd(id, Duration.ofSeconds(30)).lifecycle()).as(String.join("\n", log))
                .isEqualTo(Lifecycle.Succeeded);
        String out = control.address().database() + "_out";
        try {
            assertThat(TestingControl.count(control, out, "select count(*) from telemetry where job_execution_id = '"
                    + id + "' and db = target_database_name and answer = 42")).isEqualTo(3);
        } finally {
            server.dropDatabase(out);
        }
    }
}
