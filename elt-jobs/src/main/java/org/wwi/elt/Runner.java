package org.wwi.elt;

import org.wwi.platform.WwiException;

import javax.sql.DataSource;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * Runs one pipeline: takes the pipeline's advisory lock (so a manual and a scheduled run, or two
 * agents, never overlap), closes runs abandoned by a dead process, records the run, runs the steps
 * in dependency order (a failed step skips the steps that depend on it; the others still run),
 * empties the staging tables once every step has processed their files, and records the outcome.
 */
final class Runner {
    /** First key of the pipelines' advisory locks ("ELT"); the second is hashtext(pipeline name). */
    static final int LOCK_CLASS = 0x454C54;
    /**
     * How long a scheduled or recovered run waits for the pipeline's lock before it is recorded as
     * skipped: long enough for PostgreSQL to end the session of a dead runner (see {@link #SESSION}).
     */
    static final Duration LOCK_WAIT = Duration.ofMinutes(2);
    /**
     * Settings of the run's sessions so that PostgreSQL ends the session of a runner that died without
     * closing it (its host vanished, or it hangs) and releases its lock: TCP keepalives find a vanished
     * peer within 25 s, and a running statement checks its client every 5 s.
     */
    private static final String SESSION = "set tcp_keepalives_idle = 10; set tcp_keepalives_interval = 5; "
            + "set tcp_keepalives_count = 3; set client_connection_check_interval = 5000";

    private final DataSource dataSource;
    private final SourceTables sources;
    private final RollupRefresher rollups;
    private final String runner;
    private final Duration lockWait;

    Runner(DataSource dataSource, SourceTables sources, RollupRefresher rollups, String runnerSuffix,
           Duration lockWait) {
        this.lockWait = requireNonNull(lockWait, "lockWait is null");
        if (lockWait.isNegative()) {
            throw new IllegalArgumentException("lockWait is negative: " + lockWait);
        }
        this.dataSource = requireNonNull(dataSource, "dataSource is null");
        this.sources = requireNonNull(sources, "sources is null");
        this.rollups = requireNonNull(rollups, "rollups is null");
        this.runner = host() + " pid " + ProcessHandle.current().pid() + (runnerSuffix.isEmpty() ? "" : " "
                + runnerSuffix);
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    RunResult run(Pipeline pipeline, RunOptions options, RunListener listener) {
        requireNonNull(pipeline, "pipeline is null");
        requireNonNull(options, "options is null");
        requireNonNull(listener, "listener is null");
        for (String p : options.parameters().keySet()) {
            if (!pipeline.parameters().containsKey(p)) {
                throw new EltException(EltErrorCode.REQUEST_INVALID, "Cannot run pipeline " + pipeline.name()
                        + " with parameter " + p + ": it has no such parameter (it has " + (pipeline.parameters()
                        .isEmpty() ? "none" : String.join(", ", pipeline.parameters().keySet())) + ")");
            }
        }
        long t0 = System.nanoTime();
        try (Connection own = dataSource.getConnection(); Connection work = dataSource.getConnection()) {
            own.setAutoCommit(true);
            configure(own);
            configure(work);
            Ledger ledger = new Ledger(own);
            boolean manual = options.trigger() == RunOptions.Trigger.MANUAL
                    || options.trigger() == RunOptions.Trigger.BACKFILL;
            // a scheduled or recovered run waits: the holder may be a dead agent whose session ends soon
            Duration wait = manual ? Duration.ZERO : lockWait;
            if (!lock(own, pipeline.name(), wait)) {
                String running = ledger.describeRunning(pipeline.name()).orElse("another process");
                if (manual) {
                    throw new EltException(EltErrorCode.RUN_IN_PROGRESS, "Cannot run pipeline " + pipeline.name()
                            + ": it is running (" + running + "; wait for it to finish, see wwi elt history "
                            + pipeline.name() + ")");
                }
                String why = "another run held the pipeline's lock for " + wait.toMillis() + " ms, the most a "
                        + options.trigger().code() + " run waits (" + running + ")";
                long id = ledger.recordSkipped(pipeline.name(), options, pipeline.hash(), runner, why);
                return new RunResult(id, pipeline.name(), "skipped", List.of(), elapsed(t0), Optional.of(why));
            }
            try {
                ledger.abandonRunning(pipeline.name());
                if (options.fireTime().isPresent()) {
                    Optional<Long> done = ledger.succeededAt(pipeline.name(), options.fireTime().get());
                    if (done.isPresent()) {
                        String why = "fire time " + options.fireTime().get() + " already ran (run " + done.get() + ")";
                        long id = ledger.recordSkipped(pipeline.name(), options, pipeline.hash(), runner, why);
                        return new RunResult(id, pipeline.name(), "skipped", List.of(), elapsed(t0), Optional.of(why));
                    }
                }
                return steps(pipeline, options, listener, own, work, ledger, t0);
            } finally {
                unlock(own, pipeline.name());
            }
        } catch (SQLException e) {
            throw EltException.of("run pipeline " + pipeline.name(), e);
        }
    }

    private RunResult steps(Pipeline pipeline, RunOptions options, RunListener listener, Connection own,
                            Connection work, Ledger ledger, long t0) throws SQLException {
        long runId = ledger.startRun(pipeline.name(), options, pipeline.hash(), runner);
        Instant asOf = startedAt(own, runId);
        listener.runStarted(runId, pipeline);
        Map<String, String> values = new LinkedHashMap<>(pipeline.parameters());
        values.putAll(options.parameters());
        values.put("run_id", Long.toString(runId));
        values.put("pipeline", pipeline.name());
        values.put("window_start", options.window().startText());
        values.put("window_end", options.window().endText());
        values.put("as_of", asOf.toString());
        values.put("batch_files", "(select file_id from elt_batch)");
        values.put("batch_paths", "(select f.path from elt.file f join elt_batch b on b.file_id = f.file_id)");
        StepContext ctx = new StepContext(pipeline, runId, options, asOf, values, work, ledger, sources, rollups,
                listener);
        List<StepResult> results = new ArrayList<>();
        Map<String, String> blocked = new HashMap<>();
        Set<String> failed = new HashSet<>();
        int ordinal = 0;
        for (Step step : pipeline.steps()) {
            ordinal++;
            Optional<String> blocker = step.dependsOn().stream().filter(blocked::containsKey).findFirst();
            if (blocker.isPresent()) {
                String why = "skipped: it depends on " + blocker.get() + ", which " + (failed.contains(blocker.get())
                        ? "failed" : "was skipped");
                ledger.stepSkipped(runId, step.name(), ordinal, step.kind(), why);
                StepResult r = new StepResult(step.name(), step.kind(), "skipped", 0, OptionalLong.empty(),
                        OptionalLong.empty(), OptionalLong.empty(), Duration.ZERO, Optional.of(why));
                results.add(r);
                blocked.put(step.name(), why);
                listener.stepStarted(step);
                listener.stepFinished(r);
                continue;
            }
            ledger.stepStarted(runId, step.name(), ordinal, step.kind());
            listener.stepStarted(step);
            long s0 = System.nanoTime();
            StepOutcome out;
            try {
                out = execute(step, ctx);
            } catch (WwiException e) {
                out = failedOutcome(e.getMessage());
            } catch (RuntimeException e) {
                out = failedOutcome("Cannot run step " + step.name() + ": " + e + " (this is a bug, please report it)");
            } finally {
                reset(work);
            }
            StepResult r = new StepResult(step.name(), step.kind(), out.status(), out.files(), out.rowsIn(),
                    out.rowsOut(), out.rowsRejected(), elapsed(s0), out.message());
            ledger.stepFinished(runId, r);
            results.add(r);
            listener.stepFinished(r);
            if (r.failed()) {
                blocked.put(step.name(), "failed");
                failed.add(step.name());
            }
        }
        boolean ok = failed.isEmpty();
        Optional<String> message = Optional.empty();
        if (ok) {
            Halts.at("run:before-cleanup");
            cleanStaging(pipeline, ledger, work);
        } else {
            message = Optional.of("failed steps: " + String.join(", ", failed) + " (" + results.stream()
                    .filter(StepResult::failed).map(x -> x.message().orElse("")).findFirst().orElse("") + ")");
        }
        RunResult result = new RunResult(runId, pipeline.name(), ok ? "succeeded" : "failed", results, elapsed(t0),
                message);
        Halts.at("run:before-finish");
        ledger.finishRun(runId, result);
        return result;
    }

    private static StepOutcome failedOutcome(String message) {
        return new StepOutcome("failed", 0, OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty(),
                Optional.of(message));
    }

    private static StepOutcome execute(Step step, StepContext ctx) {
        if (step instanceof Steps.Load l) {
            return LoadExecutor.run(l, ctx);
        } else if (step instanceof Steps.Sql s) {
            return TransformExecutor.sql(s, ctx);
        } else if (step instanceof Steps.Merge m) {
            return TransformExecutor.merge(m, ctx);
        } else if (step instanceof Steps.Scd2 s) {
            return TransformExecutor.scd2(s, ctx);
        } else if (step instanceof Steps.Test t) {
            return TestExecutor.run(t, ctx);
        }
        return RefreshExecutor.run((Steps.Refresh) step, ctx);
    }

    /**
     * Empties the staging tables the pipeline loads once no loaded file waits for any of its steps
     * (the usual case after a successful run); a table with rows still waiting is left alone, and
     * from a table that another pipeline loads too only this pipeline's rows are deleted.
     */
    private static void cleanStaging(Pipeline pipeline, Ledger ledger, Connection work) throws SQLException {
        List<String> consumers = pipeline.steps().stream().filter(s -> !(s instanceof Steps.Load)).map(Step::name)
                .toList();
        if (consumers.isEmpty() || pipeline.stagingTables().isEmpty()) {
            return;
        }
        if (ledger.pendingAnywhere(pipeline.name(), consumers)) {
            return;
        }
        for (String t : pipeline.stagingTables()) {
            boolean shared;
            try (PreparedStatement ps = work.prepareStatement("select exists (select 1 from " + TransformExecutor.table(t)
                    + "), exists (select 1 from elt.file where target_table = ? and pipeline <> ?)")) {
                ps.setString(1, t);
                ps.setString(2, pipeline.name());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (!rs.getBoolean(1)) {
                        continue;
                    }
                    shared = rs.getBoolean(2);
                }
            }
            try (PreparedStatement ps = work.prepareStatement(shared
                    ? "delete from " + TransformExecutor.table(t) + " where elt_file_id in (select file_id from elt.file "
                    + "where pipeline = ?)" : "truncate " + TransformExecutor.table(t))) {
                if (shared) {
                    // another pipeline loads this table too: remove only this pipeline's rows
                    ps.setString(1, pipeline.name());
                }
                ps.execute();
            }
        }
    }

    private static void reset(Connection work) {
        try {
            if (!work.getAutoCommit()) {
                work.rollback();
                work.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw EltException.of("reset the step connection", e);
        }
    }

    private static Instant startedAt(Connection c, long runId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select started_at from elt.run where run_id = ?")) {
            ps.setLong(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getObject(1, java.time.OffsetDateTime.class).toInstant();
            }
        }
    }

    private static void configure(Connection c) throws SQLException {
        try (java.sql.Statement st = c.createStatement()) {
            st.execute(SESSION);
        }
    }

    static boolean lock(Connection c, String pipeline) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select pg_try_advisory_lock(?, hashtext(?))")) {
            ps.setInt(1, LOCK_CLASS);
            ps.setString(2, pipeline);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    /**
     * Takes the pipeline's lock, waiting at most {@code wait} (as a waiting lock in pg_locks) for its
     * holder to release it; {@code c} is in auto-commit.
     */
    static boolean lock(Connection c, String pipeline, Duration wait) throws SQLException {
        if (lock(c, pipeline)) {
            return true;
        }
        if (wait.isZero()) {
            return false;
        }
        try (java.sql.Statement st = c.createStatement()) {
            st.execute("set lock_timeout = " + Math.max(1, wait.toMillis()));
            try (PreparedStatement ps = c.prepareStatement("select pg_advisory_lock(?, hashtext(?))")) {
                ps.setInt(1, LOCK_CLASS);
                ps.setString(2, pipeline);
                ps.execute();
                return true;
            } catch (SQLException e) {
                if ("55P03".equals(e.getSQLState())) { // lock_not_available: the wait timed out
                    return false;
                }
                throw e;
            } finally {
                st.execute("reset lock_timeout");
            }
        }
    }

    private static void unlock(Connection c, String pipeline) {
        try (PreparedStatement ps = c.prepareStatement("select pg_advisory_unlock(?, hashtext(?))")) {
            ps.setInt(1, LOCK_CLASS);
            ps.setString(2, pipeline);
            ps.execute();
        } catch (SQLException e) {
            // the connection closes right after, which releases the lock anyway
            return;
        }
    }

    private static Duration elapsed(long t0) {
        return Duration.ofNanos(System.nanoTime() - t0);
    }

}
