package org.wwi.reports;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.wwi.reports.Dashboard.Kind;
import org.wwi.semantic.Format;
import org.wwi.semantic.QueryResult;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Writes a dashboard as one self-contained HTML page: styles, the charting library (Chart.js from
 * its WebJar, inlined) and the data are all in the file, so it works offline and can be mailed.
 * Every number a reader sees is also in the DOM, formatted per measure: KPI values and tables
 * directly, chart data in a table under each chart. Tiles without rows show "No data".
 */
final class HtmlPage {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] PALETTE = {"#1f5f8b", "#e07b39", "#3a9d5d", "#c0392b", "#8e6bb8", "#7f8c8d",
        "#d4ac0d", "#16a085", "#b03a83", "#34495e"};
    private static volatile String chartJs;

    /** What the page says about how it was made. */
    record Context(String who, Instant renderedAt, Map<String, String> selection, boolean live,
                   List<Dashboard> siblings) {
    }

    private HtmlPage() {
    }

    static String chartJsVersion() {
        return properties().getProperty("chartjs.version");
    }

    static String render(Dashboard d, List<TileResult> tiles, Context ctx) {
        String library = chartJs();
        StringBuilder b = new StringBuilder(library.length() + 64 * 1024);
        b.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<meta name=\"generator\" content=\"WWI Warehouse reports\">\n")
                .append("<title>").append(esc(d.title())).append(" · WWI</title>\n<style>\n").append(CSS)
                .append("</style>\n</head>\n<body data-status=\"loading\" data-dashboard=\"").append(esc(d.name()))
                .append("\">\n<header>\n<nav><a href=\"index.html\">All dashboards</a>");
        for (Dashboard s : ctx.siblings()) {
            b.append(" · <a href=\"").append(esc(s.name())).append(".html\"")
                    .append(s.name().equals(d.name()) ? " class=\"current\"" : "").append(">")
                    .append(esc(s.title())).append("</a>");
        }
        b.append("</nav>\n<h1>").append(esc(d.title())).append("</h1>\n");
        if (!d.description().isEmpty()) {
            b.append("<p class=\"description\">").append(esc(d.description())).append("</p>\n");
        }
        filters(b, d, ctx);
        b.append("</header>\n<main class=\"grid\">\n");
        List<Map<String, Object>> charts = new ArrayList<>();
        for (TileResult t : tiles) {
            tile(b, t, charts);
        }
        b.append("</main>\n<footer>Rendered ")
                .append(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT)
                        .format(ctx.renderedAt().atOffset(ZoneOffset.UTC)))
                .append(" for ").append(esc(ctx.who())).append(" by WWI Warehouse from the semantic layer")
                .append(" · charts: Chart.js ").append(esc(chartJsVersion())).append("</footer>\n")
                .append("<ul id=\"wwi-errors\" hidden></ul>\n")
                .append("<script>\n").append(ERROR_TRAP).append("</script>\n")
                .append("<script>\n").append(library.replace("</script", "<\\/script")).append("\n</script>\n")
                .append("<script type=\"application/json\" id=\"wwi-charts\">").append(json(charts))
                .append("</script>\n<script>\n").append(PAGE_JS).append("</script>\n</body>\n</html>\n");
        return b.toString();
    }

    static String index(List<Dashboard> dashboards, Map<String, String> errors, Context ctx) {
        StringBuilder b = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                + "<title>WWI dashboards</title>\n<style>\n" + CSS + "</style>\n</head>\n<body data-status=\"ready\">\n"
                + "<header><h1>WWI dashboards</h1><p class=\"description\">Sales and customer behaviour across "
                + "channels, from the governed measures of the semantic layer.</p></header>\n<main class=\"list\">\n");
        for (Dashboard d : dashboards) {
            b.append("<section class=\"tile\"><h2><a href=\"").append(esc(d.name())).append(".html\">")
                    .append(esc(d.title())).append("</a></h2><p>").append(esc(d.description())).append("</p>");
            if (errors.containsKey(d.name())) {
                b.append("<p class=\"error\">").append(esc(errors.get(d.name()))).append("</p>");
            }
            b.append("<p class=\"meta\">").append(d.tiles().size()).append(" tiles")
                    .append(d.refresh().isEmpty() ? "" : " · refreshed " + esc(d.refresh().describe()))
                    .append("</p></section>\n");
        }
        return b.append("</main>\n<footer>Rendered ")
                .append(DateTimeFormatter.ISO_INSTANT.format(ctx.renderedAt())).append(" for ").append(esc(ctx.who()))
                .append("</footer>\n</body>\n</html>\n").toString();
    }

    private static void filters(StringBuilder b, Dashboard d, Context ctx) {
        if (d.filters().isEmpty() && d.parameters().isEmpty()) {
            return;
        }
        b.append(ctx.live() ? "<form class=\"filters\" method=\"get\">" : "<div class=\"filters\">");
        List<String> names = new ArrayList<>();
        d.filters().forEach(f -> names.add(f.name()));
        names.addAll(d.parameters().keySet());
        for (String name : names) {
            String label = d.filters().stream().filter(f -> f.name().equals(name)).map(Dashboard.FilterDef::label)
                    .findFirst().orElse(name);
            boolean date = d.filters().stream().anyMatch(f -> f.name().equals(name) && f.dateRange());
            String value = ctx.selection().getOrDefault(name, d.parameters().getOrDefault(name, ""));
            if (ctx.live()) {
                b.append("<label>").append(esc(label)).append(" <input name=\"").append(esc(name))
                        .append("\" value=\"").append(esc(value)).append("\" placeholder=\"")
                        .append(date ? "2026-08-01..2026-08-31" : "all").append("\"></label> ");
            } else {
                b.append("<span class=\"filter\">").append(esc(label)).append(": <b>")
                        .append(esc(value.isEmpty() ? "all" : value)).append("</b></span> ");
            }
        }
        b.append(ctx.live() ? "<button type=\"submit\">Apply</button></form>\n" : "</div>\n");
    }

    private static void tile(StringBuilder b, TileResult r, List<Map<String, Object>> charts) {
        Dashboard.Tile t = r.tile();
        if (!r.isAvailable()) {
            b.append("<section class=\"tile w").append(t.width()).append("\" id=\"tile-").append(esc(t.id()))
                    .append("\" data-kind=\"").append(t.kind().key()).append("\" data-status=\"restricted\">\n<h2>")
                    .append(esc(t.title())).append("</h2>\n<p class=\"no-data restricted\">Not available for your role</p>\n")
                    .append("</section>\n");
            return;
        }
        boolean empty = r.isEmpty();
        boolean drawsChart = !empty && (t.kind().isChart() || t.kind() == Kind.KPI && r.spark().isPresent()
                && !r.spark().get().rows().isEmpty());
        b.append("<section class=\"tile w").append(t.width()).append("\" id=\"tile-").append(esc(t.id()))
                .append("\" data-kind=\"").append(t.kind().key()).append("\" data-status=\"")
                .append(empty ? "empty" : drawsChart ? "pending" : "ready").append("\">\n<h2>")
                .append(esc(t.title())).append("</h2>\n");
        if (empty) {
            b.append("<p class=\"no-data\">No data for these filters</p>\n");
        } else {
            switch (t.kind()) {
                case KPI -> kpi(b, r, charts);
                case TABLE, RECOMMENDATIONS -> table(b, r.main(), r.totals().orElse(null), "data");
                case FUNNEL -> {
                    canvas(b, t.id());
                    charts.add(funnel(t, r.main()));
                    funnelTable(b, r.main());
                }
                default -> {
                    canvas(b, t.id());
                    charts.add(chart(t, r.main()));
                    b.append("<details><summary>Data</summary>\n");
                    table(b, r.main(), null, "data");
                    b.append("</details>\n");
                }
            }
        }
        b.append("<p class=\"meta\">").append(r.rollups().isEmpty() ? "detail tables"
                : "rollup " + esc(String.join(", ", r.rollups()))).append(" · ")
                .append(r.elapsed().toMillis()).append(" ms</p>\n</section>\n");
    }

    private static void kpi(StringBuilder b, TileResult r, List<Map<String, Object>> charts) {
        QueryResult m = r.main();
        b.append("<div class=\"kpis\">");
        for (int c = 0; c < m.columns().size(); c++) {
            b.append("<div class=\"kpi\"><div class=\"value\" data-measure=\"").append(esc(m.columns().get(c).name()))
                    .append("\">").append(esc(m.formatted(0, c))).append("</div><div class=\"label\">")
                    .append(esc(label(m.columns().get(c)))).append("</div>");
            Object now = m.rows().get(0).get(c);
            Object before = null;
            if (r.previous().isPresent() && !r.previous().get().rows().isEmpty()) {
                before = r.previous().get().rows().get(0).get(c);
            } else if (c == 0 && r.spark().isPresent() && r.spark().get().rows().size() >= 2) {
                List<List<Object>> s = r.spark().get().rows();
                now = s.get(s.size() - 1).get(1);
                before = s.get(s.size() - 2).get(1);
            }
            b.append("<div class=\"compare\">").append(compare(now, before, m.columns().get(c)))
                    .append(r.note().isEmpty() ? "" : " <span>" + esc(r.note()) + "</span>").append("</div></div>");
        }
        b.append("</div>\n");
        if (r.spark().isPresent() && !r.spark().get().rows().isEmpty()) {
            String id = r.tile().id() + "-spark";
            b.append("<div class=\"spark\"><canvas id=\"chart-").append(esc(id)).append("\"></canvas></div>\n");
            QueryResult s = r.spark().get();
            Map<String, Object> spec = base(r.tile().id(), id, "line", s.columns().get(1));
            spec.put("labels", s.rows().stream().map(row -> label(row.get(0))).toList());
            spec.put("datasets", List.of(dataset(label(s.columns().get(1)), s.rows().stream()
                    .map(row -> row.get(1)).toList(), 0)));
            spec.put("sparkline", true);
            charts.add(spec);
        }
    }

    private static String compare(Object nowValue, Object beforeValue, QueryResult.Column column) {
        Double now = number(nowValue);
        Double before = number(beforeValue);
        if (now == null || before == null) {
            return "<span class=\"flat\">no previous value</span>";
        }
        if (before == 0) {
            return "<span class=\"flat\">previous was 0</span>";
        }
        double change = (now - before) / Math.abs(before);
        String cls = change > 0.0005 ? "up" : change < -0.0005 ? "down" : "flat";
        String sign = change > 0 ? "+" : "";
        return "<span class=\"" + cls + "\">" + sign + String.format(Locale.US, "%.1f%%", change * 100) + "</span>"
                + " <span>(" + esc(column.format(beforeValue)) + ")</span>";
    }

    private static void canvas(StringBuilder b, String id) {
        b.append("<div class=\"chart\"><canvas id=\"chart-").append(esc(id)).append("\"></canvas></div>\n");
    }

    private static void table(StringBuilder b, QueryResult r, QueryResult totals, String cls) {
        b.append("<table class=\"").append(cls).append("\"><thead><tr>");
        for (QueryResult.Column c : r.columns()) {
            b.append("<th").append(c.measure() ? " class=\"num\"" : "").append(" title=\"")
                    .append(esc(c.description())).append("\">").append(esc(label(c))).append("</th>");
        }
        b.append("</tr></thead><tbody>\n");
        for (int i = 0; i < r.rows().size(); i++) {
            b.append("<tr>");
            for (int c = 0; c < r.columns().size(); c++) {
                b.append("<td").append(r.columns().get(c).measure() ? " class=\"num\"" : "").append(">")
                        .append(esc(r.formatted(i, c))).append("</td>");
            }
            b.append("</tr>\n");
        }
        b.append("</tbody>");
        if (totals != null && !totals.rows().isEmpty()) {
            b.append("<tfoot><tr>");
            boolean labelled = false;
            for (QueryResult.Column c : r.columns()) {
                int k = indexOf(totals, c.name());
                if (k >= 0) {
                    b.append("<td class=\"num\">").append(esc(totals.formatted(0, k))).append("</td>");
                } else {
                    b.append("<td>").append(labelled ? "" : "Total").append("</td>");
                    labelled = true;
                }
            }
            b.append("</tr></tfoot>");
        }
        b.append("</table>\n");
    }

    private static void funnelTable(StringBuilder b, QueryResult r) {
        b.append("<table class=\"data funnel\"><thead><tr><th>Stage</th><th class=\"num\">Count</th>"
                + "<th class=\"num\">of first</th><th class=\"num\">of previous</th></tr></thead><tbody>\n");
        List<Object> row = r.rows().get(0);
        Double first = number(row.get(0));
        Double prev = null;
        for (int c = 0; c < r.columns().size(); c++) {
            Double v = number(row.get(c));
            b.append("<tr><td>").append(esc(label(r.columns().get(c)))).append("</td><td class=\"num\">")
                    .append(esc(r.formatted(0, c))).append("</td><td class=\"num\">")
                    .append(esc(share(v, first))).append("</td><td class=\"num\">")
                    .append(c == 0 ? "" : esc(share(v, prev))).append("</td></tr>\n");
            prev = v;
        }
        b.append("</tbody></table>\n");
    }

    private static String share(Double v, Double of) {
        return v == null || of == null || of == 0 ? "" : Format.PERCENT.apply(v / of, 1);
    }

    private static Map<String, Object> chart(Dashboard.Tile t, QueryResult r) {
        String type = switch (t.kind()) {
            case LINE, AREA -> "line";
            case PIE -> "pie";
            case DONUT -> "doughnut";
            default -> "bar";
        };
        int dims = t.dimensions().size();
        QueryResult.Column first = r.columns().get(dims);
        Map<String, Object> spec = base(t.id(), t.id(), type, first);
        spec.put("stacked", t.kind() == Kind.STACKED_BAR);
        spec.put("fill", t.kind() == Kind.AREA);
        List<Map<String, Object>> datasets = new ArrayList<>();
        if (dims >= 2) {
            // pivot: the first dimension along the axis, one series per value of the second
            Map<String, Integer> labels = new LinkedHashMap<>();
            Map<String, Object[]> series = new LinkedHashMap<>();
            for (List<Object> row : r.rows()) {
                labels.putIfAbsent(label(row.get(0)), labels.size());
            }
            for (List<Object> row : r.rows()) {
                series.computeIfAbsent(label(row.get(1)), k -> new Object[labels.size()])[labels.get(label(row.get(0)))]
                        = row.get(dims);
            }
            spec.put("labels", List.copyOf(labels.keySet()));
            int i = 0;
            for (Map.Entry<String, Object[]> e : series.entrySet()) {
                datasets.add(dataset(e.getKey(), java.util.Arrays.asList(e.getValue()), i++));
            }
        } else {
            spec.put("labels", r.rows().stream().map(row -> label(row.get(0))).toList());
            for (int c = dims; c < r.columns().size(); c++) {
                int col = c;
                datasets.add(dataset(label(r.columns().get(c)), r.rows().stream().map(row -> row.get(col)).toList(),
                        c - dims));
            }
        }
        if (t.kind() == Kind.PIE || t.kind() == Kind.DONUT) {
            datasets.get(0).put("backgroundColor", java.util.stream.IntStream.range(0, r.rows().size())
                    .mapToObj(i -> PALETTE[i % PALETTE.length]).toList());
        }
        spec.put("datasets", datasets);
        return spec;
    }

    private static Map<String, Object> funnel(Dashboard.Tile t, QueryResult r) {
        Map<String, Object> spec = base(t.id(), t.id(), "bar", r.columns().get(0));
        spec.put("horizontal", true);
        spec.put("labels", r.columns().stream().map(HtmlPage::label).toList());
        Map<String, Object> ds = dataset("Count", r.rows().get(0), 0);
        ds.put("backgroundColor", java.util.stream.IntStream.range(0, r.columns().size())
                .mapToObj(i -> PALETTE[i % PALETTE.length]).toList());
        spec.put("datasets", List.of(ds));
        return spec;
    }

    private static Map<String, Object> base(String tile, String canvas, String type, QueryResult.Column measure) {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("tile", tile);
        spec.put("canvas", "chart-" + canvas);
        spec.put("type", type);
        spec.put("format", measure.format().name().toLowerCase(Locale.ROOT));
        spec.put("decimals", measure.decimals());
        return spec;
    }

    private static Map<String, Object> dataset(String label, List<Object> values, int i) {
        Map<String, Object> ds = new LinkedHashMap<>();
        ds.put("label", label);
        ds.put("data", values.stream().map(HtmlPage::number).toList());
        ds.put("borderColor", PALETTE[i % PALETTE.length]);
        ds.put("backgroundColor", PALETTE[i % PALETTE.length]);
        return ds;
    }

    private static int indexOf(QueryResult r, String name) {
        for (int i = 0; i < r.columns().size(); i++) {
            if (r.columns().get(i).name().equalsIgnoreCase(name)) {
                return i;
            }
        }
        return -1;
    }

    static String label(QueryResult.Column c) {
        String n = c.name().replace('_', ' ');
        return Character.toUpperCase(n.charAt(0)) + n.substring(1);
    }

    private static String label(Object v) {
        return v == null ? "(none)" : v.toString();
    }

    private static Double number(Object v) {
        return v instanceof Number n ? n.doubleValue() : null;
    }

    static String esc(String s) {
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(ch);
            }
        }
        return b.toString();
    }

    /** JSON safe inside a script element. */
    private static String json(Object o) {
        try {
            return JSON.writeValueAsString(o).replace("</", "<\\/").replace("\u2028", "\\u2028")
                    .replace("\u2029", "\\u2029").replace("<!--", "<\\!--");
        } catch (JsonProcessingException e) {
            throw new ReportsException(ReportsErrorCode.INTERNAL, "Cannot write chart data: " + e.getMessage(), e);
        }
    }

    private static Properties properties() {
        Properties p = new Properties();
        try (InputStream in = HtmlPage.class.getResourceAsStream("/wwi/reports/build.properties")) {
            if (in == null) {
                throw new IOException("wwi/reports/build.properties is not on the class path");
            }
            p.load(in);
        } catch (IOException e) {
            throw new ReportsException(ReportsErrorCode.INTERNAL, "Cannot read the reports build properties: "
                    + e.getMessage() + " (rebuild the project)", e);
        }
        return p;
    }

    private static String chartJs() {
        String js = chartJs;
        if (js == null) {
            js = loadChartJs();
            chartJs = js;
        }
        return js;
    }

    private static String loadChartJs() {
        String path = properties().getProperty("chartjs.path");
        try (InputStream in = HtmlPage.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IOException(path + " is not on the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ReportsException(ReportsErrorCode.INTERNAL, "Cannot load the charting library: "
                    + e.getMessage() + " (the org.webjars.npm:chart.js jar belongs on the class path)", e);
        }
    }

    private static final String CSS = """
            :root { --ink: #1d2733; --muted: #5d6b7a; --line: #dfe5ec; --bg: #f5f7fa; --up: #2e7d32; --down: #c62828; }
            * { box-sizing: border-box; }
            body { margin: 0; font: 14px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: var(--bg); }
            header, footer { padding: 16px 24px; }
            header h1 { margin: 4px 0; font-size: 24px; }
            nav { font-size: 13px; color: var(--muted); }
            nav a { color: #1f5f8b; text-decoration: none; } nav a.current { font-weight: 600; color: var(--ink); }
            .description { color: var(--muted); margin: 4px 0 8px; }
            .filters { display: flex; flex-wrap: wrap; gap: 12px; align-items: center; font-size: 13px; }
            .filters input { padding: 4px 6px; border: 1px solid var(--line); border-radius: 4px; }
            .grid { display: grid; grid-template-columns: repeat(4, minmax(0, 1fr)); gap: 16px; padding: 0 24px 24px; }
            .list { display: grid; grid-template-columns: repeat(auto-fill, minmax(280px, 1fr)); gap: 16px; padding: 0 24px 24px; }
            .tile { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 12px 16px; min-width: 0; }
            .tile h2 { font-size: 15px; margin: 0 0 8px; } .tile h2 a { color: inherit; }
            .w1 { grid-column: span 1; } .w2 { grid-column: span 2; } .w3 { grid-column: span 3; } .w4 { grid-column: span 4; }
            @media (max-width: 900px) { .grid { grid-template-columns: 1fr; } .w1, .w2, .w3, .w4 { grid-column: span 1; } }
            .chart { position: relative; height: 260px; } .spark { position: relative; height: 48px; margin-top: 6px; }
            .kpis { display: flex; flex-wrap: wrap; gap: 24px; }
            .kpi .value { font-size: 28px; font-weight: 600; } .kpi .label, .meta, footer { color: var(--muted); font-size: 12px; }
            .compare { font-size: 12px; } .up { color: var(--up); } .down { color: var(--down); } .flat { color: var(--muted); }
            table { border-collapse: collapse; width: 100%; font-size: 13px; }
            th, td { text-align: left; padding: 4px 6px; border-bottom: 1px solid var(--line); }
            .num { text-align: right; font-variant-numeric: tabular-nums; }
            tfoot td { font-weight: 600; border-top: 2px solid var(--ink); }
            details summary { cursor: pointer; color: var(--muted); font-size: 12px; margin-top: 6px; }
            .no-data { color: var(--muted); font-style: italic; padding: 24px 0; text-align: center; }
            .error { color: var(--down); }
            """;

    private static final String ERROR_TRAP = """
            (function () {
              var list = null;
              function report(text) {
                list = list || document.getElementById('wwi-errors');
                var li = document.createElement('li'); li.textContent = String(text); list.appendChild(li);
                list.hidden = false; document.body.setAttribute('data-errors', list.children.length);
              }
              window.addEventListener('error', function (e) { report(e.message || e); });
              window.addEventListener('unhandledrejection', function (e) { report(e.reason); });
              var original = console.error;
              console.error = function () { report(Array.prototype.join.call(arguments, ' ')); original.apply(console, arguments); };
              window.wwiReport = report;
            })();
            """;

    private static final String PAGE_JS = """
            (function () {
              function fmt(v, format, decimals) {
                if (v === null || v === undefined) return '';
                var d = decimals >= 0 ? decimals : (format === 'percent' ? 1 : format === 'currency' ? 2 : (Number.isInteger(v) ? 0 : 2));
                if (format === 'percent') return (v * 100).toFixed(d) + '%';
                var s = Number(v).toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
                return format === 'currency' ? '$' + s : s;
              }
              var specs = JSON.parse(document.getElementById('wwi-charts').textContent);
              specs.forEach(function (spec) {
                var tile = document.getElementById('tile-' + spec.tile);
                try {
                  var round = spec.type === 'pie' || spec.type === 'doughnut';
                  var options = {
                    animation: false, responsive: true, maintainAspectRatio: false,
                    indexAxis: spec.horizontal ? 'y' : 'x',
                    plugins: {
                      legend: { display: !spec.sparkline && (round || spec.datasets.length > 1) },
                      tooltip: { enabled: !spec.sparkline, callbacks: { label: function (c) {
                        var v = round ? c.raw : (spec.horizontal ? c.parsed.x : c.parsed.y);
                        return (c.dataset.label ? c.dataset.label + ': ' : '') + fmt(v, spec.format, spec.decimals); } } }
                    }
                  };
                  if (!round) {
                    var value = { stacked: !!spec.stacked, beginAtZero: true, ticks: { callback: function (v) { return fmt(v, spec.format, -1); } } };
                    var category = { stacked: !!spec.stacked };
                    options.scales = spec.horizontal ? { x: value, y: category } : { x: category, y: value };
                    if (spec.sparkline) { options.scales = { x: { display: false }, y: { display: false } }; }
                  }
                  spec.datasets.forEach(function (d) { d.fill = !!spec.fill; d.pointRadius = spec.sparkline ? 0 : 2; d.spanGaps = true; });
                  new Chart(document.getElementById(spec.canvas), { type: spec.type, data: { labels: spec.labels, datasets: spec.datasets }, options: options });
                  if (tile.getAttribute('data-status') === 'pending') tile.setAttribute('data-status', 'ready');
                } catch (e) {
                  tile.setAttribute('data-status', 'failed');
                  window.wwiReport('tile ' + spec.tile + ': ' + e);
                }
              });
              document.body.setAttribute('data-status', 'ready');
            })();
            """;
}
