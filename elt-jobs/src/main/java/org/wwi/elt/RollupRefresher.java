package org.wwi.elt;

import java.sql.Connection;
import java.util.List;

/**
 * Refreshes rollups of the semantic model for a {@code refresh} step ({@code rollups: …}): each
 * takes in the new facts (merged into the current table when only new facts arrived, else built
 * as a new table and swapped in atomically, refusing an empty or shrunken result unless allowed),
 * with its freshness recorded.
 */
interface RollupRefresher {

    /**
     * One refreshed rollup.
     *
     * @param how {@code incremental: …} or {@code full: <why>}
     */
    record Refreshed(String rollup, String table, long rows, long previousRows, String how) {
        boolean incremental() {
            return how.startsWith("incremental");
        }
    }

    /**
     * Refreshes rollups in the caller's transaction.
     *
     * @param names            rollup names; {@code "*"} for all of the model's
     * @param allowEmpty       swap in an empty result
     * @param maxShrinkPercent how much smaller than the current table a result may be
     */
    List<Refreshed> refresh(Connection tx, List<String> names, boolean allowEmpty, double maxShrinkPercent);

    /** Releases what the refresher opened (the semantic layer's connections). */
    default void close() {
    }

    /** For builds without the semantic model: every call fails naming what is missing. */
    static RollupRefresher unavailable() {
        return (tx, names, allowEmpty, shrink) -> {
            throw new EltException(EltErrorCode.PIPELINE_INVALID, "Cannot refresh the semantic model's rollups "
                    + String.join(", ", names) + ": no semantic model is available to this run (use a SQL rollup "
                    + "with table: and sql:, or open the pipelines with a project folder)");
        };
    }
}
