package org.wwi.elt;

import org.jooq.DSLContext;
import org.jooq.JSONB;
import org.jooq.SQLDialect;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import static org.wwi.elt.jooq.Tables.FILE;
import static org.wwi.elt.jooq.Tables.FILE_EVENT;
import static org.wwi.elt.jooq.Tables.FILE_STEP;
import static org.wwi.elt.jooq.Tables.LINEAGE;
import static org.wwi.elt.jooq.Tables.RUN;
import static org.wwi.elt.jooq.Tables.STEP_RUN;
import static org.wwi.elt.jooq.Tables.TEST_RESULT;

/**
 * Writes and reads the ELT ledger (schema {@code elt}) on one connection, in whatever transaction
 * the caller has open: the run's own connection (auto-commit) for runs and steps, a step's
 * transaction for files, batch marks, rejects and lineage, which must commit with the data.
 */
final class Ledger {
    static {
        System.setProperty("org.jooq.no-logo", "true");
        System.setProperty("org.jooq.no-tips", "true");
    }

    private final DSLContext dsl;

    Ledger(Connection connection) {
        this.dsl = DSL.using(connection, SQLDialect.POSTGRES);
    }

    /** A file the ledger has loaded before. */
    record KnownFile(long fileId, long size, Instant modified) {
    }

    static <T> T call(String what, Supplier<T> body) {
        try {
            return body.get();
        } catch (DataAccessException e) {
            SQLException sql = e.getCause(SQLException.class);
            if (sql != null) {
                throw EltException.of(what, sql);
            }
            throw new EltException(EltErrorCode.DATABASE_FAILED, "Cannot " + what + ": " + e.getMessage(), e);
        }
    }

    static OffsetDateTime time(Instant t) {
        return t.atOffset(ZoneOffset.UTC);
    }

    private static org.jooq.Field<OffsetDateTime> bound(Optional<Instant> t, String infinity) {
        return t.<org.jooq.Field<OffsetDateTime>>map(i -> DSL.val(time(i))).orElse(DSL.field("'" + infinity + "'::timestamptz", OffsetDateTime.class));
    }

    private static JSONB json(Map<String, String> values) {
        StringBuilder b = new StringBuilder("{");
        values.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            if (b.length() > 1) {
                b.append(',');
            }
            b.append(Json.quote(e.getKey())).append(':').append(Json.quote(e.getValue()));
        });
        return JSONB.valueOf(b.append('}').toString());
    }

    long startRun(String pipeline, RunOptions options, String hash, String runner) {
        return call("record the start of a run of " + pipeline, () -> dsl.insertInto(RUN)
                .set(RUN.PIPELINE, pipeline)
                .set(RUN.TRIGGER, options.trigger().code())
                .set(RUN.STATUS, "running")
                .set(RUN.FIRE_TIME, options.fireTime().map(Ledger::time).orElse(null))
                .set(RUN.WINDOW_START, bound(options.window().start(), "-infinity"))
                .set(RUN.WINDOW_END, bound(options.window().end(), "infinity"))
                .set(RUN.PARAMETERS, json(options.parameters()))
                .set(RUN.PIPELINE_HASH, hash)
                .set(RUN.RUNNER, runner)
                .returning(RUN.RUN_ID).fetchOne().getRunId());
    }

    long recordSkipped(String pipeline, RunOptions options, String hash, String runner, String message) {
        return call("record a skipped run of " + pipeline, () -> dsl.insertInto(RUN)
                .set(RUN.PIPELINE, pipeline)
                .set(RUN.TRIGGER, options.trigger().code())
                .set(RUN.STATUS, "skipped")
                .set(RUN.FIRE_TIME, options.fireTime().map(Ledger::time).orElse(null))
                .set(RUN.WINDOW_START, bound(options.window().start(), "-infinity"))
                .set(RUN.WINDOW_END, bound(options.window().end(), "infinity"))
                .set(RUN.PARAMETERS, json(options.parameters()))
                .set(RUN.PIPELINE_HASH, hash)
                .set(RUN.RUNNER, runner)
                .set(RUN.FINISHED_AT, DSL.field("clock_timestamp()", OffsetDateTime.class))
                .set(RUN.MESSAGE, message)
                .returning(RUN.RUN_ID).fetchOne().getRunId());
    }

    /** Marks the pipeline's runs still 'running' as abandoned (the caller holds the pipeline's lock). */
    int abandonRunning(String pipeline) {
        return call("close the abandoned runs of " + pipeline, () -> {
            var runs = dsl.select(RUN.RUN_ID).from(RUN).where(RUN.PIPELINE.eq(pipeline)).and(RUN.STATUS.eq("running"));
            dsl.update(STEP_RUN).set(STEP_RUN.STATUS, "failed")
                    .set(STEP_RUN.FINISHED_AT, DSL.field("clock_timestamp()", OffsetDateTime.class))
                    .set(STEP_RUN.MESSAGE, "the run's process ended while this step ran; its transaction was rolled "
                            + "back")
                    .where(STEP_RUN.STATUS.eq("running")).and(STEP_RUN.RUN_ID.in(runs)).execute();
            return dsl.update(RUN).set(RUN.STATUS, "abandoned")
                    .set(RUN.FINISHED_AT, DSL.field("clock_timestamp()", OffsetDateTime.class))
                    .set(RUN.MESSAGE, "its process ended without finishing (killed or crashed); found by the next run, "
                            + "which continued from the committed steps")
                    .where(RUN.PIPELINE.eq(pipeline)).and(RUN.STATUS.eq("running")).execute();
        });
    }

    /** The run that already succeeded for a scheduled fire time. */
    Optional<Long> succeededAt(String pipeline, Instant fireTime) {
        return call("look up fire time " + fireTime + " of " + pipeline, () -> dsl.select(RUN.RUN_ID).from(RUN)
                .where(RUN.PIPELINE.eq(pipeline)).and(RUN.FIRE_TIME.eq(time(fireTime))).and(RUN.STATUS.eq("succeeded"))
                .fetchOptional(RUN.RUN_ID));
    }

    /** The running run of a pipeline: id, start and runner. */
    Optional<String> describeRunning(String pipeline) {
        return call("look up the running run of " + pipeline, () -> dsl.select(RUN.RUN_ID, RUN.STARTED_AT, RUN.RUNNER)
                .from(RUN).where(RUN.PIPELINE.eq(pipeline)).and(RUN.STATUS.eq("running"))
                .orderBy(RUN.RUN_ID.desc()).limit(1).fetchOptional()
                .map(r -> "run " + r.value1() + " started at " + r.value2().toInstant() + " by " + r.value3()));
    }

    void stepStarted(long runId, String step, int ordinal, String kind) {
        call("record step " + step, () -> dsl.insertInto(STEP_RUN)
                .set(STEP_RUN.RUN_ID, runId).set(STEP_RUN.STEP, step).set(STEP_RUN.ORDINAL, ordinal)
                .set(STEP_RUN.KIND, kind).set(STEP_RUN.STATUS, "running").execute());
    }

    void stepSkipped(long runId, String step, int ordinal, String kind, String message) {
        call("record step " + step, () -> dsl.insertInto(STEP_RUN)
                .set(STEP_RUN.RUN_ID, runId).set(STEP_RUN.STEP, step).set(STEP_RUN.ORDINAL, ordinal)
                .set(STEP_RUN.KIND, kind).set(STEP_RUN.STATUS, "skipped")
                .set(STEP_RUN.STARTED_AT, DSL.field("clock_timestamp()", OffsetDateTime.class))
                .set(STEP_RUN.FINISHED_AT, DSL.field("clock_timestamp()", OffsetDateTime.class))
                .set(STEP_RUN.MESSAGE, message).execute());
    }

    void stepFinished(long runId, StepResult r) {
        call("record the end of step " + r.step(), () -> dsl.update(STEP_RUN)
                .set(STEP_RUN.STATUS, r.status())
                .set(STEP_RUN.FINISHED_AT, DSL.field("clock_timestamp()", OffsetDateTime.class))
                .set(STEP_RUN.FILES, r.files())
                .set(STEP_RUN.ROWS_IN, r.rowsIn().isPresent() ? r.rowsIn().getAsLong() : null)
                .set(STEP_RUN.ROWS_OUT, r.rowsOut().isPresent() ? r.rowsOut().getAsLong() : null)
                .set(STEP_RUN.ROWS_REJECTED, r.rowsRejected().isPresent() ? r.rowsRejected().getAsLong() : null)
                .set(STEP_RUN.MESSAGE, r.message().orElse(null))
                .where(STEP_RUN.RUN_ID.eq(runId)).and(STEP_RUN.STEP.eq(r.step())).execute());
    }

    void finishRun(long runId, RunResult r) {
        call("record the end of run " + runId, () -> dsl.update(RUN)
                .set(RUN.STATUS, r.status())
                .set(RUN.FINISHED_AT, DSL.field("clock_timestamp()", OffsetDateTime.class))
                .set(RUN.FILES_LOADED, r.filesLoaded())
                .set(RUN.ROWS_IN, r.rowsLoaded())
                .set(RUN.ROWS_OUT, r.rowsWritten())
                .set(RUN.ROWS_REJECTED, r.rowsRejected())
                .set(RUN.MESSAGE, r.message().orElse(null))
                .where(RUN.RUN_ID.eq(runId)).execute());
    }

    // ---------------------------------------------------------------------------------------- files

    Map<String, KnownFile> knownFiles(String source, String target) {
        return call("read the file ledger of " + source, () -> {
            Map<String, KnownFile> out = new HashMap<>();
            dsl.select(FILE.PATH, FILE.FILE_ID, FILE.SIZE_BYTES, FILE.MODIFIED_AT).from(FILE)
                    .where(FILE.SOURCE_TABLE.eq(source)).and(FILE.TARGET_TABLE.eq(target))
                    .forEach(r -> out.put(r.value1(), new KnownFile(r.value2(), r.value3(), r.value4().toInstant())));
            return out;
        });
    }

    long addFile(String pipeline, String step, String source, String target, SourceTables.SourceFile f, long runId) {
        return call("record file " + f.path(), () -> dsl.insertInto(FILE)
                .set(FILE.PIPELINE, pipeline).set(FILE.STEP, step).set(FILE.SOURCE_TABLE, source)
                .set(FILE.TARGET_TABLE, target).set(FILE.PATH, f.path()).set(FILE.SIZE_BYTES, f.size())
                .set(FILE.MODIFIED_AT, time(f.modified())).set(FILE.CHECKSUM, f.checksum().orElse(null))
                .set(FILE.PARTITION_VALUES, json(f.partitions())).set(FILE.RUN_ID, runId)
                .returning(FILE.FILE_ID).fetchOne().getFileId());
    }

    void fileLoaded(long fileId, long rows, long rejected) {
        call("record file " + fileId, () -> dsl.update(FILE).set(FILE.ROWS_LOADED, rows).set(FILE.ROWS_REJECTED, rejected)
                .where(FILE.FILE_ID.eq(fileId)).execute());
    }

    /** Records a changed or failed file; a change already reported with the same size and time is not repeated. */
    boolean fileEvent(long runId, String step, String source, String target, SourceTables.SourceFile f, String event,
                      String detail) {
        return call("record an event of file " + f.path(), () -> {
            if (event.equals("changed") && dsl.fetchExists(dsl.selectOne().from(FILE_EVENT)
                    .where(FILE_EVENT.SOURCE_TABLE.eq(source)).and(FILE_EVENT.TARGET_TABLE.eq(target))
                    .and(FILE_EVENT.PATH.eq(f.path())).and(FILE_EVENT.EVENT.eq("changed"))
                    .and(FILE_EVENT.SIZE_BYTES.eq(f.size())).and(FILE_EVENT.MODIFIED_AT.eq(time(f.modified()))))) {
                return false;
            }
            dsl.insertInto(FILE_EVENT).set(FILE_EVENT.RUN_ID, runId).set(FILE_EVENT.STEP, step)
                    .set(FILE_EVENT.SOURCE_TABLE, source).set(FILE_EVENT.TARGET_TABLE, target)
                    .set(FILE_EVENT.PATH, f.path()).set(FILE_EVENT.EVENT, event).set(FILE_EVENT.SIZE_BYTES, f.size())
                    .set(FILE_EVENT.MODIFIED_AT, time(f.modified())).set(FILE_EVENT.DETAIL, detail).execute();
            return true;
        });
    }

    /** Copies the rows the external-tables load rejected (ingest.reject) into elt.reject for this run. */
    long copyRejects(long runId, String step, String source, long ingestLoadId) {
        return call("record the rejected rows of " + source, () -> (long) dsl.execute(
                "insert into elt.reject (run_id, step, source, file, row_number, column_name, raw_value, reason) "
                        + "select ?, ?, ?, r.file, r.row_number, r.column_name, r.raw_value, r.reason "
                        + "from ingest.reject r where r.load_id = ?", runId, step, source, ingestLoadId));
    }

    void lineage(long runId, String step, String direction, String type, Collection<String> names) {
        if (names.isEmpty()) {
            return;
        }
        call("record the lineage of step " + step, () -> {
            var insert = dsl.insertInto(LINEAGE, LINEAGE.RUN_ID, LINEAGE.STEP, LINEAGE.DIRECTION, LINEAGE.OBJECT_TYPE,
                    LINEAGE.OBJECT_NAME);
            for (String n : names) {
                insert = insert.values(runId, step, direction, type, n);
            }
            return insert.onConflictDoNothing().execute();
        });
    }

    // ---------------------------------------------------------------------------------------- batches

    /**
     * Creates the transaction's temporary table {@code elt_batch(file_id)} with the files the pipeline
     * loaded that {@code step} has not processed yet; returns how many.
     */
    int openBatch(String pipeline, String step) {
        return call("find the files waiting for step " + step, () -> {
            dsl.execute("create temporary table if not exists elt_batch (file_id bigint primary key) on commit drop");
            dsl.execute("truncate elt_batch");
            return dsl.execute("insert into elt_batch (file_id) select f.file_id from elt.file f "
                    + "where f.pipeline = ? and not exists (select 1 from elt.file_step s "
                    + "where s.file_id = f.file_id and s.step = ?)", pipeline, step);
        });
    }

    /** Marks the batch's files as processed by {@code step}, in the step's transaction. */
    void closeBatch(String step, long runId) {
        call("mark the files processed by step " + step, () -> dsl.execute("insert into elt.file_step (file_id, step, "
                + "run_id) select file_id, ?, ? from elt_batch on conflict do nothing", step, runId));
    }

    /** The files of the batch, for lineage. */
    java.util.List<String> batchPaths() {
        return call("read the batch", () -> dsl.fetch("select f.path from elt.file f join elt_batch b "
                + "using (file_id) order by f.path").getValues(0, String.class));
    }

    // ---------------------------------------------------------------------------------------- tests

    void testResult(long runId, String step, String test, boolean warn, String status, Double observed,
                    String message) {
        call("record test " + test, () -> dsl.insertInto(TEST_RESULT)
                .set(TEST_RESULT.RUN_ID, runId).set(TEST_RESULT.STEP, step).set(TEST_RESULT.TEST, test)
                .set(TEST_RESULT.SEVERITY, warn ? "warn" : "error").set(TEST_RESULT.STATUS, status)
                .set(TEST_RESULT.OBSERVED, observed == null ? null : java.math.BigDecimal.valueOf(observed))
                .set(TEST_RESULT.MESSAGE, message)
                .onConflict(TEST_RESULT.RUN_ID, TEST_RESULT.STEP, TEST_RESULT.TEST).doUpdate()
                .set(TEST_RESULT.STATUS, status).set(TEST_RESULT.MESSAGE, message).execute());
    }

    /** The value a test observed the last time it passed (or warned) in this pipeline. */
    Optional<Double> lastObserved(String pipeline, String step, String test) {
        return call("read the last result of test " + test, () -> dsl.select(TEST_RESULT.OBSERVED).from(TEST_RESULT)
                .join(RUN).on(RUN.RUN_ID.eq(TEST_RESULT.RUN_ID))
                .where(RUN.PIPELINE.eq(pipeline)).and(TEST_RESULT.STEP.eq(step)).and(TEST_RESULT.TEST.eq(test))
                .and(TEST_RESULT.STATUS.ne("failed")).and(TEST_RESULT.OBSERVED.isNotNull())
                .orderBy(TEST_RESULT.RUN_ID.desc()).limit(1).fetchOptional(TEST_RESULT.OBSERVED)
                .map(java.math.BigDecimal::doubleValue));
    }

    /** Whether a file loaded by the pipeline waits for any of {@code steps}. */
    boolean pendingAnywhere(String pipeline, Collection<String> steps) {
        return call("check the files waiting in " + pipeline, () -> Boolean.TRUE.equals(dsl.fetchValue(
                "select exists (select 1 from elt.file f cross join unnest({0}) as s(step) where f.pipeline = {1} "
                        + "and not exists (select 1 from elt.file_step fs where fs.file_id = f.file_id "
                        + "and fs.step = s.step))", DSL.val(steps.toArray(String[]::new)), DSL.val(pipeline))));
    }
}
