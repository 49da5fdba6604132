package org.wwi.jobs;

import java.time.Duration;

/**
 * Azure's retry policy of a job step: after failed attempt n (1-based), wait
 * min(initial × multiplier^(n-1), maximum) and try again, as long as n ≤ retry_attempts.
 */
record Backoff(int retryAttempts, int initialSeconds, int maximumSeconds, double multiplier) {
    Backoff {
        if (retryAttempts < 0 || initialSeconds < 1 || maximumSeconds < initialSeconds || multiplier < 1.0) {
            throw new IllegalArgumentException("Cannot use retry policy: " + retryAttempts + " attempts, "
                    + initialSeconds + "-" + maximumSeconds + " s, x" + multiplier);
        }
    }

    /** Whether a target may be tried again after {@code failedAttempts} failed attempts. */
    boolean retryAfter(int failedAttempts) {
        return failedAttempts <= retryAttempts;
    }

    /** The wait after {@code failedAttempts} failed attempts. */
    Duration delayAfter(int failedAttempts) {
        double seconds = initialSeconds * Math.pow(multiplier, Math.max(0, failedAttempts - 1));
        return Duration.ofMillis((long) (Math.min(seconds, maximumSeconds) * 1000));
    }
}
