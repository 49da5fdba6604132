package org.wwi.external.load;

import java.time.Duration;
import java.util.OptionalLong;

import static java.util.Objects.requireNonNull;

/**
 * What a load did.
 *
 * @param rows     rows written to the target
 * @param rejected rows rejected (written to {@code ingest.reject} when the warehouse has it)
 * @param bytes    bytes of the external files read
 * @param files    files read
 * @param elapsed  wall time
 * @param loadId   the {@code ingest.load} row, when the warehouse has that table
 */
public record LoadResult(long rows, long rejected, long bytes, int files, Duration elapsed, OptionalLong loadId) {
    public LoadResult {
        requireNonNull(elapsed, "elapsed is null");
        requireNonNull(loadId, "loadId is null");
    }

    /** Rows per second. */
    public double rowsPerSecond() {
        double s = elapsed.toNanos() / 1e9;
        return s <= 0 ? 0 : rows / s;
    }
}
