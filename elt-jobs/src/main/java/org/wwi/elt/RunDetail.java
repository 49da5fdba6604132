package org.wwi.elt;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Everything the ledger knows about one run, for {@code wwi elt show RUN_ID}.
 *
 * @param files       the files it loaded
 * @param fileEvents  files it reported: changed after loading, or failed
 * @param rejects     the first rejected rows (at most 20)
 * @param rejectCount all rejected rows
 */
public record RunDetail(RunSummary run, List<StepResult> steps, List<LoadedFile> files, List<FileEvent> fileEvents,
                        List<RejectedRow> rejects, long rejectCount, List<TestOutcome> tests,
                        List<LineageEdge> lineage) {

    public record LoadedFile(long fileId, String step, String sourceTable, String targetTable, String path,
                             long sizeBytes, Instant modifiedAt, long rowsLoaded, long rowsRejected) {
    }

    public record FileEvent(String step, String path, String event, String detail) {
    }

    public record RejectedRow(String step, String source, Optional<String> file, Optional<Long> row,
                              Optional<String> column, Optional<String> rawValue, String reason) {
    }

    public record TestOutcome(String step, String test, String severity, String status, String message) {
    }

    /** {@code direction} read or write; {@code objectType} file, external_table or table. */
    public record LineageEdge(String step, String direction, String objectType, String objectName) {
    }

    public RunDetail {
        requireNonNull(run, "run is null");
        steps = List.copyOf(steps);
        files = List.copyOf(files);
        fileEvents = List.copyOf(fileEvents);
        rejects = List.copyOf(rejects);
        tests = List.copyOf(tests);
        lineage = List.copyOf(lineage);
    }
}
