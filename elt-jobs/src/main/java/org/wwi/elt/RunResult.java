package org.wwi.elt;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * What a run did.
 *
 * @param runId   its id in the ledger (elt.run)
 * @param status  succeeded, failed or skipped
 * @param message the error of a failed run, or why a run was skipped
 */
public record RunResult(long runId, String pipeline, String status, List<StepResult> steps, Duration duration,
                        Optional<String> message) {
    public RunResult {
        requireNonNull(pipeline, "pipeline is null");
        requireNonNull(status, "status is null");
        steps = List.copyOf(requireNonNull(steps, "steps is null"));
        requireNonNull(duration, "duration is null");
        requireNonNull(message, "message is null");
    }

    public boolean succeeded() {
        return status.equals("succeeded");
    }

    /**
     * This result, unless the run failed.
     *
     * @throws EltException RUN_FAILED naming the run and its first error
     */
    public RunResult orThrow() {
        if (status.equals("failed")) {
            throw new EltException(EltErrorCode.RUN_FAILED, "Cannot finish run " + runId + " of pipeline " + pipeline
                    + ": " + message.orElse("a step failed") + " (see wwi elt show " + runId + ")");
        }
        return this;
    }

    /** Files loaded by the run's load steps. */
    public int filesLoaded() {
        return steps.stream().filter(s -> s.kind().equals("load")).mapToInt(StepResult::files).sum();
    }

    /** Rows loaded by the run's load steps. */
    public long rowsLoaded() {
        return steps.stream().filter(s -> s.kind().equals("load")).mapToLong(s -> s.rowsOut().orElse(0)).sum();
    }

    /** Rows written by the steps after the loads. */
    public long rowsWritten() {
        return steps.stream().filter(s -> !s.kind().equals("load") && !s.kind().equals("test"))
                .mapToLong(s -> s.rowsOut().orElse(0)).sum();
    }

    /** Rows rejected by any step. */
    public long rowsRejected() {
        return steps.stream().mapToLong(s -> s.rowsRejected().orElse(0)).sum();
    }
}
