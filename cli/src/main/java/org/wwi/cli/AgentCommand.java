package org.wwi.cli;

import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.wwi.jobs.ElasticJobsAgent;
import org.wwi.jobs.ExecutorSettings;
import org.wwi.platform.AgentService;
import org.wwi.platform.Database;
import org.wwi.platform.PlatformErrorCode;
import org.wwi.platform.PlatformException;
import org.wwi.platform.QuartzFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * {@code wwi agent}: the long-running process that executes scheduled and started work. It builds
 * one clustered Quartz scheduler over the control database, starts every {@link AgentService}
 * (today: elastic jobs) and runs until SIGTERM or Ctrl-C, printing what it does.
 */
@Command(name = "agent", description = {"Run the agent (schedules, pipelines, elastic jobs, reports) until stopped.",
        "Stops on SIGTERM or Ctrl-C. Several agents may share one control database; a crashed agent's work",
        "is resumed."})
final class AgentCommand implements java.util.concurrent.Callable<Integer> {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

    @ParentCommand
    WwiCommand root;

    @Option(names = "--max-concurrency", defaultValue = "50", paramLabel = "N",
            description = "Targets this agent runs at once (default ${DEFAULT-VALUE})")
    int maxConcurrency;

    @Option(names = "--poll-interval", defaultValue = "PT1S", paramLabel = "DURATION",
            description = "Polling when no notification arrives (default ${DEFAULT-VALUE})")
    Duration pollInterval;

    @Option(names = "--lease", defaultValue = "PT30S", paramLabel = "DURATION",
            description = "Lease of a running target; a crashed agent's targets resume after it (default ${DEFAULT-VALUE})")
    Duration lease;

    @Option(names = "--scheduler-name", defaultValue = "wwi", paramLabel = "NAME",
            description = "Quartz cluster name; agents sharing it share schedules (default ${DEFAULT-VALUE})")
    String schedulerName;

    @Option(names = "--stop-after", paramLabel = "DURATION",
            description = "Stop by itself after this long (e.g. PT10M), as on SIGTERM")
    Duration stopAfter;

    @Override
    public Integer call() {
        PrintWriter out = root.out();
        Consumer<String> log = line -> {
            synchronized (out) {
                out.println(TIME.format(Instant.now()) + " " + line);
                out.flush();
            }
        };
        CountDownLatch stop = new CountDownLatch(1);
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            stop.countDown();
            try {
                stopped.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "wwi-agent-shutdown");
        try (Database db = root.openDatabase()) {
            log.accept("agent on " + db.description());
            Scheduler scheduler = QuartzFactory.build(db, QuartzFactory.Settings.defaults()
                    .withSchedulerName(schedulerName));
            List<AgentService> services = List.of(new ElasticJobsAgent(root.home(), root.config().stateDir(),
                    ExecutorSettings.defaults().withMaxConcurrency(maxConcurrency).withPollInterval(pollInterval)
                            .withLeaseDuration(lease), log),
                    new org.wwi.elt.EltAgent(root.home(), root.config().stateDir(), log),
                    new org.wwi.reports.ReportsAgent(root.home(), root.config().stateDir().resolve("reports"),
                            java.time.Duration.ofSeconds(15), log));
            List<AgentService> started = new ArrayList<>();
            Runtime.getRuntime().addShutdownHook(hook);
            try {
                for (AgentService s : services) {
                    s.start(scheduler, db);
                    started.add(s);
                    log.accept("service " + s.name() + " started");
                }
                scheduler.start();
                log.accept("agent running (Quartz scheduler " + schedulerName + ", instance "
                        + scheduler.getSchedulerInstanceId() + "); stop it with Ctrl-C or SIGTERM");
                if (stopAfter == null) {
                    stop.await();
                } else {
                    stop.await(stopAfter.toMillis(), TimeUnit.MILLISECONDS);
                }
                log.accept("agent stopping");
            } catch (SchedulerException e) {
                throw new PlatformException(PlatformErrorCode.DB_ERROR, "Cannot run the Quartz scheduler: "
                        + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                for (int i = started.size() - 1; i >= 0; i--) {
                    started.get(i).stop();
                    log.accept("service " + started.get(i).name() + " stopped");
                }
                try {
                    scheduler.shutdown(true);
                } catch (SchedulerException e) {
                    log.accept("cannot shut the Quartz scheduler down cleanly: " + e.getMessage());
                }
                log.accept("agent stopped");
                stopped.countDown();
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException e) {
                    // the JVM is shutting down: the hook is running
                }
            }
        }
        return 0;
    }
}
