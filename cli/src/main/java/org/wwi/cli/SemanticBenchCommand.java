package org.wwi.cli;

import org.wwi.platform.Database;
import org.wwi.semantic.bench.SemanticBench;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code wwi bench semantic}: the example BI queries on N generated web events, hand-written SQL
 * straight to PostgreSQL against the semantic SQL through the JDBC server (detail tables, then
 * rollups), and concurrent clients.
 */
@Command(name = "semantic", description = {"Semantic layer: the 10 example BI queries on N generated web events",
        "(database " + SemanticBench.DATABASE + ", kept between runs): direct SQL vs the JDBC server without and with",
        "rollups (median of --runs), then --clients concurrent clients for --seconds."})
final class SemanticBenchCommand implements Callable<Integer> {
    @ParentCommand
    BenchCommand bench;

    @Option(names = "--rows", defaultValue = "10000000", description = "web events (default ${DEFAULT-VALUE})")
    long rows;

    @Option(names = "--runs", defaultValue = "5", description = "timed runs per query and path (default ${DEFAULT-VALUE})")
    int runs;

    @Option(names = "--clients", defaultValue = "20", description = "concurrent clients (default ${DEFAULT-VALUE})")
    int clients;

    @Option(names = "--seconds", defaultValue = "60", description = "length of the concurrent phase (default "
            + "${DEFAULT-VALUE})")
    int seconds;

    @Option(names = "--regenerate", description = "generate the data again even when the database holds it")
    boolean regenerate;

    @Override
    public Integer call() {
        WwiCommand root = bench.root;
        try (Database db = root.openDatabase()) {
            SemanticBench.Report r = SemanticBench.run(db, root.home(), new SemanticBench.Spec(rows, runs, clients,
                    Duration.ofSeconds(seconds), regenerate), line -> {
                        root.out().println(line);
                        root.out().flush();
                    });
            root.out().println();
            root.out().println("wwi bench semantic on " + r.machine());
            root.out().printf(Locale.ROOT, "%,d web events, %,d sales lines%s; rollups built in %.1f s%n", r.events(),
                    r.salesLines(), r.generateSeconds() > 0 ? String.format(Locale.ROOT, " (generated in %.1f s)",
                            r.generateSeconds()) : " (reused)", r.rollupSeconds());
            root.out().println("median of " + runs + " runs, milliseconds; detail = through the JDBC server without "
                    + "rollups; target detail <= 1.25 x direct + 5 ms, rollup >= 20 x faster than detail");
            TextTable t = new TextTable("query", "rows", "direct", "detail", "detail/direct", "target", "rollup",
                    "speed-up", "rollup table");
            int ok = 0;
            int covered = 0;
            int fast = 0;
            for (SemanticBench.QueryFigures q : r.queries()) {
                ok += q.detailWithinTarget() ? 1 : 0;
                covered += q.rollup().isPresent() ? 1 : 0;
                fast += q.rollup().isPresent() && q.rollupSpeedup() >= 20 ? 1 : 0;
                t.row(q.name(), q.rows(), ms(q.directMs()), ms(q.detailMs()),
                        String.format(Locale.ROOT, "%.2f", q.detailRatio()), q.detailWithinTarget() ? "ok" : "MISSED",
                        q.rollup().isPresent() ? ms(q.rollupMs()) : "", q.rollup().isPresent()
                                ? String.format(Locale.ROOT, "%.0fx", q.rollupSpeedup()) : "",
                        q.rollup().orElse("(none)"));
            }
            t.print(root.out());
            root.out().printf(Locale.ROOT, "detail within 1.25 x + 5 ms: %d of %d; rollups >= 20 x faster: %d of %d%n",
                    ok, r.queries().size(), fast, covered);
            SemanticBench.Load l = r.load();
            root.out().printf(Locale.ROOT, "%d concurrent clients for %.0f s: %,d queries, %.1f queries/s, "
                    + "p50 %.1f ms, p99 %.1f ms, %d errors%s%n", l.clients(), l.seconds(), l.queries(),
                    l.queriesPerSecond(), l.p50Ms(), l.p99Ms(), l.errors(),
                    l.firstError().map(e -> " (first: " + e + ")").orElse(""));
            return 0;
        }
    }

    private static String ms(double v) {
        return String.format(Locale.ROOT, v < 10 ? "%.2f" : "%.1f", v);
    }
}
