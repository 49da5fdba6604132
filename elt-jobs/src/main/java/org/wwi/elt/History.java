package org.wwi.elt;

import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import static org.wwi.elt.jooq.Tables.FILE;
import static org.wwi.elt.jooq.Tables.FILE_EVENT;
import static org.wwi.elt.jooq.Tables.LINEAGE;
import static org.wwi.elt.jooq.Tables.REJECT;
import static org.wwi.elt.jooq.Tables.RUN;
import static org.wwi.elt.jooq.Tables.STEP_RUN;
import static org.wwi.elt.jooq.Tables.TEST_RESULT;

/** Reads run history from the ledger. */
final class History {
    private static final Field<OffsetDateTime> WINDOW_START = finite(RUN.WINDOW_START, "w_start");
    private static final Field<OffsetDateTime> WINDOW_END = finite(RUN.WINDOW_END, "w_end");
    private static final List<Field<?>> FIELDS = List.of(RUN.RUN_ID, RUN.PIPELINE, RUN.TRIGGER, RUN.STATUS,
            RUN.STARTED_AT, RUN.FINISHED_AT, RUN.FIRE_TIME, RUN.FILES_LOADED, RUN.ROWS_IN, RUN.ROWS_OUT,
            RUN.ROWS_REJECTED, RUN.RUNNER, RUN.MESSAGE, WINDOW_START, WINDOW_END);

    private final DataSource dataSource;

    static {
        System.setProperty("org.jooq.no-logo", "true");
        System.setProperty("org.jooq.no-tips", "true");
    }

    History(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    private static Field<OffsetDateTime> finite(Field<OffsetDateTime> f, String alias) {
        return DSL.when(DSL.condition("isfinite({0})", f), f).as(alias);
    }

    private interface Query<T> {
        T run(DSLContext dsl);
    }

    private <T> T query(String what, Query<T> q) {
        try (Connection c = dataSource.getConnection()) {
            return Ledger.call(what, () -> q.run(DSL.using(c, SQLDialect.POSTGRES)));
        } catch (SQLException e) {
            throw EltException.of(what, e);
        }
    }

    List<RunSummary> runs(Optional<String> pipeline, int limit) {
        return query("read the run history", dsl -> dsl.select(FIELDS)
                .from(RUN).where(pipeline.map(RUN.PIPELINE::eq).orElse(DSL.trueCondition()))
                .orderBy(RUN.RUN_ID.desc()).limit(limit).fetch(History::summary));
    }

    private static RunSummary summary(Record r) {
        return new RunSummary(r.get(RUN.RUN_ID), r.get(RUN.PIPELINE), r.get(RUN.TRIGGER), r.get(RUN.STATUS),
                r.get(RUN.STARTED_AT).toInstant(), instant(r.get(RUN.FINISHED_AT)), instant(r.get(RUN.FIRE_TIME)),
                instant(r.get(WINDOW_START)), instant(r.get(WINDOW_END)), r.get(RUN.FILES_LOADED), r.get(RUN.ROWS_IN),
                r.get(RUN.ROWS_OUT), r.get(RUN.ROWS_REJECTED), Optional.ofNullable(r.get(RUN.RUNNER)).orElse(""),
                Optional.ofNullable(r.get(RUN.MESSAGE)));
    }

    private static Optional<Instant> instant(OffsetDateTime t) {
        return Optional.ofNullable(t).map(OffsetDateTime::toInstant);
    }

    RunDetail run(long runId) {
        return query("read run " + runId, dsl -> {
            RunSummary run = dsl.select(FIELDS).from(RUN)
                    .where(RUN.RUN_ID.eq(runId)).fetchOptional(History::summary)
                    .orElseThrow(() -> new EltException(EltErrorCode.RUN_NOT_FOUND, "Cannot show run " + runId
                            + ": there is no such run (see wwi elt history)"));
            List<StepResult> steps = dsl.selectFrom(STEP_RUN).where(STEP_RUN.RUN_ID.eq(runId))
                    .orderBy(STEP_RUN.ORDINAL).fetch(s -> new StepResult(s.getStep(), s.getKind(), s.getStatus(),
                            s.getFiles(), optional(s.getRowsIn()), optional(s.getRowsOut()),
                            optional(s.getRowsRejected()), s.getFinishedAt() == null ? Duration.ZERO
                            : Duration.between(s.getStartedAt(), s.getFinishedAt()), Optional.ofNullable(s.getMessage())));
            List<RunDetail.LoadedFile> files = dsl.selectFrom(FILE).where(FILE.RUN_ID.eq(runId)).orderBy(FILE.FILE_ID)
                    .fetch(f -> new RunDetail.LoadedFile(f.getFileId(), f.getStep(), f.getSourceTable(),
                            f.getTargetTable(), f.getPath(), f.getSizeBytes(), f.getModifiedAt().toInstant(),
                            f.getRowsLoaded(), f.getRowsRejected()));
            List<RunDetail.FileEvent> events = dsl.selectFrom(FILE_EVENT).where(FILE_EVENT.RUN_ID.eq(runId))
                    .orderBy(FILE_EVENT.EVENT_ID).fetch(e -> new RunDetail.FileEvent(e.getStep(), e.getPath(),
                            e.getEvent(), e.getDetail()));
            List<RunDetail.RejectedRow> rejects = dsl.selectFrom(REJECT).where(REJECT.RUN_ID.eq(runId))
                    .orderBy(REJECT.REJECT_ID).limit(20).fetch(r -> new RunDetail.RejectedRow(r.getStep(),
                            r.getSource(), Optional.ofNullable(r.getFile()), Optional.ofNullable(r.getRowNumber()),
                            Optional.ofNullable(r.getColumnName()), Optional.ofNullable(r.getRawValue()),
                            r.getReason()));
            long rejectCount = dsl.fetchCount(REJECT, REJECT.RUN_ID.eq(runId));
            List<RunDetail.TestOutcome> tests = dsl.selectFrom(TEST_RESULT).where(TEST_RESULT.RUN_ID.eq(runId))
                    .orderBy(TEST_RESULT.STEP, TEST_RESULT.TEST).fetch(t -> new RunDetail.TestOutcome(t.getStep(),
                            t.getTest(), t.getSeverity(), t.getStatus(), t.getMessage()));
            List<RunDetail.LineageEdge> lineage = dsl.select(LINEAGE.STEP, LINEAGE.DIRECTION, LINEAGE.OBJECT_TYPE,
                            LINEAGE.OBJECT_NAME).from(LINEAGE).join(STEP_RUN).on(STEP_RUN.RUN_ID.eq(LINEAGE.RUN_ID)
                            .and(STEP_RUN.STEP.eq(LINEAGE.STEP))).where(LINEAGE.RUN_ID.eq(runId))
                    .orderBy(STEP_RUN.ORDINAL, LINEAGE.DIRECTION, LINEAGE.OBJECT_TYPE, LINEAGE.OBJECT_NAME)
                    .fetch(l -> new RunDetail.LineageEdge(l.value1(), l.value2(), l.value3(), l.value4()));
            return new RunDetail(run, steps, files, events, rejects, rejectCount, tests, lineage);
        });
    }

    private static OptionalLong optional(Long v) {
        return v == null ? OptionalLong.empty() : OptionalLong.of(v);
    }
}
