package org.wwi.elt;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * The transaction of a step after the loads: it opens the step's batch (the files the pipeline
 * loaded that this step has not processed; temporary table {@code elt_batch}), runs the body, marks
 * the batch processed and commits, all at once. A crash anywhere leaves the batch waiting for the
 * next run, with nothing of the step's output committed.
 */
final class BatchStep {
    private BatchStep() {
    }

    interface Body {
        StepOutcome run(Ledger tx, int files) throws SQLException;
    }

    static StepOutcome run(Step step, Steps.When when, StepContext ctx, Body body) {
        return run(step, when, ctx, body, false);
    }

    /**
     * @param runWhenMissing run even without new files (e.g. a rollup whose table does not exist yet)
     */
    static StepOutcome run(Step step, Steps.When when, StepContext ctx, Body body, boolean runWhenMissing) {
        Connection c = ctx.work();
        try {
            c.setAutoCommit(false);
            Ledger tx = ctx.inTransaction();
            int files = tx.openBatch(ctx.pipeline().name(), step.name());
            if (when == Steps.When.NEW_DATA && files == 0 && !runWhenMissing) {
                c.rollback();
                return StepOutcome.skipped("no new data since its last run");
            }
            StepOutcome out = body.run(tx, files);
            if (out.status().equals("failed")) {
                c.rollback();
                return out;
            }
            tx.closeBatch(step.name(), ctx.runId());
            Halts.at(step.name() + ":before-commit");
            c.commit();
            Halts.at(step.name() + ":committed");
            return out;
        } catch (SQLException e) {
            LoadExecutor.rollback(c, e);
            throw new EltException(EltErrorCode.RUN_FAILED, "Cannot run step " + step.name() + " (" + step.kind() + " "
                    + step.describe() + ") of pipeline " + ctx.pipeline().name() + ": " + EltException.firstLine(e)
                    + hint(e) + " (its transaction was rolled back; fix it and run again)", e);
        } catch (RuntimeException e) {
            LoadExecutor.rollback(c, e);
            throw e;
        }
    }

    private static String hint(SQLException e) {
        String m = String.valueOf(e.getMessage());
        int where = m.indexOf("Where:");
        int position = m.indexOf("Position:");
        String more = "";
        if (where > 0) {
            more = m.substring(where).split("\n")[0];
        } else if (position > 0) {
            more = m.substring(position).split("\n")[0];
        }
        return more.isEmpty() ? "" : " [" + more.strip() + "]";
    }
}
