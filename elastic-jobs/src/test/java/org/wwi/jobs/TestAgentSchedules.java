package org.wwi.jobs;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.quartz.Scheduler;
import org.quartz.impl.matchers.GroupMatcher;
import org.wwi.platform.Database;
import org.wwi.platform.QuartzFactory;
import org.wwi.testkit.TestServer;
import org.wwi.testkit.WwiPostgres;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The agent service in a clustered Quartz scheduler: enabled schedules fire; disabling removes the trigger. */
@ExtendWith(WwiPostgres.class)
class TestAgentSchedules {

    @Test
    void anEnabledCronScheduleStartsExecutionsUntilTheJobIsDisabled(TestServer server, Database control,
                                                                    @TempDir Path tmp) throws Exception {
        ElasticJobs jobs = TestingControl.migrated(control, tmp);
        Files.copy(tmp.resolve("service.key"), Files.createDirectories(tmp.resolve("state")).resolve("service.key"));
        TestingControl.registerServer(jobs, server, "local");
        Database target = server.createDatabase("sched");
        Scheduler scheduler = QuartzFactory.build(control, QuartzFactory.Settings.defaults()
                .withSchedulerName("test-" + control.address().database()));
        List<String> log = TestingControl.log();
        ElasticJobsAgent agent = new ElasticJobsAgent(TestingControl.ROOT, tmp.resolve("state"),
                TestingControl.FAST, log::add);
        try {
            jobs.addTargetGroup("one");
            jobs.addMember("one", "Include", "PostgresDatabase", null, "local", target.address().database(), null);
            jobs.addJob("tick", "", true, new JobDefinition.Schedule("Cron", 1, Optional.empty(), Optional.empty(),
                    Optional.of("* * * * * ?"), "Europe/Paris"));
            jobs.addStep("tick", JobDefinition.Step.sql("one", "one", "select 1"));
            agent.start(scheduler, control);
            scheduler.start();
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (TestingControl.count(control, control.address().database(), "select count(*) from jobs.execution "
                    + "where requested_by = 'schedule' and lifecycle = 'Succeeded'") < 2) {
                assertThat(System.nanoTime()).as(String.join("\n", log)).isLessThan(deadline);
                Thread.sleep(100);
            }
            assertThat(scheduler.getJobKeys(GroupMatcher.jobGroupEquals(ScheduleSync.GROUP))).hasSize(1);
            jobs.enableJob("tick", false);
            while (!scheduler.getJobKeys(GroupMatcher.jobGroupEquals(ScheduleSync.GROUP)).isEmpty()) {
                assertThat(System.nanoTime()).as(String.join("\n", log)).isLessThan(deadline + 10_000_000_000L);
                Thread.sleep(100);
            }
            assertThat(log).anyMatch(l -> l.contains("schedule of job tick fired"));
        } finally {
            agent.stop();
            scheduler.shutdown(true);
            server.dropDatabase(target.address().database());
        }
    }
}
