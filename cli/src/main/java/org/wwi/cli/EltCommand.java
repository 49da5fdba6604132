package org.wwi.cli;

import org.wwi.elt.Elt;
import org.wwi.elt.Pipeline;
import org.wwi.elt.PipelineFiles;
import org.wwi.elt.RunDetail;
import org.wwi.elt.RunListener;
import org.wwi.elt.RunOptions;
import org.wwi.elt.RunResult;
import org.wwi.elt.RunSummary;
import org.wwi.elt.Step;
import org.wwi.elt.StepResult;
import org.wwi.platform.Database;
import org.wwi.platform.Progress;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Callable;

/** {@code wwi elt …}: the ELT pipelines of elt-jobs/pipelines (docs/ELT.md). */
@Command(name = "elt", description = {"ELT pipelines (elt-jobs/pipelines/*.yaml): list, run, history, show.",
        "They load new Spark output exactly once, transform, test and refresh rollups. Scheduled runs",
        "happen in wwi agent. See docs/ELT.md."},
        subcommands = {EltCommand.ListPipelines.class, EltCommand.RunPipeline.class, EltCommand.History.class,
                EltCommand.Show.class})
final class EltCommand implements Runnable {
    static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    @ParentCommand
    WwiCommand root;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing subcommand of wwi elt");
    }

    Elt open(Database db) {
        return Elt.open(db, root.home(), root.config().stateDir());
    }

    static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1f", d.toMillis() / 1e3);
    }

    static String count(OptionalLong n) {
        return n.isPresent() ? String.format(Locale.ROOT, "%,d", n.getAsLong()) : "-";
    }

    static String when(Instant t) {
        return WHEN.format(t);
    }

    static void printSteps(PrintWriter out, java.util.List<StepResult> steps) {
        TextTable t = new TextTable("step", "kind", "status", "files", "rows in", "rows out", "rejected", "seconds",
                "message");
        for (StepResult s : steps) {
            t.row(s.step(), s.kind(), s.status(), s.files(), count(s.rowsIn()), count(s.rowsOut()),
                    count(s.rowsRejected()), seconds(s.duration()), s.message().orElse(""));
        }
        t.print(out);
    }

    @Command(name = "list", description = "The pipelines: schedule, misfire policy and steps.")
    static final class ListPipelines implements Callable<Integer> {
        @ParentCommand
        EltCommand elt;

        @Option(names = "--steps", description = "List each pipeline's steps too")
        boolean steps;

        @Override
        public Integer call() {
            java.util.List<Pipeline> pipelines = PipelineFiles.readProject(elt.root.home());
            TextTable t = new TextTable("pipeline", "schedule", "misfire", "steps", "description");
            for (Pipeline p : pipelines) {
                t.row(p.name(), p.schedule().map(Pipeline.Schedule::describe).orElse("manual only"),
                        p.misfire().name().toLowerCase(Locale.ROOT), p.steps().size(), p.description());
            }
            t.print(elt.root.out());
            if (steps) {
                for (Pipeline p : pipelines) {
                    elt.root.out().println();
                    elt.root.out().println(p.name() + " (" + p.file() + ")");
                    TextTable s = new TextTable("  step", "kind", "depends on", "what");
                    for (Step step : p.steps()) {
                        s.row("  " + step.name(), step.kind(), String.join(", ", step.dependsOn()), step.describe());
                    }
                    s.print(elt.root.out());
                }
            }
            return 0;
        }
    }

    @Command(name = "run", description = {"Run a pipeline now: load the files that appeared since the last load,",
            "then the steps after. With --from/--to (whole days, UTC, both included) loads only the partitions",
            "of those days (backfill) and sets ${window_start}/${window_end}. Exit 1 when the run fails."})
    static final class RunPipeline implements Callable<Integer> {
        @ParentCommand
        EltCommand elt;

        @Parameters(index = "0", paramLabel = "NAME", description = "The pipeline (see wwi elt list)")
        String name;

        @Option(names = "--from", paramLabel = "DATE", description = "First day of the window (yyyy-MM-dd)")
        LocalDate from;

        @Option(names = "--to", paramLabel = "DATE", description = "Last day of the window (yyyy-MM-dd)")
        LocalDate to;

        @Option(names = "--param", paramLabel = "NAME=VALUE", description = "Override a pipeline parameter")
        Map<String, String> parameters = new LinkedHashMap<>();

        @Override
        public Integer call() {
            WwiCommand root = elt.root;
            if ((from == null) != (to == null)) {
                throw new CommandLine.ParameterException(elt.spec.commandLine(), "--from and --to go together");
            }
            RunOptions options = (from == null ? RunOptions.manual() : RunOptions.backfill(from, to))
                    .withParameters(parameters);
            PrintWriter out = root.out();
            try (Database db = root.openDatabase(); Elt e = elt.open(db)) {
                RunResult r = e.run(name, options, new RunListener() {
                    @Override
                    public void runStarted(long runId, Pipeline pipeline) {
                        out.println("run " + runId + " of " + pipeline.name() + " (" + options.trigger().name()
                                .toLowerCase(Locale.ROOT) + ", window " + options.window().describe() + ")");
                        out.flush();
                    }

                    @Override
                    public void stepFinished(StepResult s) {
                        out.printf(Locale.ROOT, "  %-24s %-8s %-9s %s%n", s.step(), s.kind(), s.status(),
                                describe(s));
                        out.flush();
                    }

                    @Override
                    public Progress progress(String label, long total, String unit) {
                        return Progress.onTerminal("  " + label, total, unit);
                    }
                });
                out.printf(Locale.ROOT, "run %d %s in %s s: %,d files and %,d rows loaded, %,d rows written, %,d "
                                + "rejected%n", r.runId(), r.status(), seconds(r.duration()), r.filesLoaded(),
                        r.rowsLoaded(), r.rowsWritten(), r.rowsRejected());
                r.orThrow();
            }
            return 0;
        }

        private static String describe(StepResult s) {
            StringBuilder b = new StringBuilder();
            if (s.files() > 0) {
                b.append(s.files()).append(s.files() == 1 ? " file, " : " files, ");
            }
            if (s.rowsOut().isPresent()) {
                b.append(count(s.rowsOut())).append(" rows");
                if (s.rowsRejected().isPresent() && s.rowsRejected().getAsLong() > 0) {
                    b.append(", ").append(count(s.rowsRejected())).append(" rejected");
                }
                b.append(", ");
            }
            b.append(seconds(s.duration())).append(" s");
            s.message().ifPresent(m -> b.append(" - ").append(m));
            return b.toString();
        }
    }

    @Command(name = "history", description = "Recent runs, newest first, of one pipeline or all.")
    static final class History implements Callable<Integer> {
        @ParentCommand
        EltCommand elt;

        @Parameters(index = "0", arity = "0..1", paramLabel = "NAME", description = "Only this pipeline")
        String name;

        @Option(names = "--limit", defaultValue = "20", paramLabel = "N", description = "Runs to show (default ${DEFAULT-VALUE})")
        int limit;

        @Override
        public Integer call() {
            try (Database db = elt.root.openDatabase(); Elt e = elt.open(db)) {
                TextTable t = new TextTable("run", "pipeline", "trigger", "status", "started (UTC)", "seconds", "files",
                        "rows in", "rows out", "rejected", "message");
                for (RunSummary r : e.history(Optional.ofNullable(name), limit)) {
                    t.row(r.runId(), r.pipeline(), r.trigger(), r.status(), when(r.startedAt()),
                            r.duration().map(EltCommand::seconds).orElse(""), r.filesLoaded(),
                            String.format(Locale.ROOT, "%,d", r.rowsIn()), String.format(Locale.ROOT, "%,d",
                                    r.rowsOut()), String.format(Locale.ROOT, "%,d", r.rowsRejected()),
                            r.message().orElse(""));
                }
                if (t.isEmpty()) {
                    elt.root.out().println("no runs" + (name == null ? "" : " of " + name) + " yet (wwi elt run NAME)");
                } else {
                    t.print(elt.root.out());
                }
            }
            return 0;
        }
    }

    @Command(name = "show", description = "One run: steps, files, rejected rows, data tests and lineage.")
    static final class Show implements Callable<Integer> {
        @ParentCommand
        EltCommand elt;

        @Parameters(index = "0", paramLabel = "RUN_ID", description = "The run (see wwi elt history)")
        long runId;

        @Override
        public Integer call() {
            PrintWriter out = elt.root.out();
            try (Database db = elt.root.openDatabase(); Elt e = elt.open(db)) {
                RunDetail d = e.show(runId);
                RunSummary r = d.run();
                out.printf(Locale.ROOT, "run %d of %s: %s (%s)%n", r.runId(), r.pipeline(), r.status(), r.trigger());
                out.println("  started   " + when(r.startedAt()) + " UTC" + r.finishedAt().map(f -> ", finished "
                        + when(f) + " UTC (" + seconds(Duration.between(r.startedAt(), f)) + " s)").orElse(""));
                r.fireTime().ifPresent(f -> out.println("  fire time " + when(f) + " UTC"));
                if (r.windowStart().isPresent() || r.windowEnd().isPresent()) {
                    out.println("  window    " + r.windowStart().map(EltCommand::when).orElse("-infinity") + " to "
                            + r.windowEnd().map(EltCommand::when).orElse("infinity") + " UTC");
                }
                out.println("  runner    " + r.runner());
                r.message().ifPresent(m -> out.println("  message   " + m));
                out.println();
                printSteps(out, d.steps());
                if (!d.files().isEmpty()) {
                    out.println();
                    TextTable t = new TextTable("file", "step", "into", "bytes", "rows", "rejected");
                    d.files().forEach(f -> t.row(f.path(), f.step(), f.targetTable(), String.format(Locale.ROOT, "%,d",
                            f.sizeBytes()), String.format(Locale.ROOT, "%,d", f.rowsLoaded()), f.rowsRejected()));
                    t.print(out);
                }
                if (!d.fileEvents().isEmpty()) {
                    out.println();
                    TextTable t = new TextTable("reported file", "step", "event", "detail");
                    d.fileEvents().forEach(f -> t.row(f.path(), f.step(), f.event(), f.detail()));
                    t.print(out);
                }
                if (d.rejectCount() > 0) {
                    out.println();
                    out.printf(Locale.ROOT, "%,d rejected rows (elt.reject where run_id = %d)%s%n", d.rejectCount(), runId,
                            d.rejectCount() > d.rejects().size() ? ", the first " + d.rejects().size() + ":" : ":");
                    TextTable t = new TextTable("step", "file", "row", "column", "value", "reason");
                    d.rejects().forEach(x -> t.row(x.step(), x.file().map(EltCommand::fileName).orElse(""),
                            x.row().map(String::valueOf).orElse(""), x.column().orElse(""), x.rawValue().orElse(""),
                            x.reason()));
                    t.print(out);
                }
                if (!d.tests().isEmpty()) {
                    out.println();
                    TextTable t = new TextTable("test", "step", "severity", "status", "result");
                    d.tests().forEach(x -> t.row(x.test(), x.step(), x.severity(), x.status(), x.message()));
                    t.print(out);
                }
                if (!d.lineage().isEmpty()) {
                    out.println();
                    TextTable t = new TextTable("lineage: step", "reads / writes", "kind", "object");
                    d.lineage().forEach(l -> t.row(l.step(), l.direction(), l.objectType(), l.objectType()
                            .equals("file") ? fileName(l.objectName()) : l.objectName()));
                    t.print(out);
                }
            }
            return 0;
        }
    }

    static String fileName(String path) {
        int slash = path.lastIndexOf('/', path.lastIndexOf('/') - 1);
        return slash < 0 ? path : "…" + path.substring(slash);
    }
}
