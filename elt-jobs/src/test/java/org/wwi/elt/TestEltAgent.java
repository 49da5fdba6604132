package org.wwi.elt;

import org.junit.jupiter.api.Test;
import org.quartz.CronTrigger;
import org.quartz.JobDetail;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SimpleTrigger;
import org.quartz.Trigger;
import org.quartz.TriggerKey;
import org.quartz.impl.StdSchedulerFactory;
import org.quartz.impl.matchers.GroupMatcher;
import org.quartz.spi.OperableTrigger;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.TimeZone;

import static org.assertj.core.api.Assertions.assertThat;

/** The Quartz jobs and triggers of scheduled pipelines (an in-memory scheduler; clustering is TwoAgentsIT's). */
class TestEltAgent {

    private static Pipeline pipeline(String name, String schedule) {
        return PipelineReader.read(name + ".yaml", name, schedule + "\nsteps: [{name: s, kind: sql, file: x.sql}]\n",
                f -> Optional.of("select 1"));
    }

    @Test
    void triggersFollowTheScheduleAndMisfirePolicy() {
        Pipeline nightly = pipeline("nightly", "schedule: {cron: '0 15 2 * * ?', time_zone: Europe/London}\n"
                + "misfire: run_once");
        Trigger t = EltAgent.trigger(nightly, TriggerKey.triggerKey("nightly", "elt"), Instant.parse(
                "2026-08-01T10:00:00Z"));
        assertThat(t).isInstanceOf(CronTrigger.class);
        assertThat(((CronTrigger) t).getTimeZone()).isEqualTo(TimeZone.getTimeZone("Europe/London"));
        assertThat(t.getMisfireInstruction()).isEqualTo(CronTrigger.MISFIRE_INSTRUCTION_FIRE_ONCE_NOW);
        assertThat(t.getFireTimeAfter(java.util.Date.from(Instant.parse("2026-08-01T10:00:00Z"))).toInstant())
                .as("02:15 in London is 01:15 UTC in summer").isEqualTo(Instant.parse("2026-08-02T01:15:00Z"));
        assertThat(t.getFireTimeAfter(java.util.Date.from(Instant.parse("2026-12-01T10:00:00Z"))).toInstant())
                .as("and 02:15 UTC in winter").isEqualTo(Instant.parse("2026-12-02T02:15:00Z"));

        Pipeline skipping = pipeline("often", "schedule: {every: 15 minutes}\nmisfire: skip");
        Trigger s = EltAgent.trigger(skipping, TriggerKey.triggerKey("often", "elt"), Instant.parse(
                "2026-08-01T10:07:31Z"));
        assertThat(s).isInstanceOf(SimpleTrigger.class);
        assertThat(((SimpleTrigger) s).getRepeatInterval()).isEqualTo(15 * 60_000L);
        assertThat(s.getStartTime().toInstant()).as("aligned, so every agent computes the same fire times")
                .isEqualTo(Instant.parse("2026-08-01T10:15:00Z"));
        assertThat(s.getMisfireInstruction())
                .isEqualTo(SimpleTrigger.MISFIRE_INSTRUCTION_RESCHEDULE_NEXT_WITH_REMAINING_COUNT);
        assertThat(EltAgent.trigger(pipeline("o", "schedule: {every: 1 hour}"), TriggerKey.triggerKey("o", "elt"),
                Instant.now()).getMisfireInstruction())
                .isEqualTo(SimpleTrigger.MISFIRE_INSTRUCTION_RESCHEDULE_NOW_WITH_EXISTING_REPEAT_COUNT);
    }

    /**
     * The misfire policy of the file, applied as Quartz applies it when an agent comes back after
     * missing fire times (here: three hours down): run_once fires once now, then keeps the schedule;
     * skip fires nothing now and waits for the next fire time of the schedule.
     */
    @Test
    void missedFireTimesRunOnceOrAreSkippedAsThePipelineFileSays() {
        Instant down = Instant.now().minus(Duration.ofHours(3));
        for (String schedule : List.of("schedule: {cron: '0 0 * * * ?', time_zone: UTC}", "schedule: {every: 1 hour}")) {
            OperableTrigger once = missed(pipeline("once", schedule + "\nmisfire: run_once"), down);
            OperableTrigger skip = missed(pipeline("skip", schedule + "\nmisfire: skip"), down);
            Instant before = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            once.updateAfterMisfire(null);
            skip.updateAfterMisfire(null);
            Instant after = Instant.now();
            Instant nextHour = after.truncatedTo(ChronoUnit.HOURS).plus(Duration.ofHours(1));
            // run_once: one run now for the three missed hours, then the next one an hour later at most
            Instant now = once.getNextFireTime().toInstant();
            assertThat(now).as(schedule).isBetween(before, after);
            once.triggered(null);
            Instant following = once.getNextFireTime().toInstant();
            assertThat(following).as("%s: no missed fire time is left after the one run", schedule).isAfter(after);
            assertThat(Duration.between(now, following)).isLessThanOrEqualTo(Duration.ofHours(1));
            // skip: nothing now; the next fire time of the schedule (intervals keep their epoch-aligned grid)
            assertThat(skip.getNextFireTime().toInstant()).as(schedule).isEqualTo(nextHour);
        }
    }

    /** A pipeline's trigger that started at {@code start}: its first fire time is long past. */
    private static OperableTrigger missed(Pipeline p, Instant start) {
        OperableTrigger t = (OperableTrigger) EltAgent.trigger(p, TriggerKey.triggerKey(p.name(), "elt"), start);
        t.computeFirstFireTime(null);
        assertThat(t.getNextFireTime().toInstant()).isBefore(start.plus(Duration.ofHours(1).plusSeconds(1)));
        return t;
    }

    @Test
    void syncSchedulesRecoverableJobsAndRemovesStaleOnes() throws Exception {
        Properties p = new Properties();
        p.setProperty("org.quartz.scheduler.instanceName", "elt-sync-test");
        p.setProperty("org.quartz.threadPool.threadCount", "1");
        p.setProperty("org.quartz.jobStore.class", "org.quartz.simpl.RAMJobStore");
        p.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
        Scheduler scheduler = new StdSchedulerFactory(p).getScheduler();
        try {
            List<String> log = new ArrayList<>();
            Pipeline nightly = pipeline("nightly", "schedule: {cron: '0 15 2 * * ?', time_zone: Europe/London}");
            Pipeline manual = pipeline("manual", "");
            Pipeline often = pipeline("often", "schedule: {every: 5 minutes}\nmisfire: skip");
            EltAgent.sync(scheduler, List.of(nightly, manual, often), log::add);
            assertThat(scheduler.getJobKeys(GroupMatcher.jobGroupEquals("elt"))).extracting(JobKey::getName)
                    .containsExactlyInAnyOrder("nightly", "often");
            JobDetail job = scheduler.getJobDetail(JobKey.jobKey("nightly", "elt"));
            assertThat(job.requestsRecovery()).isTrue();
            assertThat(job.isDurable()).isTrue();
            assertThat(job.isConcurrentExecutionDisallowed()).isTrue();
            assertThat(job.getJobDataMap().getString(PipelineJob.PIPELINE_KEY)).isEqualTo("nightly");
            assertThat(log).anySatisfy(l -> assertThat(l).startsWith("pipeline nightly scheduled (cron 0 15 2 * * ? "
                    + "Europe/London, misfire run_once): next run at "));
            Trigger before = scheduler.getTrigger(TriggerKey.triggerKey("often", "elt"));
            log.clear();
            // an unchanged schedule keeps its trigger; a removed pipeline loses its job
            EltAgent.sync(scheduler, List.of(often), log::add);
            assertThat(scheduler.getTrigger(TriggerKey.triggerKey("often", "elt")).getStartTime())
                    .isEqualTo(before.getStartTime());
            assertThat(scheduler.getJobKeys(GroupMatcher.jobGroupEquals("elt"))).extracting(JobKey::getName)
                    .containsExactly("often");
            assertThat(log).containsExactly("pipeline nightly unscheduled (no longer in the pipeline files, or no "
                    + "schedule)");
            // a changed schedule replaces it
            EltAgent.sync(scheduler, List.of(pipeline("often", "schedule: {every: 10 minutes}")), log::add);
            assertThat(((SimpleTrigger) scheduler.getTrigger(TriggerKey.triggerKey("often", "elt")))
                    .getRepeatInterval()).isEqualTo(600_000L);
        } finally {
            scheduler.shutdown(false);
        }
    }
}
