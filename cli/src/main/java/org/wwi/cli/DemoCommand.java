package org.wwi.cli;

import org.wwi.migrations.CommandLog;
import org.wwi.migrations.Migrations;
import org.wwi.platform.Database;
import org.wwi.platform.Progress;
import org.wwi.platform.WwiException;
import org.wwi.sample.GenerationResult;
import org.wwi.sample.WeblogGenerator;
import org.wwi.sample.WeblogSpec;
import org.wwi.reports.Reports;
import org.wwi.reports.ReportsErrorCode;
import org.wwi.reports.ReportsException;
import org.wwi.reports.Selection;
import org.wwi.semantic.Principal;
import org.wwi.semantic.QueryResult;
import org.wwi.semantic.Rollups;
import org.wwi.semantic.SemanticLayer;
import org.wwi.semantic.SemanticModel;
import org.wwi.semantic.SemanticQuery;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code wwi demo}: the whole product end to end on the embedded default. Each stage is
 * timed, printed as it ends, and recorded in {@code ops.command_run}.
 */
@Command(name = "demo", description = {
        "Run WWI Warehouse end to end on the embedded PostgreSQL (or --db).",
        "Applies the migrations, generates the sample lake under .wwi/lake when absent, runs the pipelines,",
        "the elastic jobs, the semantic layer and the reports, and prints a summary."})
final class DemoCommand implements Callable<Integer> {
    static final String SAMPLE_MARKER = "_wwi_sample.json";

    @ParentCommand
    WwiCommand root;

    @Option(names = "--rows", paramLabel = "N", defaultValue = "200000",
            description = "Web events in a newly generated sample lake (default ${DEFAULT-VALUE})")
    long rows;

    @Option(names = "--regenerate", description = "Generate the sample lake again even when present")
    boolean regenerate;

    private final List<CommandLog.Stage> stages = new ArrayList<>();

    @Override
    public Integer call() {
        long t0 = System.nanoTime();
        root.out().println("WWI Warehouse demo (project " + root.home() + ")");
        Database db = stage("database", () -> {
            Database d = root.openDatabase();
            return new Result<>(d, d.description());
        });
        try (db) {
            runStages(db);
            Duration total = Duration.ofNanos(System.nanoTime() - t0);
            printSummary(db, total);
            CommandLog log = new CommandLog(db);
            log.finish(log.start("demo", "--rows " + rows), true, "finished in " + seconds(total), stages);
        } catch (WwiException e) {
            recordFailure(db, e);
            throw e;
        }
        return 0;
    }

    private void runStages(Database db) {
        stage("migrate", () -> {
            List<Migrations.MigrateOutcome> out = Migrations.forProject(root.home()).migrate(db);
            int applied = out.stream().mapToInt(o -> o.applied().size()).sum();
            return new Result<>(null, applied == 0 ? "schemas up to date"
                    : applied + " migrations applied (control v" + out.get(0).toVersion() + ", warehouse v"
                    + out.get(1).toVersion() + ")");
        });
        stage("sample lake", () -> {
            Path lake = root.config().lakeDir();
            if (!regenerate && Files.isRegularFile(lake.resolve(SAMPLE_MARKER))) {
                return new Result<>(null, "present in " + lake + " (reused; --regenerate to make it again)");
            }
            GenerationResult r;
            try (Progress p = Progress.onTerminal("  generating web events", rows, "events")) {
                r = WeblogGenerator.generate(WeblogSpec.defaults(lake).withRows(rows), p);
            }
            return new Result<>(null, String.format("%,d web events, %,d files, %.1f MB in %s", r.events(),
                    r.files(), r.bytes() / 1e6, lake));
        });
        stage("external tables", () -> {
            // the demo (only) has a default master key password when WWI_MASTER_KEY_PASSWORD is unset
            var ddl = org.wwi.external.catalog.DdlMigrations.forProject(root.home(),
                    org.wwi.external.catalog.DdlMigrations.placeholders(root.home(), root.config().lakeDir(),
                            org.wwi.external.catalog.DdlMigrations.demoEnvironment(System::getenv)),
                    root.config().stateDir());
            var out = ddl.migrate(db);
            int tables = org.wwi.external.catalog.CatalogStore.open(db, root.config().stateDir()).tables().size();
            return new Result<>(null, (out.applied().isEmpty() ? "DDL up to date" : out.applied().size()
                    + " DDL files applied") + ", " + tables + " external tables over " + root.config().lakeDir());
        });
        stage("elastic jobs", () -> {
            org.wwi.jobs.JobsDemo.Result r = org.wwi.jobs.JobsDemo.run(db, root.home(), root.config().stateDir());
            TextTable t = new TextTable("  job", "target", "lifecycle", "attempts", "last message");
            r.targets().forEach(x -> t.row("  " + x.jobName(), x.target(), x.lifecycle(), x.attempts(),
                    x.lastMessage().orElse("")));
            t.print(root.out());
            return new Result<>(null, r.summary());
        });
        stage("elt pipelines", () -> {
            org.wwi.elt.EltDemo.Result r = org.wwi.elt.EltDemo.run(db, root.home(), root.config().stateDir(),
                    new org.wwi.elt.RunListener() {
                        @Override
                        public org.wwi.platform.Progress progress(String label, long total, String unit) {
                            return Progress.onTerminal("  " + label, total, unit);
                        }
                    });
            TextTable t = new TextTable("  pipeline", "run", "status", "files", "rows loaded", "rows written",
                    "rejected", "seconds");
            r.runs().forEach(x -> t.row("  " + x.pipeline(), x.runId(), x.status(), x.filesLoaded(),
                    String.format("%,d", x.rowsLoaded()), String.format("%,d", x.rowsWritten()),
                    String.format("%,d", x.rowsRejected()), seconds(x.duration())));
            t.print(root.out());
            r.orThrow(); // a failed pipeline fails the demo
            return new Result<>(null, r.summary());
        });
        stage("semantic layer", () -> {
            try (SemanticLayer layer = SemanticLayer.open(db,
                    SemanticModel.forProject(root.home()))) {
                List<Rollups.Status> rollups = layer.rollups().status();
                long fresh = rollups.stream().filter(x -> x.state().equals("fresh")).count();
                QueryResult q = layer.query(SemanticQuery.of(
                        List.of("revenue", "orders", "average_order_value"), List.of("channel.name", "date.month")),
                        Principal.operator());
                TextTable t = new TextTable(q.columns().stream().map(c -> "  " + c.name()).toArray(String[]::new));
                for (int i = 0; i < q.rows().size(); i++) {
                    Object[] cells = new Object[q.columns().size()];
                    for (int j = 0; j < cells.length; j++) {
                        cells[j] = (j == 0 ? "  " : "") + q.formatted(i, j);
                    }
                    t.row(cells);
                }
                t.print(root.out());
                return new Result<>(null, fresh + "/" + rollups.size() + " rollups fresh; revenue by channel and month answered from "
                        + (q.rollups().isEmpty() ? "the detail tables" : String.join(", ", q.rollups())));
            }
        });
        stage("reports", () -> {
            try (SemanticLayer layer = SemanticLayer.open(db, SemanticModel.forProject(root.home()),
                    SemanticLayer.Options.defaults().withLogSource("reports"))) {
                Reports.Summary s = Reports.open(layer, Reports.forProject(root.home()))
                        .render(root.config().stateDir().resolve("reports"), Principal.operator(), Selection.none(),
                                List.of());
                if (!s.ok()) {
                    throw new ReportsException(ReportsErrorCode.TILE_FAILED, "Cannot render dashboards: "
                            + s.failures());
                }
                s.pages().forEach(p -> root.out().println("  " + p.dashboard() + ": " + p.tiles() + " tiles ("
                        + p.emptyTiles() + " empty), " + p.elapsed().toMillis() + " ms"));
                return new Result<>(null, s.pages().size() + " dashboards in " + s.index().getParent()
                        + "; open " + s.index().toUri());
            }
        });
    }

    private void printSummary(Database db, Duration total) {
        root.out().println();
        TextTable t = new TextTable("stage", "seconds", "result");
        for (CommandLog.Stage s : stages) {
            t.row(s.name(), seconds(s.duration()), s.summary());
        }
        t.print(root.out());
        root.out().println();
        root.out().println("Demo finished in " + seconds(total) + " s on " + db.description() + ".");
        root.out().println("Next: ./wwi db start, then psql \"$(./wwi db url --psql)\" -c 'select count(*) from dw.dim_date'");
    }

    private void recordFailure(Database db, WwiException e) {
        try {
            CommandLog log = new CommandLog(db);
            log.finish(log.start("demo", "--rows " + rows), false, e.getMessage(), stages);
        } catch (RuntimeException recordingFailed) {
            // e.g. the control schema does not exist yet after a failed first migration: keep both
            e.addSuppressed(recordingFailed);
        }
    }

    private record Result<T>(T value, String summary) {
    }

    private <T> T stage(String name, java.util.function.Supplier<Result<T>> body) {
        Instant start = Instant.now();
        long t = System.nanoTime();
        root.out().println("- " + name + " ...");
        Result<T> r = body.get();
        Duration d = Duration.ofNanos(System.nanoTime() - t);
        stages.add(new CommandLog.Stage(name, start, d, r.summary()));
        root.out().println("  done in " + seconds(d) + " s: " + r.summary());
        return r.value();
    }

    private static String seconds(Duration d) {
        return String.format("%.1f", d.toMillis() / 1e3);
    }
}
