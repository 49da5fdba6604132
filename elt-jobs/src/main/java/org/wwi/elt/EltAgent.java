package org.wwi.elt;

import org.quartz.CronScheduleBuilder;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobKey;
import org.quartz.ObjectAlreadyExistsException;
import org.quartz.ScheduleBuilder;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.TriggerKey;
import org.quartz.impl.matchers.GroupMatcher;
import org.wwi.control.ServiceKey;
import org.wwi.external.catalog.CatalogStore;
import org.wwi.platform.AgentService;
import org.wwi.platform.Database;
import org.wwi.platform.QuartzFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TimeZone;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.BiFunction;

import static java.util.Objects.requireNonNull;

/**
 * The ELT pipelines inside {@code wwi agent}: every pipeline with a schedule becomes a durable Quartz
 * job (group {@value #GROUP}, {@code requestRecovery}, never concurrent) with one trigger built from
 * its file (cron in a time zone, or a fixed interval aligned to the epoch so that every agent
 * computes the same fire times), with the file's misfire policy. Agents sharing a control database
 * share the triggers: each fire time runs on one agent, and a dead agent's run is recovered by
 * another with the same fire time.
 */
public final class EltAgent implements AgentService {
    static final String GROUP = "elt";
    static final String FINGERPRINT_KEY = "fingerprint";
    private static final Duration STOP_WAIT = Duration.ofSeconds(30);

    private final BiFunction<Database, String, Elt> eltFactory;
    private final List<Pipeline> pipelines;
    private final Consumer<String> log;
    private final AtomicInteger running = new AtomicInteger();
    private Elt elt;

    /** The pipelines of the project in {@code home}; credentials of data sources through {@code stateDir}'s service key. */
    public EltAgent(Path home, Path stateDir, Consumer<String> log) {
        this(requireNonNull(home, "home is null"), PipelineFiles.readProject(home), requireNonNull(stateDir,
                "stateDir is null"), log);
    }

    private EltAgent(Path home, List<Pipeline> pipelines, Path stateDir, Consumer<String> log) {
        this(pipelines, (control, instance) -> Elt.open(control, home, pipelines, CatalogStore.open(control,
                ServiceKey.standard(stateDir)), instance), log);
    }

    /**
     * @param eltFactory makes the runner of this agent from the control database and the agent's
     *                   description (e.g. the Quartz instance), recorded with each run
     */
    EltAgent(List<Pipeline> pipelines, BiFunction<Database, String, Elt> eltFactory, Consumer<String> log) {
        this.pipelines = List.copyOf(requireNonNull(pipelines, "pipelines is null"));
        this.eltFactory = requireNonNull(eltFactory, "eltFactory is null");
        this.log = requireNonNull(log, "log is null");
    }

    @Override
    public String name() {
        return "elt";
    }

    @Override
    public synchronized void start(Scheduler scheduler, Database control) {
        requireNonNull(scheduler, "scheduler is null");
        requireNonNull(control, "control is null");
        String instance;
        try {
            instance = "quartz " + scheduler.getSchedulerInstanceId();
        } catch (SchedulerException e) {
            throw new EltException(EltErrorCode.SCHEDULER_FAILED, "Cannot read the Quartz instance id: "
                    + e.getMessage(), e);
        }
        elt = eltFactory.apply(control, instance);
        Elt e = elt;
        QuartzFactory.injector(scheduler).register(PipelineJob.class, () -> new PipelineJob(e, log,
                running::incrementAndGet, running::decrementAndGet));
        sync(scheduler, pipelines, log);
    }

    /** Makes the scheduler's jobs of group {@value #GROUP} match the scheduled pipelines. */
    static void sync(Scheduler scheduler, List<Pipeline> pipelines, Consumer<String> log) {
        try {
            Set<String> wanted = new HashSet<>();
            for (Pipeline p : pipelines) {
                if (p.schedule().isEmpty()) {
                    continue;
                }
                wanted.add(p.name());
                TriggerKey key = TriggerKey.triggerKey(p.name(), GROUP);
                Trigger current = scheduler.getTrigger(key);
                String fingerprint = fingerprint(p);
                if (current != null && fingerprint.equals(current.getJobDataMap().getString(FINGERPRINT_KEY))
                        && scheduler.checkExists(JobKey.jobKey(p.name(), GROUP))) {
                    continue;
                }
                JobDetail job = JobBuilder.newJob(PipelineJob.class).withIdentity(p.name(), GROUP)
                        .withDescription(p.description()).usingJobData(PipelineJob.PIPELINE_KEY, p.name())
                        .requestRecovery(true).storeDurably(true).build();
                if (current == null) {
                    // agents starting together: the first stores the trigger; the others must not replace it,
                    // which would start its fire times again and fire the last one twice
                    try {
                        scheduler.scheduleJob(job, Set.of(trigger(p, key, Instant.now())), false);
                    } catch (ObjectAlreadyExistsException e) {
                        Trigger other = scheduler.getTrigger(key);
                        if (other == null || !fingerprint.equals(other.getJobDataMap().getString(FINGERPRINT_KEY))) {
                            scheduler.scheduleJob(job, Set.of(trigger(p, key, Instant.now())), true);
                        }
                    }
                } else {
                    scheduler.scheduleJob(job, Set.of(trigger(p, key, Instant.now())), true);
                }
                Trigger stored = scheduler.getTrigger(key);
                Date next = stored == null ? null : stored.getNextFireTime();
                log.accept("pipeline " + p.name() + " scheduled (" + p.schedule().get().describe() + ", misfire "
                        + p.misfire().name().toLowerCase(java.util.Locale.ROOT) + "): next run "
                        + (next == null ? "never" : "at " + next.toInstant()));
            }
            for (JobKey k : scheduler.getJobKeys(GroupMatcher.jobGroupEquals(GROUP))) {
                if (!wanted.contains(k.getName())) {
                    scheduler.deleteJob(k);
                    log.accept("pipeline " + k.getName() + " unscheduled (no longer in the pipeline files, or no "
                            + "schedule)");
                }
            }
        } catch (SchedulerException e) {
            throw new EltException(EltErrorCode.SCHEDULER_FAILED, "Cannot schedule the ELT pipelines in Quartz: "
                    + e.getMessage() + " (is the control database migrated? run wwi migrate)", e);
        }
    }

    static String fingerprint(Pipeline p) {
        return p.schedule().map(Pipeline.Schedule::describe).orElse("") + "|" + p.misfire();
    }

    /** The trigger of a scheduled pipeline; intervals start at the next multiple of the interval since the epoch. */
    static Trigger trigger(Pipeline p, TriggerKey key, Instant now) {
        Pipeline.Schedule s = p.schedule().orElseThrow();
        boolean runOnce = p.misfire() == Pipeline.Misfire.RUN_ONCE;
        TriggerBuilder<Trigger> b = TriggerBuilder.newTrigger().withIdentity(key).forJob(p.name(), GROUP)
                .usingJobData(FINGERPRINT_KEY, fingerprint(p));
        ScheduleBuilder<?> schedule;
        if (s.cron().isPresent()) {
            try {
                CronScheduleBuilder cron = CronScheduleBuilder.cronScheduleNonvalidatedExpression(s.cron().get())
                        .inTimeZone(TimeZone.getTimeZone(s.timeZone()));
                schedule = runOnce ? cron.withMisfireHandlingInstructionFireAndProceed()
                        : cron.withMisfireHandlingInstructionDoNothing();
            } catch (java.text.ParseException e) {
                throw new EltException(EltErrorCode.PIPELINE_INVALID, "Cannot schedule pipeline " + p.name() + ": "
                        + e.getMessage(), e);
            }
            b.startAt(Date.from(now));
        } else {
            long ms = s.every().orElseThrow().toMillis();
            SimpleScheduleBuilder simple = SimpleScheduleBuilder.simpleSchedule().withIntervalInMilliseconds(ms)
                    .repeatForever();
            schedule = runOnce ? simple.withMisfireHandlingInstructionNowWithExistingCount()
                    : simple.withMisfireHandlingInstructionNextWithRemainingCount();
            long start = (now.toEpochMilli() / ms + 1) * ms;
            b.startAt(new Date(start));
        }
        @SuppressWarnings("unchecked")
        TriggerBuilder<Trigger> withSchedule = (TriggerBuilder<Trigger>) (TriggerBuilder<?>) b.withSchedule(schedule);
        return withSchedule.build();
    }

    @Override
    public void stop() {
        Elt e;
        synchronized (this) {
            e = elt;
            elt = null;
        }
        if (e == null) {
            return;
        }
        long deadline = System.nanoTime() + STOP_WAIT.toNanos();
        while (running.get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException x) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        e.close();
    }
}
