package org.wwi.cli;

import org.wwi.platform.Database;
import org.wwi.reports.Dashboard;
import org.wwi.reports.ReportServer;
import org.wwi.reports.Reports;
import org.wwi.reports.Selection;
import org.wwi.semantic.SemanticLayer;
import org.wwi.semantic.SemanticModel;
import org.wwi.semantic.ServeConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code wwi reports list|render|serve}: the dashboards of reports/dashboards over the semantic layer. */
@Command(name = "reports", description = "Dashboards over the semantic layer: list, render to HTML, serve.",
        subcommands = {ReportsCommand.ListDashboards.class, ReportsCommand.Render.class, ReportsCommand.Serve.class})
final class ReportsCommand implements Runnable {
    @ParentCommand
    WwiCommand root;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing subcommand (render, serve or list)");
    }

    @Command(name = "list", description = "The dashboards: tiles, filters, refresh.")
    static final class ListDashboards implements Callable<Integer> {
        @ParentCommand
        ReportsCommand parent;

        @Override
        public Integer call() {
            TextTable t = new TextTable("dashboard", "title", "tiles", "filters", "roles", "refreshed");
            for (Dashboard d : Reports.forProject(parent.root.home())) {
                t.row(d.name(), d.title(), d.tiles().size(), String.join(", ", d.filters().stream()
                        .map(Dashboard.FilterDef::name).toList()), d.roles().isEmpty() ? "(by views)"
                        : String.join(", ", d.roles()), d.refresh().describe());
            }
            t.print(parent.root.out());
            return 0;
        }
    }

    @Command(name = "render", description = {"Render dashboards to self-contained HTML pages (charts bundled, no",
            "network needed), an index page and a CSV per tile."})
    static final class Render implements Callable<Integer> {
        @ParentCommand
        ReportsCommand parent;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--out", paramLabel = "DIR", description = "output folder (default: .wwi/reports)")
        Path out;

        @Option(names = "--dashboard", paramLabel = "NAME", description = "render only this dashboard (repeatable)")
        List<String> only = new ArrayList<>();

        @Option(names = "--filter", paramLabel = "NAME=VALUE", description = "a dashboard filter or parameter, e.g. "
                + "channel=Web, region=Europe,Asia, date=2026-08-01..2026-08-31, user=3696 (repeatable)")
        List<String> filters = new ArrayList<>();

        @CommandLine.Mixin
        PrincipalOptions as = new PrincipalOptions();

        @Override
        public Integer call() {
            WwiCommand root = parent.root;
            Path folder = out != null ? out : root.config().stateDir().resolve("reports");
            try (Database db = root.openDatabase();
                 SemanticLayer layer = SemanticLayer.open(db, SemanticModel.forProject(root.home()),
                         SemanticLayer.Options.defaults().withLogSource("reports"))) {
                Reports.Summary s = ReportsCommand.render(layer, root.home(), folder, as.principal(root.home(), spec),
                        Selection.parse(filters), only);
                TextTable t = new TextTable("dashboard", "tiles", "empty", "ms", "answered from rollups", "file");
                s.pages().forEach(p -> t.row(p.dashboard(), p.tiles(), p.emptyTiles(), p.elapsed().toMillis(),
                        String.join(", ", p.rollups()), p.file()));
                t.print(root.out());
                s.failures().forEach((d, m) -> root.err().println("error: dashboard " + d + " not refreshed (its last "
                        + "good copy stays): " + m));
                if (!s.hidden().isEmpty()) {
                    root.out().println("Not rendered, the role may not see them: " + String.join(", ", s.hidden()));
                }
                root.out().println("Open " + s.index().toUri());
                return s.ok() ? 0 : 3;
            }
        }
    }

    static Reports.Summary render(SemanticLayer layer, Path home, Path folder, org.wwi.semantic.Principal principal,
                                  Selection selection, List<String> only) {
        return Reports.open(layer, Reports.forProject(home)).render(folder, principal, selection, only);
    }

    @Command(name = "serve", description = {"Serve the dashboards over HTTP with live filters, for the users and",
            "roles of semantic-model/serve.yaml (HTTP Basic authentication)."})
    static final class Serve implements Callable<Integer> {
        @ParentCommand
        ReportsCommand parent;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--port", defaultValue = "8766", description = "port (default ${DEFAULT-VALUE})")
        int port;

        @Option(names = "--host", paramLabel = "HOST", description = "interface (default: serve.yaml's host)")
        String host;

        @Option(names = "--check", description = "start, print the URL and stop at once")
        boolean check;

        @Override
        public Integer call() throws InterruptedException {
            WwiCommand root = parent.root;
            Path file = root.home().resolve(ServeConfig.FILE);
            if (!Files.isRegularFile(file)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "Cannot serve: " + file
                        + " does not exist (it holds the users and roles; see docs/SEMANTIC-LAYER.md)");
            }
            ServeConfig config = ServeConfig.load(file, System.getenv());
            Database db = root.openDatabase();
            SemanticLayer layer = SemanticLayer.open(db, SemanticModel.forProject(root.home()),
                    SemanticLayer.Options.defaults().withLogSource("reports")
                            .withLimits(config.queryTimeout(), config.maxRows()));
            ReportServer server = ReportServer.start(Reports.open(layer, Reports.forProject(root.home())), config,
                    host != null ? host : config.host(), port, root.err()::println);
            root.out().println("Serving the dashboards at " + server.url() + " to " + config.users().size()
                    + " users (" + String.join(", ", config.users().keySet()) + "); Ctrl-C stops");
            root.out().flush();
            CountDownLatch stopped = new CountDownLatch(1);
            Runnable stop = () -> {
                server.close();
                layer.close();
                db.close();
                stopped.countDown();
            };
            if (check) {
                stop.run();
                return 0;
            }
            Runtime.getRuntime().addShutdownHook(new Thread(stop, "wwi-reports-stop"));
            stopped.await();
            return 0;
        }
    }
}
