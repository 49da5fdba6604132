package org.wwi.jobs;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/** How an attempt ended: a final lifecycle, or WaitingForRetry with the next attempt's time. */
record Outcome(long taskId, UUID executionId, String target, Lifecycle lifecycle, String message,
               Optional<Instant> nextAttempt) {
}
