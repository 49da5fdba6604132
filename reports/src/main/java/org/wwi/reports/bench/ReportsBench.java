package org.wwi.reports.bench;

import org.wwi.platform.Database;
import org.wwi.reports.Reports;
import org.wwi.reports.Selection;
import org.wwi.reports.TileResult;
import org.wwi.semantic.Principal;
import org.wwi.semantic.SemanticLayer;
import org.wwi.semantic.SemanticModel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * {@code wwi bench reports}: renders every dashboard on the data in the database (the demo's),
 * first cold (a new semantic layer: model check, first plans) and then warm several times, and
 * compares each dashboard's render time with the time its tile queries took in the same run.
 */
public final class ReportsBench {
    /** One dashboard's figures, medians of the warm runs in milliseconds. */
    public record Line(String dashboard, int tiles, double renderMs, double queriesMs, int htmlKb) {
    }

    /** The whole run. */
    public record Report(double coldSeconds, double warmSeconds, int runs, List<Line> lines) {
    }

    private ReportsBench() {
    }

    public static Report run(Database db, Path home, int runs, Consumer<String> say) {
        Path out;
        try {
            out = Files.createTempDirectory("wwi-bench-reports");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            long t0 = System.nanoTime();
            double cold;
            try (SemanticLayer layer = SemanticLayer.open(db, SemanticModel.forProject(home))) {
                Reports reports = Reports.open(layer, Reports.forProject(home));
                Reports.Summary first = reports.render(out, Principal.operator(), Selection.none(), List.of());
                cold = (System.nanoTime() - t0) / 1e9;
                if (!first.ok()) {
                    throw new IllegalStateException("Cannot benchmark: " + first.failures());
                }
                say.accept(String.format("cold: %d dashboards in %.2f s (opening the semantic layer included)",
                        first.pages().size(), cold));
                Map<String, List<double[]>> samples = new LinkedHashMap<>();
                List<Double> totals = new ArrayList<>();
                for (int i = 0; i < runs; i++) {
                    long r0 = System.nanoTime();
                    for (var d : reports.dashboards()) {
                        long p0 = System.nanoTime();
                        Reports.Page page = reports.page(d.name(), Principal.operator(), Selection.none(), false);
                        double render = (System.nanoTime() - p0) / 1e6;
                        double queries = page.tiles().stream().map(TileResult::elapsed).mapToLong(Duration::toNanos)
                                .sum() / 1e6;
                        samples.computeIfAbsent(d.name(), k -> new ArrayList<>()).add(new double[] {render, queries,
                            page.html().length() / 1024.0, page.tiles().size()});
                    }
                    Reports.Summary s = reports.render(out, Principal.operator(), Selection.none(), List.of());
                    totals.add(s.elapsed().toNanos() / 1e9);
                    say.accept(String.format("warm run %d: all dashboards rendered and written in %.2f s", i + 1,
                            s.elapsed().toNanos() / 1e9));
                }
                List<Line> lines = new ArrayList<>();
                samples.forEach((name, xs) -> lines.add(new Line(name, (int) xs.get(0)[3], median(xs, 0),
                        median(xs, 1), (int) Math.round(xs.get(0)[2]))));
                return new Report(cold, totals.stream().sorted().toList().get(totals.size() / 2), runs, lines);
            }
        } finally {
            try (Stream<Path> all = Files.walk(out)) {
                all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                say.accept("cannot delete " + out + ": " + e.getMessage());
            }
        }
    }

    private static double median(List<double[]> xs, int i) {
        double[] v = xs.stream().mapToDouble(x -> x[i]).sorted().toArray();
        return v[v.length / 2];
    }
}
