package org.wwi.cli;

import org.wwi.jobs.bench.JobsBench;
import org.wwi.migrations.Migrations;
import org.wwi.platform.Database;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code wwi bench …}: benchmarks that print measured figures and ratios against a baseline of the same run. */
@Command(name = "bench", description = "Benchmarks: measured figures and ratios against a baseline run in the same process.",
        subcommands = {BenchCommand.EltPipelines.class, BenchCommand.Jobs.class, BenchCommand.Load.class,
                SemanticBenchCommand.class, BenchCommand.Dashboards.class})
final class BenchCommand implements Runnable {
    @ParentCommand
    WwiCommand root;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing benchmark (e.g. wwi bench jobs)");
    }

    @Command(name = "elt", description = {"ELT: the WWI pipeline weblogs_daily on N generated web events (in a",
            "database of its own): the full history, a second run with no new files, one new day."})
    static final class EltPipelines implements Callable<Integer> {
        @ParentCommand
        BenchCommand bench;

        @Option(names = "--rows", defaultValue = "2000000", description = "Web events of the history (default ${DEFAULT-VALUE})")
        long rows;

        @Option(names = "--days", defaultValue = "30", description = "Days of the history (default ${DEFAULT-VALUE})")
        int days;

        @Option(names = "--keep", description = "Keep the wwi_bench_elt database and the generated lake")
        boolean keep;

        @Override
        public Integer call() {
            WwiCommand root = bench.root;
            try (Database db = root.openDatabase()) {
                root.out().println("wwi bench elt on " + db.description() + ", " + Runtime.getRuntime()
                        .availableProcessors() + " CPUs, " + Runtime.getRuntime().maxMemory() / (1 << 20)
                        + " MB max heap, Java " + System.getProperty("java.version"));
                org.wwi.elt.bench.EltBench.Report r = org.wwi.elt.bench.EltBench.run(db, root.home(),
                        root.config().stateDir(), new org.wwi.elt.bench.EltBench.Spec(rows, days, keep), line -> {
                            root.out().println("  " + line);
                            root.out().flush();
                        });
                root.out().printf(Locale.ROOT, "generated in %.1f s; database and external tables set up in %.1f s%n",
                        r.generateSeconds(), r.setupSeconds());
                for (org.wwi.elt.bench.EltBench.Phase p : r.phases()) {
                    root.out().printf(Locale.ROOT, "%n%s: run %d, %.2f s, %,d files, %,d rows loaded%n", p.name(),
                            p.run().runId(), p.seconds(), p.run().filesLoaded(), p.run().rowsLoaded());
                    TextTable t = new TextTable("  step", "kind", "status", "files", "rows", "seconds", "rows/s");
                    for (org.wwi.elt.StepResult s : p.run().steps()) {
                        long n = s.rowsOut().orElse(s.rowsIn().orElse(0));
                        t.row("  " + s.step(), s.kind(), s.status(), s.files(), String.format(Locale.ROOT, "%,d", n),
                                String.format(Locale.ROOT, "%.2f", s.duration().toNanos() / 1e9), n == 0 ? ""
                                        : String.format(Locale.ROOT, "%,.0f",
                                        org.wwi.elt.bench.EltBench.Report.rowsPerSecond(s)));
                    }
                    t.print(root.out());
                }
                double full = r.phases().get(0).seconds();
                double none = r.phases().get(1).seconds();
                double day = r.phases().get(2).seconds();
                root.out().println();
                root.out().printf(Locale.ROOT, "full history: %,d web events in %.1f s = %,.0f events/s end to end%n",
                        r.historyRows(), full, r.historyRows() / full);
                root.out().printf(Locale.ROOT, "no new files: %.2f s (target < 1 s), %.3f of the full run%n", none,
                        none / full);
                root.out().printf(Locale.ROOT, "one new day: %,d web events in %.2f s; time ratio to the full run %.3f, "
                        + "data ratio %.3f%n", r.newDayRows(), day, day / full, (double) r.newDayRows() / r.historyRows());
            }
            return 0;
        }
    }

    @Command(name = "jobs", description = {"Elastic jobs: a trivial step and a pg_sleep step over N databases of the",
            "server with max_parallelism 1, 10, 50, against a serial loop of psql -c over the same databases."})
    static final class Jobs implements Callable<Integer> {
        @ParentCommand
        BenchCommand bench;

        @Option(names = "--databases", defaultValue = "200", description = "Target databases (default ${DEFAULT-VALUE})")
        int databases;

        @Option(names = "--parallelism", split = ",", defaultValue = "1,10,50",
                description = "max_parallelism values (default ${DEFAULT-VALUE})")
        List<Integer> parallelism;

        @Option(names = "--sleep-ms", defaultValue = "100", description = "Sleep of the second step (default ${DEFAULT-VALUE})")
        int sleepMillis;

        @Option(names = "--keep", description = "Keep the wwi_bench_* databases")
        boolean keep;

        @Override
        public Integer call() {
            WwiCommand root = bench.root;
            try (Database db = root.openDatabase()) {
                Migrations.forProject(root.home()).migrate(db);
                root.out().println("wwi bench jobs on " + db.description() + ", " + Runtime.getRuntime()
                        .availableProcessors() + " CPUs, Java " + System.getProperty("java.version"));
                JobsBench.Report r = JobsBench.run(db, root.home(), root.config().stateDir(),
                        new JobsBench.Spec(databases, parallelism, sleepMillis, keep), line -> {
                            root.out().println("  " + line);
                            root.out().flush();
                        });
                root.out().printf(Locale.ROOT, "%d databases created in %.1f s; baseline: %s%n", r.databases(),
                        r.setupMillis() / 1e3, r.baseline());
                TextTable t = new TextTable("step", "max_parallelism", "wall ms", "ideal ms", "wall/ideal",
                        "connection setup ms", "overhead ms/target", "mean attempt ms", "scheduling ms/target",
                        "bare JDBC ms", "vs bare ms/target", "baseline ms", "speed-up", "all succeeded");
                for (JobsBench.Row x : r.rows()) {
                    t.row(x.workload(), x.parallelism(), fmt(x.wallMillis()), fmt(x.idealMillis()),
                            x.idealMillis() == 0 ? "" : String.format(Locale.ROOT, "%.2f", x.wallMillis() / x.idealMillis()),
                            fmt(x.connectMillis()), String.format(Locale.ROOT, "%.1f", x.overheadPerTargetMillis()),
                            String.format(Locale.ROOT, "%.1f", x.meanAttemptMillis()),
                            String.format(Locale.ROOT, "%.1f", x.schedulingPerTargetMillis()), fmt(x.floorMillis()),
                            String.format(Locale.ROOT, "%.1f", x.overheadVsBareMillis()), fmt(x.baselineMillis()),
                            String.format(Locale.ROOT, "%.1fx", x.speedup()), x.allSucceeded() ? "yes" : "NO");
                }
                t.print(root.out());
                root.out().println("overhead ms/target = (wall x max_parallelism - targets x step time) / targets: "
                        + "the time a parallel slot spends per target beyond the step itself (claim, connection, "
                        + "bookkeeping); mean attempt = connecting to the target and running the step; scheduling = "
                        + "overhead + step time - mean attempt; bare JDBC = the same fan-out by plain threads, one "
                        + "connection per database, "
                        + "no control database (the machine's floor); connection setup = the same threads opening and "
                        + "closing one connection per database, running nothing; vs bare = (wall - bare JDBC) / "
                        + "targets; speed-up = baseline / wall");
                root.out().println("targets of the issue:");
                r.verdicts().forEach(v -> root.out().println("  " + v));
            }
            return 0;
        }

        private static String fmt(double ms) {
            return String.format(Locale.ROOT, "%.0f", ms);
        }
    }

    @Command(name = "load", description = {"External-table loads: N web events as Spark-style Parquet loaded four ways into",
            "the same table ((a) wwi's streaming binary COPY, (b) binary COPY of a pre-built stream, (c) psql \\copy CSV,",
            "(d) JDBC batch INSERT), and count(*) from Parquet footers against a full scan."})
    static final class Load implements Callable<Integer> {
        @ParentCommand
        BenchCommand bench;

        @Option(names = "--rows", defaultValue = "2000000", description = "Web events (default ${DEFAULT-VALUE})")
        long rows;

        @Option(names = "--files", defaultValue = "200", description = "Day folders, one Parquet file each (default ${DEFAULT-VALUE})")
        int files;

        @Option(names = "--work-dir", description = "Folder for the generated lake (default: a temporary folder)")
        java.nio.file.Path workDir;

        @Option(names = "--runs", defaultValue = "3", description = "Measured runs of each load, after a warm-up; the "
                + "median is reported (default ${DEFAULT-VALUE})")
        int runs;

        @Option(names = "--skip-psql", description = "Leave out (c), psql \\copy (left out anyway when psql is missing)")
        boolean skipPsql;

        @Override
        public Integer call() throws Exception {
            WwiCommand root = bench.root;
            java.nio.file.Path dir = workDir != null ? workDir : java.nio.file.Files.createTempDirectory("wwi-bench-load");
            try (Database db = root.openDatabase()) {
                root.out().println("wwi bench load on " + db.description() + ", " + Runtime.getRuntime()
                        .availableProcessors() + " CPUs, Java " + System.getProperty("java.version") + ", -Xmx "
                        + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MB");
                org.wwi.external.bench.LoadBenchmark.Report r = org.wwi.external.bench.LoadBenchmark.run(db,
                        new org.wwi.external.bench.LoadBenchmark.Spec(rows, files, dir, runs, skipPsql), line -> {
                            root.out().println("  " + line);
                            root.out().flush();
                        });
                TextTable t = new TextTable("load", "rows", "seconds (median)", "rows/s", "runs (s)");
                for (org.wwi.external.bench.LoadBenchmark.Row x : r.loads()) {
                    t.row(x.name(), x.rows(), String.format(Locale.ROOT, "%.2f", x.seconds()),
                            String.format(Locale.ROOT, "%,.0f", x.rowsPerSecond()), x.runs().stream()
                                    .map(v -> String.format(Locale.ROOT, "%.2f", v))
                                    .collect(java.util.stream.Collectors.joining(" ")));
                }
                t.print(root.out());
                root.out().printf(Locale.ROOT, "a/b = %.2f (target >= 0.75)  %s%n", r.ratio("a", "b"),
                        verdict(r.ratio("a", "b") >= 0.75));
                root.out().printf(Locale.ROOT, "a/c = %.2f (target >= 1.5)   %s%n", r.ratio("a", "c"),
                        r.psqlMissing().isPresent() ? "not measured: " + r.psqlMissing().get()
                                : verdict(r.ratio("a", "c") >= 1.5));
                root.out().printf(Locale.ROOT, "a/d = %.2f (target >= 3)     %s%n", r.ratio("a", "d"),
                        verdict(r.ratio("a", "d") >= 3));
                long peakMb = r.peakHeapBytesDuringA() / (1024 * 1024);
                root.out().printf(Locale.ROOT, "peak heap during (a): %d MB (max heap %d MB; target < 512 MB)  %s%n",
                        peakMb, Runtime.getRuntime().maxMemory() / (1024 * 1024), verdict(peakMb < 512));
                double speedUp = r.fullScanSeconds() / r.footerCountSeconds();
                root.out().printf(Locale.ROOT, "count(*) over %d Parquet files (%,d rows, %d MB): footers %.4f s, "
                                + "full scan %.3f s, %.0fx (target >= 100x)  %s%n", r.files(), r.countedRows(),
                        r.parquetBytes() / 1_000_000, r.footerCountSeconds(), r.fullScanSeconds(), speedUp,
                        verdict(speedUp >= 100));
            } finally {
                if (workDir == null) {
                    try (var walk = java.nio.file.Files.walk(dir)) {
                        walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                    }
                }
            }
            return 0;
        }
    }

    @Command(name = "reports", description = {"Reports: render every dashboard on the data in the database (run",
            "wwi demo first), cold and warm, against the time of its tile queries."})
    static final class Dashboards implements Callable<Integer> {
        @ParentCommand
        BenchCommand bench;

        @Option(names = "--runs", defaultValue = "5", description = "Warm runs (default ${DEFAULT-VALUE})")
        int runs;

        @Override
        public Integer call() {
            WwiCommand root = bench.root;
            try (Database db = root.openDatabase()) {
                root.out().println("wwi bench reports on " + db.description() + ", " + Runtime.getRuntime()
                        .availableProcessors() + " CPUs, Java " + System.getProperty("java.version"));
                org.wwi.reports.bench.ReportsBench.Report r = org.wwi.reports.bench.ReportsBench.run(db, root.home(),
                        runs, line -> root.out().println("  " + line));
                TextTable t = new TextTable("dashboard", "tiles", "render ms", "tile queries ms", "render/queries",
                        "page KB");
                double sum = 0;
                for (org.wwi.reports.bench.ReportsBench.Line l : r.lines()) {
                    sum += l.renderMs();
                    t.row(l.dashboard(), l.tiles(), String.format(Locale.ROOT, "%.1f", l.renderMs()),
                            String.format(Locale.ROOT, "%.1f", l.queriesMs()),
                            String.format(Locale.ROOT, "%.2f", l.renderMs() / Math.max(0.001, l.queriesMs())),
                            l.htmlKb());
                }
                t.print(root.out());
                root.out().printf(Locale.ROOT, "all dashboards: cold %.2f s, warm %.2f s (median of %d runs, files "
                        + "written; sum of page medians %.2f s); target < 10 s%n", r.coldSeconds(), r.warmSeconds(),
                        r.runs(), sum / 1000);
                return 0;
            }
        }
    }

    static String verdict(boolean met) {
        return met ? "met" : "MISSED";
    }
}
