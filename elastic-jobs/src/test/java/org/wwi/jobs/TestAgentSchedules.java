package org.wwi.jobs;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.quartz.Scheduler;
import org.quartz.impl.matchers.GroupMatcher;
import org.wwi.migrations.Migrations;
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

    @Test
    void aJobWithACronQuartzRefusesIsLeftOutAndTheOtherJobsAreStillScheduled(Database control) throws Exception {
        Migrations.forProject(TestingControl.ROOT).migrate(control);
        // as a DBA would in psql: six fields pass the control database's check, Quartz refuses the expression
        TestingControl.execute(control, control.address().database(), "select jobs.sp_add_job(job_name => 'bad-cron', "
                + "enabled => true, schedule_interval_type => 'Cron', schedule_cron => '* * * * * *')");
        TestingControl.execute(control, control.address().database(), "select jobs.sp_add_job(job_name => 'daily', "
                + "enabled => true, schedule_interval_type => 'Days', schedule_interval_count => 1)");
        TestingControl.execute(control, control.address().database(), "select jobs.sp_add_job(job_name => 'cron-ok', "
                + "enabled => true, schedule_cron => '0 0 3 * * ?', schedule_time_zone => 'Europe/Paris')");
        Scheduler scheduler = QuartzFactory.build(control, QuartzFactory.Settings.defaults()
                .withSchedulerName("iso-" + control.address().database()));
        List<String> log = TestingControl.log();
        try {
            ScheduleSync sync = new ScheduleSync(scheduler, control, log::add);
            java.util.Map<String, String> refused = sync.sync();
            assertThat(refused).containsOnlyKeys("bad-cron");
            assertThat(refused.get("bad-cron")).contains("Cannot schedule job bad-cron: schedule_cron '* * * * * *'")
                    .contains("day-of-week").contains("jobs.sp_update_job");
            assertThat(scheduler.getJobKeys(GroupMatcher.jobGroupEquals(ScheduleSync.GROUP))).hasSize(2);
            assertThat(log).anyMatch(l -> l.contains("schedule of job daily set"))
                    .anyMatch(l -> l.contains("schedule of job cron-ok set"))
                    .filteredOn(l -> l.contains("Cannot schedule job bad-cron")).hasSize(1);
            assertThat(sync.sync()).containsOnlyKeys("bad-cron"); // a re-sync does not repeat the log line
            assertThat(log).filteredOn(l -> l.contains("Cannot schedule job bad-cron")).hasSize(1);

            TestingControl.execute(control, control.address().database(), "select jobs.sp_update_job(job_name => "
                    + "'bad-cron', schedule_cron => '0 */5 * * * ?')");
            assertThat(sync.sync()).isEmpty();
            assertThat(scheduler.getJobKeys(GroupMatcher.jobGroupEquals(ScheduleSync.GROUP))).hasSize(3);
        } finally {
            scheduler.shutdown(false);
            for (String job : List.of("bad-cron", "daily", "cron-ok")) { // the other test's agent syncs enabled jobs
                TestingControl.execute(control, control.address().database(), "select jobs.sp_delete_job('" + job
                        + "', force => true)");
            }
        }
    }
}
