package org.wwi.elt;

import org.wwi.platform.Progress;
import org.wwi.platform.WwiException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.stream.Collectors;

/**
 * The {@code load} step: lists the external table, keeps the files the ledger has not seen (a file
 * seen before with another size or time is reported, never reloaded), and loads each new file into
 * the staging table in the same transaction as its {@code elt.file} row, so a file is either
 * loaded and recorded, or neither, whatever happens to the process. Rows carry their file's id
 * ({@code elt_file_id}) for the steps after.
 */
final class LoadExecutor {
    private LoadExecutor() {
    }

    static StepOutcome run(Steps.Load step, StepContext ctx) {
        SourceTables.Listing listing = ctx.sources().list(step.from(), step.requireSuccess());
        List<SourceTables.SourceFile> inWindow = new ArrayList<>();
        for (SourceTables.SourceFile f : listing.files()) {
            if (inWindow(step, f, ctx.options().window())) {
                inWindow.add(f);
            }
        }
        Map<String, Ledger.KnownFile> known = ctx.ledger().knownFiles(step.from(), step.into());
        List<SourceTables.SourceFile> fresh = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        int changed = 0;
        for (SourceTables.SourceFile f : inWindow) {
            Ledger.KnownFile k = known.get(f.path());
            if (k == null) {
                fresh.add(f);
            } else if (k.size() != f.size() || !k.modified().equals(truncate(f.modified()))) {
                changed++;
                ctx.ledger().fileEvent(ctx.runId(), step.name(), step.from(), step.into(), f, "changed",
                        "changed after it was loaded (file " + k.fileId() + "): size " + k.size() + " -> " + f.size()
                                + " bytes, modified " + k.modified() + " -> " + f.modified()
                                + "; not reloaded (a rewritten file needs a new name, as Spark writes them)");
            }
        }
        if (changed > 0) {
            warnings.add(changed + (changed == 1 ? " file" : " files") + " changed after loading, not reloaded "
                    + "(see elt.file_event)");
        }
        if (!listing.incompleteFolders().isEmpty()) {
            warnings.add(listing.incompleteFolders().size() + " folder(s) without _SUCCESS skipped (Spark still "
                    + "writing, or failed): " + listing.incompleteFolders().stream().limit(3)
                    .collect(Collectors.joining(", ")));
        }
        if (fresh.isEmpty()) {
            return StepOutcome.done(0, 0L, 0L, 0L, join(warnings, "no new files (" + known.size() + " loaded before)"));
        }
        if (step.maxFiles() > 0 && fresh.size() > step.maxFiles()) {
            warnings.add((fresh.size() - step.maxFiles()) + " new files left for the next run (max_files "
                    + step.maxFiles() + ")");
            fresh = fresh.subList(0, step.maxFiles());
        }
        long total = 0;
        for (SourceTables.SourceFile f : fresh) {
            OptionalLong n = ctx.sources().rowCount(step.from(), f);
            if (n.isEmpty()) {
                total = -1;
                break;
            }
            total += n.getAsLong();
        }
        Totals t = new Totals();
        try (Progress progress = Halts.rows(step.name(), ctx.listener().progress(step.name(), total, "rows"))) {
            if (step.batch() == Steps.Batch.ALL_OR_NOTHING) {
                allOrNothing(step, ctx, fresh, progress, t);
            } else {
                perFile(step, ctx, fresh, progress, t, warnings);
            }
        }
        if (t.rows > 0) {
            analyze(ctx.work(), step.into());
        }
        return StepOutcome.done(t.files, t.rows + t.rejected, t.rows, t.rejected, warnings.isEmpty() ? null
                : String.join("; ", warnings));
    }

    /** Fresh statistics for the steps after: a staging table goes from empty to full in one load. */
    private static void analyze(Connection c, String table) {
        try (java.sql.Statement st = c.createStatement()) {
            c.setAutoCommit(true);
            st.execute("analyze " + TransformExecutor.table(table));
        } catch (SQLException e) {
            throw EltException.of("analyze " + table, e);
        }
    }

    private static final class Totals {
        int files;
        long rows;
        long rejected;
    }

    private static String join(List<String> warnings, String info) {
        return warnings.isEmpty() ? null : String.join("; ", warnings) + "; " + info;
    }

    /** PostgreSQL keeps microseconds; the ledger's times compare at that precision. */
    private static Instant truncate(Instant t) {
        return t.truncatedTo(java.time.temporal.ChronoUnit.MICROS);
    }

    private static boolean inWindow(Steps.Load step, SourceTables.SourceFile f, RunOptions.Window window) {
        if (step.windowColumn().isEmpty() || !window.bounded()) {
            return true;
        }
        String column = step.windowColumn().get();
        String value = f.partitions().entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(column))
                .map(Map.Entry::getValue).findFirst().orElseThrow(() -> new EltException(EltErrorCode.PIPELINE_INVALID,
                        "Cannot window load step " + step.name() + ": file " + f.path() + " has no partition "
                                + column + " (window_column must be a Hive partition column of " + step.from() + ")"));
        Instant t;
        try {
            t = value.length() <= 10 ? LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant()
                    : Instant.parse(value);
        } catch (DateTimeException e) {
            throw new EltException(EltErrorCode.PIPELINE_INVALID, "Cannot window load step " + step.name()
                    + ": partition " + column + "=" + value + " of " + f.path() + " is not a date (use a date "
                    + "partition as window_column, or run without --from/--to)");
        }
        return window.contains(t);
    }

    private static void allOrNothing(Steps.Load step, StepContext ctx, List<SourceTables.SourceFile> files,
                                     Progress progress, Totals t) {
        Connection c = ctx.work();
        Ledger tx = ctx.inTransaction();
        SourceTables.SourceFile current = null;
        try {
            c.setAutoCommit(false);
            int i = 0;
            for (SourceTables.SourceFile f : files) {
                current = f;
                i++;
                progress.note("file " + i + "/" + files.size() + " " + shortName(f.path()));
                loadOne(step, ctx, tx, f, i, progress, t);
            }
            current = null;
            lineage(step, ctx, tx, files);
            Halts.at(step.name() + ":before-commit");
            c.commit();
            Halts.at(step.name() + ":committed");
        } catch (SQLException | RuntimeException e) {
            rollback(c, e);
            if (current != null) {
                ctx.ledger().fileEvent(ctx.runId(), step.name(), step.from(), step.into(), current, "failed",
                        message(e));
            }
            throw failure(step, current, e, "nothing of this batch of " + files.size() + " files was loaded; it is "
                    + "retried by the next run");
        }
    }

    private static void perFile(Steps.Load step, StepContext ctx, List<SourceTables.SourceFile> files,
                                Progress progress, Totals t, List<String> warnings) {
        Connection c = ctx.work();
        Ledger tx = ctx.inTransaction();
        int i = 0;
        List<String> failed = new ArrayList<>();
        for (SourceTables.SourceFile f : files) {
            i++;
            progress.note("file " + i + "/" + files.size() + " " + shortName(f.path()));
            Totals one = new Totals();
            try {
                c.setAutoCommit(false);
                loadOne(step, ctx, tx, f, i, progress, one);
                lineage(step, ctx, tx, List.of(f));
                Halts.at(step.name() + ":file:" + i + ":before-commit");
                c.commit();
                Halts.at(step.name() + ":file:" + i + ":committed");
                t.files += one.files;
                t.rows += one.rows;
                t.rejected += one.rejected;
            } catch (SQLException | RuntimeException e) {
                rollback(c, e);
                if (e instanceof WwiException || e instanceof SQLException) {
                    ctx.ledger().fileEvent(ctx.runId(), step.name(), step.from(), step.into(), f, "failed", message(e));
                    failed.add(failure(step, f, e, "left unloaded; retried by the next run").getMessage());
                } else {
                    throw failure(step, f, e, "the files before it were loaded; it is retried by the next run");
                }
            }
        }
        if (!failed.isEmpty()) {
            warnings.add(failed.size() + " of " + files.size() + " files failed and stay unloaded: "
                    + String.join("; ", failed));
        }
    }

    private static void loadOne(Steps.Load step, StepContext ctx, Ledger tx, SourceTables.SourceFile f, int i,
                                Progress progress, Totals t) throws SQLException {
        Halts.at(step.name() + ":file:" + i + ":before");
        long fileId = tx.addFile(ctx.pipeline().name(), step.name(), step.from(), step.into(), f, ctx.runId());
        try (PreparedStatement ps = ctx.work().prepareStatement("select set_config('elt.file_id', ?, true)")) {
            ps.setString(1, Long.toString(fileId));
            ps.execute();
        }
        Halts.at(step.name() + ":file:" + i + ":recorded");
        SourceTables.FileLoad r = ctx.sources().load(ctx.work(), step.from(), f, step.into(), step.columns(),
                Halts.rows(step.name() + ":file:" + i, fileNotes(progress)));
        tx.fileLoaded(fileId, r.rows(), r.rejected());
        if (r.rejected() > 0 && r.ingestLoadId().isPresent()) {
            tx.copyRejects(ctx.runId(), step.name(), step.from(), r.ingestLoadId().getAsLong());
        }
        t.files++;
        t.rows += r.rows();
        t.rejected += r.rejected();
        Halts.at(step.name() + ":file:" + i + ":copied");
    }

    /** The step's progress for one file: rows advance it; the step keeps its own note (file i/n). */
    private static Progress fileNotes(Progress step) {
        return new Progress() {
            @Override
            public void advance(long delta) {
                step.advance(delta);
            }

            @Override
            public void note(String note) {
            }

            @Override
            public void close() {
            }
        };
    }

    private static void lineage(Steps.Load step, StepContext ctx, Ledger tx, List<SourceTables.SourceFile> files) {
        tx.lineage(ctx.runId(), step.name(), "read", "external_table", List.of(step.from()));
        tx.lineage(ctx.runId(), step.name(), "read", "file", files.stream().map(SourceTables.SourceFile::path).toList());
        tx.lineage(ctx.runId(), step.name(), "write", "table", List.of(step.into()));
    }

    /** The last folder and the file name, e.g. {@code TransactionDay=2026-08-01/part-00000-….parquet}. */
    static String shortName(String path) {
        int last = path.lastIndexOf('/');
        int before = last > 0 ? path.lastIndexOf('/', last - 1) : -1;
        return before < 0 ? path : path.substring(before + 1);
    }

    static void rollback(Connection c, Exception cause) {
        try {
            if (!c.getAutoCommit()) {
                c.rollback();
            }
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    private static String message(Exception e) {
        return e instanceof SQLException s ? EltException.firstLine(s) : String.valueOf(e.getMessage());
    }

    private static EltException failure(Steps.Load step, SourceTables.SourceFile f, Exception e, String consequence) {
        String what = f == null ? step.from() : f.path();
        String detail = message(e);
        EltErrorCode code = e instanceof WwiException w && w.kind() == org.wwi.platform.ErrorKind.EXTERNAL
                ? EltErrorCode.DATABASE_FAILED : e instanceof SQLException ? EltErrorCode.DATABASE_FAILED
                : e instanceof WwiException ? EltErrorCode.RUN_FAILED : EltErrorCode.INTERNAL;
        return new EltException(code, "Cannot load " + what + " of " + step.from() + " into " + step.into() + ": "
                + detail + " (" + consequence + ")", e);
    }
}
