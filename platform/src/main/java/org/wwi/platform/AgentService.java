package org.wwi.platform;

import org.quartz.Scheduler;

/**
 * A service that runs inside {@code wwi agent}: the elastic-jobs executor, the ELT pipelines, …
 * The agent builds one clustered Quartz {@link Scheduler} over the control database
 * ({@link QuartzFactory}), starts every registered service with it, starts the scheduler, and
 * stops the services (in reverse order) before shutting the scheduler down. Several agents may
 * share one control database; services coordinate through it (row locks, leases, Quartz's
 * cluster), never through the process.
 */
public interface AgentService {

    /** Short name for the agent's output, e.g. "elastic-jobs". */
    String name();

    /**
     * Starts the service's own threads and registers its Quartz jobs and triggers (and their
     * factories with {@link QuartzFactory#injector(Scheduler)}). Returns promptly; the scheduler
     * may not be started yet when this is called.
     *
     * @param scheduler the agent's clustered scheduler
     * @param control   the control database
     */
    void start(Scheduler scheduler, Database control);

    /** Stops the service's threads, letting work in flight end or be resumed by another agent. */
    void stop();
}
