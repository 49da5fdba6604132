package org.wwi.elt;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;

import static java.util.Objects.requireNonNull;

/**
 * What one step of a run did.
 *
 * @param status       succeeded, warned, failed, skipped (or running while a run is in progress)
 * @param files        files the step loaded (load) or processed (later steps)
 * @param rowsIn       rows read, when known
 * @param rowsOut      rows written, when known
 * @param rowsRejected rows rejected, when known
 * @param message      the error, warnings, or why it was skipped
 */
public record StepResult(String step, String kind, String status, int files, OptionalLong rowsIn, OptionalLong rowsOut,
                         OptionalLong rowsRejected, Duration duration, Optional<String> message) {
    public StepResult {
        requireNonNull(step, "step is null");
        requireNonNull(kind, "kind is null");
        requireNonNull(status, "status is null");
        requireNonNull(rowsIn, "rowsIn is null");
        requireNonNull(rowsOut, "rowsOut is null");
        requireNonNull(rowsRejected, "rowsRejected is null");
        requireNonNull(duration, "duration is null");
        requireNonNull(message, "message is null");
    }

    public boolean failed() {
        return status.equals("failed");
    }
}
