package org.wwi.elt;

import java.sql.Connection;
import java.time.Instant;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * What a step gets from its run.
 *
 * @param runId   the run (elt.run)
 * @param asOf    the run's start, the time of new SCD2 versions
 * @param values  placeholder values: parameters and built-ins
 * @param work    the connection of the step's transaction(s); auto-commit off while a step runs
 * @param ledger  the ledger on the run's own auto-commit connection (records that survive a rollback)
 */
record StepContext(Pipeline pipeline, long runId, RunOptions options, Instant asOf, Map<String, String> values,
                   Connection work, Ledger ledger, SourceTables sources, RollupRefresher rollups,
                   RunListener listener) {

    StepContext {
        requireNonNull(pipeline, "pipeline is null");
        requireNonNull(options, "options is null");
        requireNonNull(asOf, "asOf is null");
        values = Map.copyOf(values);
        requireNonNull(work, "work is null");
        requireNonNull(ledger, "ledger is null");
        requireNonNull(sources, "sources is null");
        requireNonNull(rollups, "rollups is null");
        requireNonNull(listener, "listener is null");
    }

    String expand(String text, String where) {
        return Placeholders.expand(text, values, where);
    }

    /** The ledger inside the step's transaction. */
    Ledger inTransaction() {
        return new Ledger(work);
    }
}
