package org.wwi.elt;

import java.time.Instant;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * A run as {@code wwi elt history} lists it.
 *
 * @param windowStart empty when unbounded
 * @param windowEnd   empty when unbounded
 * @param rowsIn      rows loaded by its load steps
 * @param rowsOut     rows written by its other steps
 */
public record RunSummary(long runId, String pipeline, String trigger, String status, Instant startedAt,
                         Optional<Instant> finishedAt, Optional<Instant> fireTime, Optional<Instant> windowStart,
                         Optional<Instant> windowEnd, int filesLoaded, long rowsIn, long rowsOut, long rowsRejected,
                         String runner, Optional<String> message) {
    public RunSummary {
        requireNonNull(pipeline, "pipeline is null");
        requireNonNull(trigger, "trigger is null");
        requireNonNull(status, "status is null");
        requireNonNull(startedAt, "startedAt is null");
        requireNonNull(finishedAt, "finishedAt is null");
        requireNonNull(fireTime, "fireTime is null");
        requireNonNull(windowStart, "windowStart is null");
        requireNonNull(windowEnd, "windowEnd is null");
        requireNonNull(runner, "runner is null");
        requireNonNull(message, "message is null");
    }

    /** Wall time, when finished. */
    public Optional<java.time.Duration> duration() {
        return finishedAt.map(f -> java.time.Duration.between(startedAt, f));
    }
}
