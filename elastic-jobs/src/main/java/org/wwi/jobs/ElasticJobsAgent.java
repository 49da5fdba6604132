package org.wwi.jobs;

import org.quartz.Scheduler;
import org.wwi.control.SecretStore;
import org.wwi.platform.AgentService;
import org.wwi.platform.Database;
import org.wwi.platform.QuartzFactory;

import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static java.util.Objects.requireNonNull;

/**
 * Elastic jobs inside {@code wwi agent}: the {@link JobsExecutor}, and the schedules of enabled
 * jobs kept as triggers of the agent's clustered Quartz scheduler (re-synchronized when a job
 * changes, and every 30 seconds).
 */
public final class ElasticJobsAgent implements AgentService {
    private final Path home;
    private final Path stateDir;
    private final ExecutorSettings settings;
    private final Consumer<String> log;
    private JobsExecutor executor;
    private ScheduledExecutorService syncer;

    public ElasticJobsAgent(Path home, Path stateDir, ExecutorSettings settings, Consumer<String> log) {
        this.home = requireNonNull(home, "home is null");
        this.stateDir = requireNonNull(stateDir, "stateDir is null");
        this.settings = requireNonNull(settings, "settings is null");
        this.log = requireNonNull(log, "log is null");
    }

    @Override
    public String name() {
        return "elastic-jobs";
    }

    @Override
    public synchronized void start(Scheduler scheduler, Database control) {
        requireNonNull(scheduler, "scheduler is null");
        requireNonNull(control, "control is null");
        QuartzFactory.injector(scheduler).register(ScheduleSync.StartJob.class,
                () -> new ScheduleSync.StartJob(control, log));
        ScheduleSync sync = new ScheduleSync(scheduler, control, log);
        executor = JobsExecutor.start(control, SecretStore.open(control, stateDir), home, settings, log);
        syncer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "wwi-jobs-schedules");
            t.setDaemon(true);
            return t;
        });
        Runnable safeSync = () -> {
            try {
                sync.sync();
            } catch (RuntimeException e) {
                log.accept("cannot synchronize job schedules: " + e.getMessage());
            }
        };
        executor.onJobChange(() -> syncer.execute(safeSync));
        syncer.scheduleWithFixedDelay(safeSync, 0, 30, TimeUnit.SECONDS);
    }

    /** The executor, once started. */
    public synchronized JobsExecutor executor() {
        return executor;
    }

    @Override
    public synchronized void stop() {
        if (syncer != null) {
            syncer.shutdownNow();
        }
        if (executor != null) {
            executor.close();
        }
    }
}
