package org.wwi.jobs;

import java.time.Duration;

import static java.util.Objects.requireNonNull;

/**
 * How an elastic-jobs executor runs.
 *
 * @param maxConcurrency  targets this agent runs at once, over all jobs (each holds one connection to its target)
 * @param pollInterval    how often the control database is polled when no notification arrives
 * @param leaseDuration   how long a target attempt stays claimed without renewal; after an agent crash,
 *                        other agents resume its attempts once their leases expire
 * @param shutdownGrace   how long a stopping agent lets attempts in flight finish before it hands them back
 */
public record ExecutorSettings(int maxConcurrency, Duration pollInterval, Duration leaseDuration,
                               Duration shutdownGrace) {
    public ExecutorSettings {
        requireNonNull(pollInterval, "pollInterval is null");
        requireNonNull(leaseDuration, "leaseDuration is null");
        requireNonNull(shutdownGrace, "shutdownGrace is null");
        if (maxConcurrency < 1 || maxConcurrency > 1000) {
            throw new IllegalArgumentException("Cannot run " + maxConcurrency + " targets at once (1 to 1000)");
        }
        if (pollInterval.toMillis() < 10 || pollInterval.toMinutes() > 10) {
            throw new IllegalArgumentException("Cannot poll every " + pollInterval.toMillis() + " ms (10 ms to 10 min)");
        }
        if (leaseDuration.toMillis() < 1000) {
            throw new IllegalArgumentException("Cannot use a lease of " + leaseDuration.toMillis() + " ms (1 s or more)");
        }
    }

    /** 50 targets at once, poll every second, 30 s leases, 10 s to finish on stop. */
    public static ExecutorSettings defaults() {
        return new ExecutorSettings(50, Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofSeconds(10));
    }

    public ExecutorSettings withMaxConcurrency(int n) {
        return new ExecutorSettings(n, pollInterval, leaseDuration, shutdownGrace);
    }

    public ExecutorSettings withPollInterval(Duration d) {
        return new ExecutorSettings(maxConcurrency, d, leaseDuration, shutdownGrace);
    }

    public ExecutorSettings withLeaseDuration(Duration d) {
        return new ExecutorSettings(maxConcurrency, pollInterval, d, shutdownGrace);
    }

    public ExecutorSettings withShutdownGrace(Duration d) {
        return new ExecutorSettings(maxConcurrency, pollInterval, leaseDuration, d);
    }
}
