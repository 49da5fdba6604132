package org.wwi.jobs;

import org.quartz.CalendarIntervalScheduleBuilder;
import org.quartz.CronExpression;
import org.quartz.CronScheduleBuilder;
import org.quartz.DateBuilder;
import org.quartz.Job;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobExecutionContext;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.TriggerKey;
import org.quartz.impl.matchers.GroupMatcher;
import org.wwi.platform.Database;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.text.ParseException;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TimeZone;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Keeps one Quartz trigger per enabled, scheduled job in the clustered scheduler, so that each
 * scheduled start fires once over all agents. A trigger carries a fingerprint of its job's
 * schedule and is replaced when the schedule changes. A fired trigger only calls
 * {@code jobs.start_execution}: the executors do the rest.
 */
final class ScheduleSync {
    static final String GROUP = "elastic-jobs";
    private static final Instant EPOCH_FLOOR = Instant.parse("1971-01-01T00:00:00Z");
    private static final Instant FAR_END = Instant.parse("9999-01-01T00:00:00Z");

    private final Scheduler scheduler;
    private final Database control;
    private final Consumer<String> log;
    private final Set<String> reported = java.util.concurrent.ConcurrentHashMap.newKeySet();

    ScheduleSync(Scheduler scheduler, Database control, Consumer<String> log) {
        this.scheduler = scheduler;
        this.control = control;
        this.log = log;
    }

    /** One scheduled job as the trigger needs it. */
    record Scheduled(UUID jobId, String jobName, String type, int count, Instant start, Instant end, String cron,
                     String timeZone, Instant changedAt) {
        String fingerprint() {
            return String.join("|", type, Integer.toString(count), start.toString(), end.toString(),
                    cron == null ? "" : cron, timeZone, changedAt.toString());
        }
    }

    /** The Quartz job of a schedule: starts an execution of the elastic job. */
    static final class StartJob implements Job {
        private final Database control;
        private final Consumer<String> log;

        StartJob(Database control, Consumer<String> log) {
            this.control = control;
            this.log = log;
        }

        @Override
        public void execute(JobExecutionContext context) {
            String id = context.getMergedJobDataMap().getString("jobId");
            if (id == null) {
                throw new IllegalStateException("Cannot start a scheduled elastic job: trigger "
                        + context.getTrigger().getKey() + " has no jobId");
            }
            try (Connection c = control.dataSource().getConnection();
                 PreparedStatement ps = c.prepareStatement("select jobs.start_execution(?, 'schedule')")) {
                ps.setObject(1, UUID.fromString(id));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    log.accept("schedule of job " + context.getMergedJobDataMap().getString("jobName")
                            + " fired: execution " + rs.getObject(1, UUID.class));
                }
            } catch (SQLException e) {
                log.accept("cannot start scheduled job " + context.getMergedJobDataMap().getString("jobName") + ": "
                        + Sql.firstLine(e));
            }
        }
    }

    /**
     * Makes the triggers match the enabled jobs' schedules. A job whose schedule Quartz refuses (a
     * cron expression that passed the control database's field count but is not valid Quartz) is
     * left unscheduled with a clear log line, and every other job is still scheduled.
     *
     * @return the jobs that could not be scheduled, with the reason
     */
    Map<String, String> sync() {
        Map<UUID, Scheduled> wanted = new HashMap<>();
        for (Scheduled s : scheduled()) {
            wanted.put(s.jobId(), s);
        }
        Map<String, String> refused = new java.util.TreeMap<>();
        try {
            Set<JobKey> existing = scheduler.getJobKeys(GroupMatcher.jobGroupEquals(GROUP));
            for (JobKey k : existing) {
                if (!wanted.containsKey(UUID.fromString(k.getName()))) {
                    scheduler.deleteJob(k);
                    log.accept("schedule removed: job " + k.getName());
                }
            }
            for (Scheduled s : wanted.values()) {
                TriggerKey tk = TriggerKey.triggerKey(s.jobId().toString(), GROUP);
                Trigger current = scheduler.getTrigger(tk);
                if (current != null && s.fingerprint().equals(current.getJobDataMap().getString("fingerprint"))) {
                    continue;
                }
                Trigger t;
                try {
                    t = trigger(s, tk);
                } catch (ParseException | IllegalArgumentException e) {
                    refuse(refused, s, e.getMessage());
                    if (current != null) {
                        scheduler.deleteJob(JobKey.jobKey(s.jobId().toString(), GROUP));
                    }
                    continue;
                }
                JobDetail detail = JobBuilder.newJob(StartJob.class).withIdentity(s.jobId().toString(), GROUP)
                        .usingJobData("jobId", s.jobId().toString()).usingJobData("jobName", s.jobName())
                        .storeDurably(false).build();
                try {
                    scheduler.scheduleJob(detail, Set.of(t), true);
                } catch (org.quartz.JobPersistenceException e) {
                    throw e;
                } catch (SchedulerException e) { // e.g. "the given trigger will never fire"
                    refuse(refused, s, e.getMessage());
                    continue;
                }
                Trigger stored = scheduler.getTrigger(tk);
                Date next = stored == null ? null : stored.getNextFireTime();
                log.accept("schedule of job " + s.jobName() + " set (" + s.type() + "): next start "
                        + (next == null ? "never" : "at " + next.toInstant()));
            }
        } catch (SchedulerException e) {
            throw new ElasticJobsException(JobsErrorCode.SCHEDULER_FAILED, "Cannot synchronize job schedules with "
                    + "Quartz: " + e.getMessage(), e);
        }
        return refused;
    }

    private void refuse(Map<String, String> refused, Scheduled s, String reason) {
        String why = "Cannot schedule job " + s.jobName() + ": " + describe(s) + " is refused by Quartz (" + reason
                + "); the job stays unscheduled until jobs.sp_update_job fixes it, the other jobs are scheduled";
        refused.put(s.jobName(), why);
        if (reported.add(s.jobId() + "|" + s.fingerprint())) { // once per schedule, not at every re-sync
            log.accept(why);
        }
    }

    private static String describe(Scheduled s) {
        return s.type().equals("Cron") ? "schedule_cron '" + s.cron() + "' (time zone " + s.timeZone() + ")"
                : "schedule every " + s.count() + " " + s.type();
    }

    static Trigger trigger(Scheduled s, TriggerKey key) throws ParseException {
        Instant now = Instant.now();
        Instant start = s.start().isBefore(EPOCH_FLOOR) ? now : s.start();
        TriggerBuilder<Trigger> b = TriggerBuilder.newTrigger().withIdentity(key).usingJobData("fingerprint",
                s.fingerprint()).usingJobData("jobId", s.jobId().toString()).usingJobData("jobName", s.jobName());
        if (s.end().isBefore(FAR_END)) {
            b.endAt(Date.from(s.end()));
        }
        TimeZone tz = TimeZone.getTimeZone(s.timeZone());
        return switch (s.type()) {
            case "Once" -> b.startAt(Date.from(start.isBefore(now) ? now : start))
                    .withSchedule(SimpleScheduleBuilder.simpleSchedule().withRepeatCount(0)
                            .withMisfireHandlingInstructionFireNow()).build();
            case "Cron" -> b.startAt(Date.from(start.isBefore(now) ? now : start))
                    .withSchedule(CronScheduleBuilder.cronScheduleNonvalidatedExpression(validated(s.cron())).inTimeZone(tz)
                            .withMisfireHandlingInstructionDoNothing()).build();
            default -> b.startAt(Date.from(start)).withSchedule(CalendarIntervalScheduleBuilder
                    .calendarIntervalSchedule().withInterval(s.count(), unit(s.type())).inTimeZone(tz)
                    .preserveHourOfDayAcrossDaylightSavings(true).withMisfireHandlingInstructionDoNothing()).build();
        };
    }

    /** Parses the expression fully (Quartz checks some rules only when it computes fire times). */
    private static String validated(String cron) throws ParseException {
        new CronExpression(cron);
        return cron;
    }

    private static DateBuilder.IntervalUnit unit(String type) {
        return switch (type) {
            case "Minutes" -> DateBuilder.IntervalUnit.MINUTE;
            case "Hours" -> DateBuilder.IntervalUnit.HOUR;
            case "Days" -> DateBuilder.IntervalUnit.DAY;
            case "Weeks" -> DateBuilder.IntervalUnit.WEEK;
            case "Months" -> DateBuilder.IntervalUnit.MONTH;
            default -> throw new IllegalArgumentException("Cannot schedule every " + type);
        };
    }

    /** Whether a Quartz cron expression is valid (for CLI and YAML checks before the database sees it). */
    static boolean validCron(String cron) {
        return CronExpression.isValidExpression(cron);
    }

    /**
     * Enabled jobs with a schedule that has not ended. A job scheduled Once is left out once a
     * scheduled execution of it was made after its schedule last changed.
     */
    List<Scheduled> scheduled() {
        try (Connection c = control.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select j.job_id, j.job_name, j.schedule_interval_type, "
                     + "j.schedule_interval_count, j.schedule_start_time, j.schedule_end_time, j.schedule_cron, "
                     + "j.schedule_time_zone, j.schedule_changed_at from jobs.job j where j.enabled "
                     + "and j.schedule_end_time > now() and not (j.schedule_interval_type = 'Once' and exists ("
                     + "select 1 from jobs.execution e where e.job_id = j.job_id and e.requested_by = 'schedule' "
                     + "and e.create_time >= j.schedule_changed_at))")) {
            List<Scheduled> out = new java.util.ArrayList<>();
            while (rs.next()) {
                out.add(new Scheduled(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3), rs.getInt(4),
                        ElasticJobs.instant(rs, 5).orElseThrow(), ElasticJobs.instant(rs, 6).orElseThrow(),
                        rs.getString(7), rs.getString(8), ElasticJobs.instant(rs, 9).orElseThrow()));
            }
            return out;
        } catch (SQLException e) {
            throw ElasticJobsException.of("read the job schedules", e);
        }
    }
}
