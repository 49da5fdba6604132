package org.wwi.jobs;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.wwi.platform.Database;
import org.wwi.testkit.TestServer;
import org.wwi.testkit.WwiPostgres;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * kill -9 of an agent JVM in the middle of an execution: after another agent starts, every
 * target ends Succeeded or Failed (none stays InProgress) and each ran at least once.
 */
@ExtendWith(WwiPostgres.class)
class TestAgentCrash {

    @Test
    void targetsOfAKilledAgentAreResumedAndEveryTargetRunsAtLeastOnce(TestServer server, Database control,
                                                                      @TempDir Path tmp) throws Exception {
        ElasticJobs jobs = TestingControl.migrated(control, tmp);
        TestingControl.registerServer(jobs, server, "local");
        jobs.addTargetGroup("crash");
        List<Database> targets = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            Database d = server.createDatabase("crash_" + i);
            targets.add(d);
            TestingControl.execute(control, d.address().database(), "create table runs (at timestamptz)");
            jobs.addMember("crash", "Include", "PostgresDatabase", null, "local", d.address().database(), null);
        }
        jobs.addJob("crash", "", false, JobDefinition.Schedule.once());
        jobs.addStep("crash", JobDefinition.Step.sql("work", "crash", "insert into runs values (now()); "
                + "select pg_sleep(1.5)").withMaxParallelism(3));

        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), AgentProcess.class.getName(), server.address().host(),
                Integer.toString(server.address().port()), server.address().user(), control.address().database(),
                tmp.resolve("service.key").toString(), "2").redirectErrorStream(true).start();
        List<String> childLog = new ArrayList<>();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            String line;
            while ((line = out.readLine()) != null && !line.equals("started")) {
                childLog.add(line);
            }
            assertThat(line).as("child agent output: %s", childLog).isEqualTo("started");
            UUID id = jobs.start("crash");
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (jobs.execution(id).stream().filter(r -> r.isTarget() && r.lifecycle() == Lifecycle.InProgress)
                    .count() < 3) {
                assertThat(System.nanoTime()).as("the child agent runs three targets").isLessThan(deadline);
                Thread.sleep(20);
            }
            Thread.sleep(300); // mid-execution: the targets' statements are running
            child.destroyForcibly(); // SIGKILL: no shutdown hook, no lease released
            assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(jobs.execution(id).stream().filter(ExecutionRow::isTarget))
                    .anyMatch(r -> r.lifecycle() == Lifecycle.InProgress);

            List<String> log = TestingControl.log();
            try (JobsExecutor restarted = TestingControl.executor(jobs, log)) {
                ExecutionRow end = jobs.awaitEnd(id, Duration.ofSeconds(60));
                assertThat(end.lifecycle()).as(String.join("\n", log)).isEqualTo(Lifecycle.Succeeded);
            }
            List<ExecutionRow> rows = jobs.execution(id).stream().filter(ExecutionRow::isTarget).toList();
            assertThat(rows).hasSize(6).allMatch(r -> r.lifecycle() == Lifecycle.Succeeded);
            for (Database d : targets) {
                assertThat(TestingControl.count(control, d.address().database(), "select count(*) from runs"))
                        .as("runs committed in %s", d.address().database()).isGreaterThanOrEqualTo(1);
            }
            assertThat(TestingControl.count(control, control.address().database(), "select count(*) from "
                    + "jobs.target_execution where interrupted_attempts > 0")).isGreaterThanOrEqualTo(3);
            assertThat(log).anyMatch(l -> l.contains("lease expired, resuming it"));
        } finally {
            child.destroyForcibly();
            targets.forEach(d -> server.dropDatabase(d.address().database()));
        }
    }
}
