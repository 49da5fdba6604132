package org.wwi.jobs.bench;

import org.wwi.control.SecretStore;
import org.wwi.jobs.ElasticJobs;
import org.wwi.jobs.ExecutionRow;
import org.wwi.jobs.ExecutorSettings;
import org.wwi.jobs.JobDefinition;
import org.wwi.jobs.JobsExecutor;
import org.wwi.jobs.Lifecycle;
import org.wwi.platform.Database;
import org.wwi.platform.Progress;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

import static java.util.Objects.requireNonNull;

/**
 * {@code wwi bench jobs}: fan-out of a trivial step and of a 100 ms {@code pg_sleep} step over
 * many databases of one server with max_parallelism 1, 10 and 50, against a serial loop of
 * {@code psql -c} (or, without psql, of JDBC connections) over the same databases, in the same run,
 * after an uncounted warm-up fan-out.
 */
public final class JobsBench {
    static final Path PSQL = Path.of("/usr/bin/psql");

    private JobsBench() {
    }

    /**
     * What to measure.
     *
     * @param databases    how many target databases (created as wwi_bench_NNN, dropped afterwards unless keep)
     * @param parallelisms the max_parallelism values of the step
     * @param sleepMillis  the sleep of the second workload
     */
    public record Spec(int databases, List<Integer> parallelisms, int sleepMillis, boolean keep) {
        public Spec {
            requireNonNull(parallelisms, "parallelisms is null");
            parallelisms = List.copyOf(parallelisms);
            if (databases < 1 || databases > 1000) {
                throw new IllegalArgumentException("Cannot bench " + databases + " databases (1 to 1000)");
            }
        }

        public static Spec defaults() {
            return new Spec(200, List.of(1, 10, 50), 100, false);
        }
    }

    /** The bound on the 100 ms step: wall time within 1.5 times the ideal, plus connection setup. */
    public static final double WALL_FACTOR = 1.5;
    /** The bound on per-target scheduling overhead, in ms. */
    public static final double SCHEDULING_BOUND_MILLIS = 20;

    /**
     * One measured fan-out.
     *
     * @param connectMillis the same fan-out's connection setup alone: {@code parallelism} threads that
     *                      open and close one connection to each database, running nothing
     * @param floorMillis   the same fan-out by bare threads, one connection per database, running the step
     */
    public record Row(String workload, int parallelism, double wallMillis, double idealMillis,
                      double overheadPerTargetMillis, double meanAttemptMillis, double baselineMillis,
                      double floorMillis, double connectMillis, int targets, boolean allSucceeded) {
        /** Time a slot spends per target outside the attempt itself: claim, hand-over, bookkeeping. */
        public double schedulingPerTargetMillis() {
            return overheadPerTargetMillis + stepMillis() - meanAttemptMillis;
        }

        private double stepMillis() {
            return idealMillis == 0 ? 0 : idealMillis / Math.ceil(1.0 * Math.max(1, targets) / parallelism);
        }

        /** Per target, everything the executor adds to bare threads doing the same work: (wall - bare) / targets. */
        public double overheadVsBareMillis() {
            return (wallMillis - floorMillis) / targets;
        }

        /** The bound of the issue for this fan-out: 1.5 x ideal + connection setup. */
        public double boundMillis() {
            return WALL_FACTOR * idealMillis + connectMillis;
        }

        /** How many times faster than the serial baseline. */
        public double speedup() {
            return baselineMillis / wallMillis;
        }
    }

    /** The whole run. */
    public record Report(int databases, String baseline, List<Row> rows, double setupMillis) {
        /**
         * The targets, each with its figures and "met" or "MISSED": the sleep step at the
         * largest parallelism within 1.5 x ideal + connection setup, and per-target scheduling
         * overhead under 20 ms at max_parallelism 1 (where parallel slots cannot hide it), counted
         * both outside the attempts and against bare serial JDBC doing the same work.
         */
        public List<String> verdicts() {
            List<String> out = new ArrayList<>();
            rows.stream().filter(r -> r.idealMillis() > 0).max(java.util.Comparator.comparingInt(Row::parallelism))
                    .ifPresent(r -> out.add(String.format(Locale.ROOT, "%s at max_parallelism %d: wall %.0f ms; "
                            + "bound 1.5 x ideal %.0f ms + connection setup %.0f ms = %.0f ms (wall/ideal %.2f, "
                            + "wall/(ideal + setup) %.2f): %s", r.workload(), r.parallelism(), r.wallMillis(),
                            r.idealMillis(), r.connectMillis(), r.boundMillis(), r.wallMillis() / r.idealMillis(),
                            r.wallMillis() / (r.idealMillis() + r.connectMillis()),
                            verdict(r.allSucceeded() && r.wallMillis() <= r.boundMillis()))));
            rows.stream().filter(r -> r.parallelism() == 1).forEach(r -> {
                out.add(String.format(Locale.ROOT, "%s at max_parallelism 1: scheduling outside the attempts %.1f "
                        + "ms/target (bound %.0f): %s", r.workload(), r.schedulingPerTargetMillis(),
                        SCHEDULING_BOUND_MILLIS, verdict(r.schedulingPerTargetMillis() < SCHEDULING_BOUND_MILLIS)));
                out.add(String.format(Locale.ROOT, "%s at max_parallelism 1: all overhead against bare serial JDBC "
                        + "%.1f ms/target (bound %.0f): %s", r.workload(), r.overheadVsBareMillis(),
                        SCHEDULING_BOUND_MILLIS, verdict(r.overheadVsBareMillis() < SCHEDULING_BOUND_MILLIS)));
            });
            if (out.isEmpty()) {
                out.add("no verdict: give a sleep step and max_parallelism 1 among --parallelism");
            }
            return out;
        }

        private static String verdict(boolean met) {
            return met ? "met" : "MISSED";
        }
    }

    public static Report run(Database db, Path home, Path stateDir, Spec spec, Consumer<String> say) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < spec.databases(); i++) {
            names.add(String.format(Locale.ROOT, "wwi_bench_%03d", i));
        }
        long t0 = System.nanoTime();
        try (Progress p = Progress.onTerminal("creating bench databases", names.size(), "databases")) {
            for (String n : names) {
                execute(db, "postgres", "create database " + n);
                p.advance(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot create the bench databases on " + db.description() + ": "
                    + e.getMessage() + " (drop leftovers: wwi_bench_*)", e);
        }
        double setup = (System.nanoTime() - t0) / 1e6;
        try {
            ElasticJobs jobs = ElasticJobs.open(db, home, SecretStore.open(db, stateDir));
            jobs.putServer("bench", db.address().host(), db.address().port(), "postgres");
            if (jobs.pools().stream().noneMatch(x -> x.name().equals("bench"))) {
                jobs.addPool("bench", "bench", null);
            }
            jobs.pools().stream().filter(x -> x.server().equals("bench") && x.name().equals("bench"))
                    .flatMap(x -> x.databases().stream()).filter(d -> !names.contains(d))
                    .forEach(d -> jobs.removePoolDatabase("bench", d)); // left by an earlier, larger run
            names.forEach(n -> jobs.addPoolDatabase("bench", "bench", n));
            if (!jobs.targetGroups().contains("bench")) {
                jobs.addTargetGroup("bench");
                jobs.addMember("bench", "Include", "PostgresElasticPool", null, "bench", null, "bench");
            }
            boolean psql = Files.isExecutable(PSQL);
            String baseline = psql ? "serial psql -c loop (" + PSQL + ")" : "serial JDBC loop (psql is not installed)";
            say.accept("baseline: " + baseline);
            // warm-up, not counted: the JIT, the executor's statements and each new database's first connection
            int widest = spec.parallelisms().stream().mapToInt(Integer::intValue).max().orElse(1);
            parallelJdbc(db, names, "select 1", widest);
            Row warm = fanOut(jobs, db, home, stateDir, "warm-up", "select 1", 0, widest, names.size(), 0, 0, 0);
            say.accept(String.format(Locale.ROOT, "warm-up (not counted): trivial fan-out at max_parallelism %d: "
                    + "%.0f ms", widest, warm.wallMillis()));
            List<Row> rows = new ArrayList<>();
            java.util.Map<Integer, Double> connectMillis = new java.util.HashMap<>();
            String sleepSql = "select pg_sleep(" + spec.sleepMillis() / 1000.0 + ")";
            for (String[] w : new String[][] {{"trivial (select 1)", "select 1", "0"},
                    {"pg_sleep " + spec.sleepMillis() + " ms", sleepSql, Integer.toString(spec.sleepMillis())}}) {
                double base = psql ? psqlLoop(db, names, w[1]) : jdbcLoop(db, names, w[1]);
                say.accept(String.format(Locale.ROOT, "%s: serial baseline %.0f ms", w[0], base));
                for (int par : spec.parallelisms()) {
                    double connect = connectMillis.computeIfAbsent(par, x -> parallelJdbc(db, names, null, x));
                    double floor = parallelJdbc(db, names, w[1], par);
                    rows.add(fanOut(jobs, db, home, stateDir, w[0], w[1], Integer.parseInt(w[2]), par, names.size(),
                            base, floor, connect));
                    Row r = rows.get(rows.size() - 1);
                    say.accept(String.format(Locale.ROOT, "%s, max_parallelism %d: %.0f ms (ideal %.0f ms, connection "
                            + "setup alone %.0f ms, bare parallel JDBC %.0f ms)", w[0], par, r.wallMillis(),
                            r.idealMillis(), connect, floor));
                }
            }
            return new Report(names.size(), baseline, rows, setup);
        } finally {
            if (!spec.keep()) {
                for (String n : names) {
                    try {
                        execute(db, "postgres", "drop database if exists " + n + " with (force)");
                    } catch (SQLException e) {
                        say.accept("cannot drop " + n + ": " + e.getMessage());
                    }
                }
            }
        }
    }

    private static Row fanOut(ElasticJobs jobs, Database db, Path home, Path stateDir, String workload, String sql,
                              int stepMillis, int parallelism, int n, double baseline, double floor,
                              double connect) {
        String job = "bench-" + (stepMillis == 0 ? "trivial" : "sleep") + "-" + parallelism;
        jobs.define(new JobDefinition(job, "wwi bench jobs", false, JobDefinition.Schedule.once(),
                List.of(JobDefinition.Step.sql("bench", "bench", sql).withRetries(0, 1, 1, 1.0)
                        .withMaxParallelism(parallelism))), Optional.empty());
        ExecutorSettings settings = ExecutorSettings.defaults().withMaxConcurrency(Math.max(50, parallelism))
                .withPollInterval(Duration.ofMillis(200));
        JobsExecutor executor = JobsExecutor.start(db, SecretStore.open(db, stateDir), home, settings, l -> { });
        try {
            UUID id = jobs.start(job);
            ExecutionRow end = jobs.awaitEnd(id, Duration.ofMinutes(10));
            List<ExecutionRow> rows = jobs.execution(id);
            double wall = Duration.between(end.createTime(), end.endTime().orElseThrow()).toNanos() / 1e6;
            double meanAttempt = rows.stream().filter(ExecutionRow::isTarget).mapToDouble(r -> Duration.between(
                    r.startTime().orElseThrow(), r.endTime().orElseThrow()).toNanos() / 1e6).average().orElse(0);
            double ideal = Math.ceil((double) n / parallelism) * stepMillis;
            double overhead = (wall * parallelism - (double) n * stepMillis) / n;
            boolean ok = rows.stream().filter(ExecutionRow::isTarget).allMatch(r -> r.lifecycle() == Lifecycle.Succeeded)
                    && end.lifecycle() == Lifecycle.Succeeded;
            return new Row(workload, parallelism, wall, ideal, overhead, meanAttempt, baseline, floor, connect, n, ok);
        } finally {
            executor.close();
            jobs.deleteJob(job, true);
        }
    }

    private static double psqlLoop(Database db, List<String> names, String sql) {
        long t = System.nanoTime();
        for (String n : names) {
            ProcessBuilder pb = new ProcessBuilder(PSQL.toString(), "-X", "-q", "-h", db.address().host(), "-p",
                    Integer.toString(db.address().port()), "-U", db.address().user(), "-d", n, "-c", sql)
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
            try {
                int code = pb.start().waitFor();
                if (code != 0) {
                    throw new IllegalStateException("psql failed with exit code " + code + " on database " + n);
                }
            } catch (IOException e) {
                throw new IllegalStateException("Cannot run " + PSQL + ": " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
        return (System.nanoTime() - t) / 1e6;
    }

    /**
     * The floor of a fan-out on this machine: {@code parallelism} threads that each open a
     * connection per database and run the step (none when {@code sql} is null: connection setup
     * alone), with no control database and no scheduling.
     */
    private static double parallelJdbc(Database db, List<String> names, String sql, int parallelism) {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(parallelism);
        long t = System.nanoTime();
        try {
            List<java.util.concurrent.Future<?>> all = new ArrayList<>();
            for (String n : names) {
                all.add(pool.submit(() -> {
                    execute(db, n, sql);
                    return null;
                }));
            }
            for (java.util.concurrent.Future<?> f : all) {
                f.get();
            }
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("Cannot run the parallel JDBC floor: " + e.getCause().getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } finally {
            pool.shutdownNow();
        }
        return (System.nanoTime() - t) / 1e6;
    }

    private static double jdbcLoop(Database db, List<String> names, String sql) {
        long t = System.nanoTime();
        for (String n : names) {
            try {
                execute(db, n, sql);
            } catch (SQLException e) {
                throw new IllegalStateException("Cannot run the JDBC baseline on " + n + ": " + e.getMessage(), e);
            }
        }
        return (System.nanoTime() - t) / 1e6;
    }

    private static void execute(Database db, String database, String sql) throws SQLException {
        if (sql == null) {
            db.dataSource(database).getConnection().close();
            return;
        }
        try (Connection c = db.dataSource(database).getConnection(); Statement s = c.createStatement()) {
            if (s.execute(sql)) {
                try (ResultSet rs = s.getResultSet()) {
                    while (rs.next()) {
                        rs.getObject(1);
                    }
                }
            }
        }
    }
}
