package org.wwi.reports;

import org.wwi.platform.WwiException;
import org.wwi.reports.Dashboard.Tile;
import org.wwi.semantic.Principal;
import org.wwi.semantic.SemanticLayer;
import org.wwi.semantic.SemanticQuery;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;

/**
 * The dashboards of {@code reports/dashboards/*.yaml} over a {@link SemanticLayer}: renders them
 * to self-contained HTML pages with a CSV per tile, as a principal, so the principal's role
 * applies to every tile.
 *
 * <pre>{@code
 * try (SemanticLayer layer = SemanticLayer.open(db, SemanticModel.forProject(home))) {
 *     Reports reports = Reports.open(layer, Reports.forProject(home));
 *     Reports.Summary s = reports.render(home.resolve(".wwi/reports"), Principal.operator(), Selection.none());
 * }
 * }</pre>
 */
public final class Reports {
    /** Where a project keeps its dashboards. */
    public static final String FOLDER = "reports/dashboards";

    /** One rendered dashboard. */
    public record Page(Dashboard dashboard, String html, List<TileResult> tiles, Duration elapsed) {
    }

    /** What {@link #render} wrote. */
    public record Rendered(String dashboard, Path file, int tiles, int emptyTiles, List<String> rollups,
                           Duration elapsed) {
    }

    /**
     * What {@link #render} did: the pages written, the dashboards that failed (their last good copy
     * stays) and those the principal's role may not see (not written).
     */
    public record Summary(Path folder, Path index, List<Rendered> pages, Map<String, String> failures,
                          List<String> hidden, Duration elapsed) {
        public boolean ok() {
            return failures.isEmpty();
        }
    }

    private final SemanticLayer layer;
    private final List<Dashboard> dashboards;
    private final TileRunner runner;
    private final Map<String, Set<String>> allMembers;

    private Reports(SemanticLayer layer, List<Dashboard> dashboards) {
        this.layer = requireNonNull(layer, "layer is null");
        this.dashboards = List.copyOf(dashboards);
        this.runner = new TileRunner(layer);
        this.allMembers = runner.members(Principal.operator());
    }

    /**
     * The dashboards over a semantic layer; every tile and filter is checked against the model (an
     * unknown measure, dimension or view is an error naming the file and the tile).
     */
    public static Reports open(SemanticLayer layer, List<Dashboard> dashboards) {
        Reports r = new Reports(layer, dashboards);
        r.check();
        return r;
    }

    /** The dashboards of a project folder ({@value #FOLDER}), or the shipped ones when it has none. */
    public static List<Dashboard> forProject(Path home) {
        Path folder = home.resolve(FOLDER);
        return Files.isDirectory(folder) ? load(folder) : shipped();
    }

    /** Every {@code *.yaml} of a folder, in name order. */
    public static List<Dashboard> load(Path folder) {
        try (Stream<Path> files = Files.list(folder)) {
            List<Dashboard> out = new ArrayList<>();
            for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".yaml")).sorted().toList()) {
                String name = f.getFileName().toString();
                out.add(DashboardReader.read(name.substring(0, name.length() - 5), "dashboards/" + name,
                        Files.readString(f, StandardCharsets.UTF_8)));
            }
            return out;
        } catch (IOException e) {
            throw new ReportsException(ReportsErrorCode.DASHBOARD_INVALID, "Cannot read dashboards in " + folder
                    + ": " + e.getMessage(), e);
        }
    }

    /** The WWI dashboards carried in the jar. */
    public static List<Dashboard> shipped() {
        URL url = Reports.class.getClassLoader().getResource("wwi/reports/dashboards");
        if (url == null) {
            throw new ReportsException(ReportsErrorCode.INTERNAL, "The shipped dashboards are not on the class path");
        }
        try {
            if (url.getProtocol().equals("jar")) {
                try (FileSystem fs = FileSystems.newFileSystem(url.toURI(), Map.of())) {
                    return load(fs.getPath("wwi/reports/dashboards"));
                }
            }
            return load(Path.of(url.toURI()));
        } catch (IOException | URISyntaxException e) {
            throw new ReportsException(ReportsErrorCode.INTERNAL, "Cannot read the shipped dashboards: "
                    + e.getMessage(), e);
        }
    }

    public List<Dashboard> dashboards() {
        return dashboards;
    }

    public Dashboard dashboard(String name) {
        return dashboards.stream().filter(d -> d.name().equals(name)).findFirst().orElseThrow(() ->
                new ReportsException(ReportsErrorCode.DASHBOARD_UNKNOWN, "Cannot find dashboard '" + name
                        + "' (dashboards: " + String.join(", ", dashboards.stream().map(Dashboard::name).toList())
                        + ")"));
    }

    public SemanticLayer layer() {
        return layer;
    }

    /** The dashboards a principal may open (see {@link Dashboard#roles()}), in name order. */
    public List<Dashboard> visible(Principal principal) {
        Map<String, Set<String>> members = runner.members(principal);
        return dashboards.stream().filter(d -> TileRunner.visible(d, principal, members)).toList();
    }

    /**
     * Runs a dashboard's tiles and writes its page (not to disk). A tile the principal's role may
     * not see shows "not available for your role"; a dashboard it may not see at all is an error
     * ({@link ReportsErrorCode#DASHBOARD_FORBIDDEN}).
     */
    public Page page(String name, Principal principal, Selection selection, boolean live) {
        Dashboard d = dashboard(name);
        long t0 = System.nanoTime();
        Map<String, Set<String>> members = runner.members(principal);
        if (!TileRunner.visible(d, principal, members)) {
            throw forbidden(d, principal);
        }
        selection.check(d);
        List<TileResult> results = new ArrayList<>();
        for (Tile t : d.tiles()) {
            results.add(runner.run(d, t, principal, selection, members, allMembers));
        }
        Map<String, String> chosen = new LinkedHashMap<>(selection.values());
        String html = HtmlPage.render(d, results, new HtmlPage.Context(TileRunner.describe(principal), Instant.now(),
                chosen, live, dashboards.stream().filter(x -> TileRunner.visible(x, principal, members)).toList()));
        return new Page(d, html, results, Duration.ofNanos(System.nanoTime() - t0));
    }

    /**
     * Runs one tile of a dashboard (the one-tile CSV download). A tile the principal's role may not
     * see is an error ({@link ReportsErrorCode#DASHBOARD_FORBIDDEN}), so is an unknown tile.
     */
    public TileResult tile(String name, String tileId, Principal principal, Selection selection) {
        Dashboard d = dashboard(name);
        Map<String, Set<String>> members = runner.members(principal);
        if (!TileRunner.visible(d, principal, members)) {
            throw forbidden(d, principal);
        }
        selection.check(d);
        Tile t = d.tiles().stream().filter(x -> x.id().equals(tileId)).findFirst().orElseThrow(() ->
                new ReportsException(ReportsErrorCode.DASHBOARD_UNKNOWN, "Cannot find tile '" + tileId
                        + "' on dashboard " + name + " (its tiles: " + String.join(", ", d.tiles().stream()
                        .map(Tile::id).toList()) + ")"));
        TileResult r = runner.run(d, t, principal, selection, members, allMembers);
        if (!r.isAvailable()) {
            throw new ReportsException(ReportsErrorCode.DASHBOARD_FORBIDDEN, "Cannot give tile " + tileId + " of "
                    + "dashboard " + name + ": it is not available for your role (" + r.unavailable().get() + ")");
        }
        return r;
    }

    private static ReportsException forbidden(Dashboard d, Principal principal) {
        return new ReportsException(ReportsErrorCode.DASHBOARD_FORBIDDEN, "Cannot open dashboard " + d.name() + ": "
                + TileRunner.describe(principal) + " may not see it (" + (d.roles().isEmpty()
                ? "the role sees none of its views" : "it is for the roles " + String.join(", ", d.roles()))
                + "; ask for a role that does)");
    }

    /** The index page of the dashboards the principal may open. */
    public String index(Principal principal, Map<String, String> failures) {
        List<Dashboard> visible = visible(principal);
        return HtmlPage.index(visible, failures, new HtmlPage.Context(TileRunner.describe(principal), Instant.now(),
                Map.of(), false, visible));
    }

    /**
     * Renders dashboards into {@code folder}: {@code NAME.html}, {@code NAME/TILE.csv} and
     * {@code index.html}. Each file is written beside its target and moved over it, so a reader
     * never sees half a page; a dashboard that fails keeps its last good copy and is reported.
     *
     * @param only the dashboards to render; empty means all
     */
    public Summary render(Path folder, Principal principal, Selection selection, List<String> only) {
        long t0 = System.nanoTime();
        only.forEach(this::dashboard);
        List<Rendered> pages = new ArrayList<>();
        Map<String, String> failures = new LinkedHashMap<>();
        List<String> hidden = new ArrayList<>();
        Map<String, Set<String>> members = runner.members(principal);
        for (String name : only) {
            if (!TileRunner.visible(dashboard(name), principal, members)) {
                throw forbidden(dashboard(name), principal);
            }
        }
        try {
            Files.createDirectories(folder);
            for (Dashboard d : dashboards) {
                if (!only.isEmpty() && !only.contains(d.name())) {
                    continue;
                }
                if (!TileRunner.visible(d, principal, members)) {
                    hidden.add(d.name());
                    continue;
                }
                Page p;
                try {
                    p = page(d.name(), principal, selection, false);
                } catch (WwiException e) {
                    failures.put(d.name(), e.getMessage());
                    continue;
                }
                Path file = folder.resolve(d.name() + ".html");
                writeCsvs(folder.resolve(d.name()), p.tiles());
                replace(file, p.html());
                List<String> rollups = p.tiles().stream().flatMap(t -> t.rollups().stream()).distinct().toList();
                pages.add(new Rendered(d.name(), file, p.tiles().size(),
                        (int) p.tiles().stream().filter(TileResult::isEmpty).count(), rollups, p.elapsed()));
            }
            Path index = folder.resolve("index.html");
            replace(index, index(principal, failures));
            return new Summary(folder, index, pages, failures, hidden, Duration.ofNanos(System.nanoTime() - t0));
        } catch (IOException | UncheckedIOException e) {
            throw new ReportsException(ReportsErrorCode.OUTPUT_FAILED, "Cannot write dashboards to " + folder + ": "
                    + e.getMessage() + " (check that the folder is writable)", e);
        }
    }

    private static void writeCsvs(Path dir, List<TileResult> tiles) throws IOException {
        Path tmp = dir.resolveSibling(dir.getFileName() + ".tmp-" + ProcessHandle.current().pid());
        deleteTree(tmp);
        Files.createDirectories(tmp);
        for (TileResult t : tiles) {
            if (t.isAvailable()) {
                Files.writeString(tmp.resolve(t.tile().id() + ".csv"), t.csv(), StandardCharsets.UTF_8);
            }
        }
        Path old = dir.resolveSibling(dir.getFileName() + ".old-" + ProcessHandle.current().pid());
        if (Files.exists(dir)) {
            Files.move(dir, old);
        }
        Files.move(tmp, dir);
        deleteTree(old);
    }

    private static void replace(Path file, String content) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp-" + ProcessHandle.current().pid());
        Files.writeString(tmp, content, StandardCharsets.UTF_8);
        try {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> all = Files.walk(p)) {
            for (Path x : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(x);
            }
        }
    }

    /** Checks every tile and filter against the model, as an unrestricted principal. */
    private void check() {
        Map<String, Set<String>> members = allMembers;
        List<String> roles = layer.model().roleNames();
        for (Dashboard d : dashboards) {
            for (String r : d.roles()) {
                if (!roles.contains(r)) {
                    throw DashboardReader.invalid(d.file(), 0, "unknown role '" + r + "' in 'roles'",
                            "roles of the model: " + String.join(", ", roles.stream().sorted().toList()));
                }
            }
            for (Dashboard.FilterDef f : d.filters()) {
                if (members.values().stream().noneMatch(m -> m.contains(f.member()))) {
                    throw DashboardReader.invalid(d.file(), 0, "filter " + f.name() + ": no view has member '"
                            + f.member() + "'", "use a member of the semantic model, e.g. channel.name");
                }
            }
            for (Tile t : d.tiles()) {
                if (!members.containsKey(t.view())) {
                    throw DashboardReader.invalid(d.file(), 0, "tile " + t.id() + ": unknown view '" + t.view() + "'",
                            "views: " + String.join(", ", members.keySet().stream().sorted().toList()));
                }
                try {
                    List<SemanticQuery.Filter> filters = t.filters().stream()
                            .map(f -> SemanticQuery.Filter.parse(DashboardReader.substitute(f, d.parameters())))
                            .toList();
                    layer.sqlOf(SemanticQuery.of(t.measures(), t.dimensions()).withView(t.view()).withFilters(filters)
                            .withOrder(t.order().stream().map(SemanticQuery.Order::parse).toList()),
                            Principal.operator());
                    t.sparkline().ifPresent(s -> layer.sqlOf(SemanticQuery.of(t.measures().subList(0, 1), List.of(s))
                            .withView(t.view()), Principal.operator()));
                } catch (WwiException e) {
                    throw DashboardReader.invalid(d.file(), 0, "tile " + t.id() + ": " + e.getMessage(),
                            "fix the tile's members, filters or order");
                }
            }
        }
    }
}
