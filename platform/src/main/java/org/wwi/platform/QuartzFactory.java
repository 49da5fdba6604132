package org.wwi.platform;

import org.quartz.Job;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.impl.StdSchedulerFactory;
import org.quartz.simpl.SimpleJobFactory;
import org.quartz.spi.JobFactory;
import org.quartz.spi.TriggerFiredBundle;
import org.quartz.utils.ConnectionProvider;
import org.quartz.utils.DBConnectionManager;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * Builds the clustered Quartz {@link Scheduler} of {@code wwi agent} over the control database:
 * {@code JobStoreTX} with {@code PostgreSQLDelegate} on the tables of schema {@code quartz}
 * (table prefix {@code quartz.qrtz_}, created by the control migrations), {@code isClustered},
 * {@code instanceId=AUTO}. Several agents that use the same scheduler name and control database
 * form one cluster: each trigger fires on one of them, and jobs that request recovery are run
 * again by a surviving agent. Jobs get their dependencies from the scheduler's {@link Injector}.
 */
public final class QuartzFactory {
    static final String INJECTOR_KEY = Injector.class.getName();
    private static final AtomicInteger PROVIDERS = new AtomicInteger();

    private QuartzFactory() {
    }

    /**
     * How the scheduler is built.
     *
     * @param schedulerName          the cluster's name (Quartz's {@code sched_name}); agents sharing it share triggers
     * @param threadCount            threads that run fired Quartz jobs (the jobs should hand work over quickly)
     * @param clusterCheckinInterval how often an agent records that it is alive; after about twice
     *                               this, the others recover its in-flight jobs
     * @param idleWaitTime           how long the scheduler sleeps when no trigger is due (new triggers
     *                               from other agents are seen within this time)
     */
    public record Settings(String schedulerName, int threadCount, Duration clusterCheckinInterval,
                           Duration idleWaitTime) {
        public Settings {
            requireNonNull(schedulerName, "schedulerName is null");
            requireNonNull(clusterCheckinInterval, "clusterCheckinInterval is null");
            requireNonNull(idleWaitTime, "idleWaitTime is null");
            if (!schedulerName.matches("[A-Za-z0-9_.-]{1,120}")) {
                throw new IllegalArgumentException("Cannot use scheduler name: '" + schedulerName
                        + "' (1 to 120 letters, digits, '_', '.' or '-')");
            }
            if (threadCount < 1 || threadCount > 100) {
                throw new IllegalArgumentException("Cannot use " + threadCount + " Quartz threads (1 to 100)");
            }
            if (clusterCheckinInterval.toMillis() < 100 || idleWaitTime.toMillis() < 100) {
                throw new IllegalArgumentException("Cannot use Quartz intervals below 100 ms");
            }
        }

        /** The scheduler of {@code wwi agent}: name "wwi", 4 threads, check-in every 5 s, idle wait 10 s. */
        public static Settings defaults() {
            return new Settings("wwi", 4, Duration.ofSeconds(5), Duration.ofSeconds(10));
        }

        public Settings withSchedulerName(String name) {
            return new Settings(name, threadCount, clusterCheckinInterval, idleWaitTime);
        }

        public Settings withClusterCheckinInterval(Duration interval) {
            return new Settings(schedulerName, threadCount, interval, idleWaitTime);
        }
    }

    /**
     * A new, not yet started, clustered scheduler over {@code control}. The caller starts it
     * and shuts it down; its {@link Injector} is {@link #injector(Scheduler)}.
     */
    public static Scheduler build(Database control, Settings settings) {
        requireNonNull(control, "control is null");
        requireNonNull(settings, "settings is null");
        String provider = "wwi-control-" + PROVIDERS.incrementAndGet();
        DBConnectionManager.getInstance().addConnectionProvider(provider, new ControlConnections(control.dataSource()));
        Properties p = new Properties();
        p.setProperty("org.quartz.scheduler.instanceName", settings.schedulerName());
        p.setProperty("org.quartz.scheduler.instanceId", "AUTO");
        p.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
        p.setProperty("org.quartz.scheduler.idleWaitTime", Long.toString(settings.idleWaitTime().toMillis()));
        p.setProperty("org.quartz.threadPool.class", "org.quartz.simpl.SimpleThreadPool");
        p.setProperty("org.quartz.threadPool.threadCount", Integer.toString(settings.threadCount()));
        p.setProperty("org.quartz.threadPool.threadNamePrefix", "wwi-quartz-" + settings.schedulerName());
        p.setProperty("org.quartz.jobStore.class", "org.quartz.impl.jdbcjobstore.JobStoreTX");
        p.setProperty("org.quartz.jobStore.driverDelegateClass", "org.quartz.impl.jdbcjobstore.PostgreSQLDelegate");
        p.setProperty("org.quartz.jobStore.tablePrefix", "quartz.qrtz_");
        p.setProperty("org.quartz.jobStore.dataSource", provider);
        p.setProperty("org.quartz.jobStore.isClustered", "true");
        p.setProperty("org.quartz.jobStore.clusterCheckinInterval",
                Long.toString(settings.clusterCheckinInterval().toMillis()));
        p.setProperty("org.quartz.jobStore.acquireTriggersWithinLock", "true");
        p.setProperty("org.quartz.jobStore.misfireThreshold", "60000");
        try {
            StdSchedulerFactory factory = new StdSchedulerFactory(p);
            Scheduler scheduler = factory.getScheduler();
            Injector injector = new Injector();
            scheduler.setJobFactory(injector);
            scheduler.getContext().put(INJECTOR_KEY, injector);
            return scheduler;
        } catch (SchedulerException e) {
            throw new PlatformException(PlatformErrorCode.DB_ERROR, "Cannot create the Quartz scheduler '"
                    + settings.schedulerName() + "' over " + control.description() + ": " + e.getMessage()
                    + " (is the control database migrated? run wwi migrate)", e);
        }
    }

    /** The injector of a scheduler made by {@link #build}. */
    public static Injector injector(Scheduler scheduler) {
        requireNonNull(scheduler, "scheduler is null");
        try {
            Object o = scheduler.getContext().get(INJECTOR_KEY);
            if (o instanceof Injector i) {
                return i;
            }
        } catch (SchedulerException e) {
            throw new PlatformException(PlatformErrorCode.DB_ERROR, "Cannot read the Quartz scheduler context: "
                    + e.getMessage(), e);
        }
        throw new IllegalArgumentException("Cannot inject jobs into scheduler: it was not built by QuartzFactory");
    }

    /**
     * The {@link JobFactory} hook: services register how to make their {@link Job} classes
     * (typically a lambda capturing the service), so that Quartz jobs stay thin adapters with
     * their dependencies given rather than looked up. Unregistered classes are made with their
     * no-argument constructor, as Quartz does by default.
     */
    public static final class Injector implements JobFactory {
        private final Map<Class<? extends Job>, Supplier<? extends Job>> factories = new ConcurrentHashMap<>();
        private final SimpleJobFactory fallback = new SimpleJobFactory();

        Injector() {
        }

        /** Makes every instance of {@code type} with {@code factory}. */
        public <T extends Job> void register(Class<T> type, Supplier<? extends T> factory) {
            factories.put(requireNonNull(type, "type is null"), requireNonNull(factory, "factory is null"));
        }

        @Override
        public Job newJob(TriggerFiredBundle bundle, Scheduler scheduler) throws SchedulerException {
            Supplier<? extends Job> f = factories.get(bundle.getJobDetail().getJobClass());
            return f == null ? fallback.newJob(bundle, scheduler) : f.get();
        }
    }

    /** Quartz's connections: a new connection of the control database for each use. */
    private static final class ControlConnections implements ConnectionProvider {
        private final DataSource dataSource;

        ControlConnections(DataSource dataSource) {
            this.dataSource = dataSource;
        }

        @Override
        public Connection getConnection() throws SQLException {
            return dataSource.getConnection();
        }

        @Override
        public void shutdown() {
        }

        @Override
        public void initialize() {
        }
    }
}
