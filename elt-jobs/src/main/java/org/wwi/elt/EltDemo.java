package org.wwi.elt;

import org.wwi.platform.Database;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The ELT stage of {@code wwi demo}: runs the four WWI pipelines once each on the sample lake
 * (after the external tables are defined). A second demo loads nothing new: every file is in the
 * ledger already.
 */
public final class EltDemo {
    /** The WWI pipelines in the order the demo runs them. */
    public static final List<String> PIPELINES = List.of("weblogs_daily", "raw_weblog_cleanup", "recommendations",
            "chat_transcripts");

    private EltDemo() {
    }

    /** What the demo did: one run per pipeline. */
    public record Result(List<RunResult> runs) {
        public Result {
            runs = List.copyOf(runs);
        }

        /**
         * This result when every pipeline succeeded (or warned).
         *
         * @throws EltException RUN_FAILED naming each failed pipeline, its run and its error
         */
        public Result orThrow() {
            List<String> failed = runs.stream().filter(r -> r.status().equals("failed"))
                    .map(r -> "pipeline " + r.pipeline() + " failed in run " + r.runId() + ": " + r.message()
                            .orElse("a step failed") + " (see wwi elt show " + r.runId() + ")").toList();
            if (!failed.isEmpty()) {
                throw new EltException(EltErrorCode.RUN_FAILED, "Cannot finish the ELT stage of the demo: "
                        + String.join("; ", failed) + "; fix the cause and run wwi demo (or wwi elt run) again: "
                        + "what loaded is kept, the rest is retried");
            }
            return this;
        }

        public String summary() {
            long files = runs.stream().mapToLong(RunResult::filesLoaded).sum();
            long rows = runs.stream().mapToLong(RunResult::rowsLoaded).sum();
            long failed = runs.stream().filter(r -> r.status().equals("failed")).count();
            return String.format(Locale.ROOT, "%d pipelines run%s, %,d files and %,d rows loaded%s", runs.size(),
                    failed == 0 ? "" : " (" + failed + " failed)", files, rows, files == 0
                            ? " (nothing new: every file is in the ledger)" : "");
        }
    }

    public static Result run(Database warehouse, Path home, Path stateDir, RunListener listener) {
        List<RunResult> runs = new ArrayList<>();
        try (Elt elt = Elt.open(warehouse, home, stateDir)) {
            for (String p : PIPELINES) {
                runs.add(elt.run(p, RunOptions.manual(), listener));
            }
        }
        return new Result(runs);
    }
}
