package org.wwi.reports;

import com.fasterxml.jackson.databind.JsonNode;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.wwi.platform.Database;
import org.wwi.semantic.Principal;
import org.wwi.semantic.QueryResult;
import org.wwi.semantic.SemanticLayer;
import org.wwi.testkit.WwiPostgres;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Renders every shipped dashboard and opens it in headless Chromium over the DevTools protocol:
 * no console error or warning, no uncaught exception, no request that leaves the file; every tile
 * drew (each chart tile has a Chart.js chart on a canvas with painted pixels and as many drawn
 * elements as data points, holding exactly the semantic layer's numbers); the formatted numbers of
 * every tile are in the DOM; a full-page PNG per dashboard under {@code target/screenshots}. An
 * empty selection shows "no data" tiles without a chart and without errors.
 */
@ExtendWith(WwiPostgres.class)
class DashboardsInChromiumIT {
    private static final Set<String> CHARTS = Set.of("line", "area", "bar", "stacked_bar", "pie", "donut", "funnel");

    /** What the page drew, tile by tile, read from the live page. */
    private static final String INSPECT = """
            Array.from(document.querySelectorAll('section.tile')).map(function (t) {
              return { id: t.id.substring(5), kind: t.getAttribute('data-kind'), status: t.getAttribute('data-status'),
                svgs: t.querySelectorAll('svg').length,
                canvases: Array.from(t.querySelectorAll('canvas')).map(function (c) {
                  var chart = Chart.getChart(c), painted = 0;
                  var px = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                  for (var i = 3; i < px.length; i += 4) { if (px[i] !== 0) painted++; }
                  return { id: c.id, width: c.width, height: c.height, painted: painted, chart: !!chart,
                    type: chart ? chart.config.type : null,
                    data: chart ? chart.data.datasets.map(function (d) { return d.data; }) : [],
                    drawn: chart ? chart.data.datasets.map(function (d, k) { return chart.getDatasetMeta(k).data.length; }) : [] };
                }) };
            })""";

    @Test
    void everyShippedDashboardDrawsEveryTileInARealBrowser(Database db, @TempDir Path state, @TempDir Path profile)
            throws Exception {
        Chromium chromium = Chromium.find();
        ReportsFixture.fill(db, state);
        Path out = Path.of("target", "dashboards").toAbsolutePath();
        Path empty = Path.of("target", "dashboards-empty").toAbsolutePath();
        Path shots = Path.of("target", "screenshots").toAbsolutePath();
        Files.createDirectories(shots);
        try (SemanticLayer layer = ReportsFixture.layer(db); Chromium.Browser browser = chromium.start(profile)) {
            Reports reports = ReportsFixture.reports(layer);
            Reports.Summary summary = reports.render(out, Principal.operator(), Selection.none(), List.of());
            assertThat(summary.failures()).isEmpty();
            assertThat(summary.pages()).hasSize(5);
            for (Reports.Rendered r : summary.pages()) {
                Reports.Page page = reports.page(r.dashboard(), Principal.operator(), Selection.none(), false);
                browser.open(r.file());
                browser.until("document.body.getAttribute('data-status') === 'ready'", "data-status=ready");
                JsonNode tiles = browser.eval(INSPECT);
                assertThat(tiles).as("tiles of %s", r.dashboard()).hasSize(page.tiles().size());
                Document dom = Jsoup.parse(browser.eval("document.documentElement.outerHTML").asText());
                for (int i = 0; i < page.tiles().size(); i++) {
                    checkTile(r.dashboard(), page.tiles().get(i), tiles.get(i), dom);
                }
                assertThat(dom.body().attr("data-errors")).as("errors trapped on %s", r.dashboard()).isEmpty();
                assertThat(dom.getElementById("wwi-errors").children()).as("error list of %s", r.dashboard())
                        .isEmpty();
                Path png = shots.resolve(r.dashboard() + ".png");
                browser.screenshot(png);
                assertThat(Files.size(png)).as("screenshot of %s", r.dashboard()).isGreaterThan(20_000);
                assertThat(browser.problems).as("console and log of %s", r.dashboard()).isEmpty();
                assertThat(browser.requests).as("requests of %s", r.dashboard()).isNotEmpty()
                        .allSatisfy(u -> assertThat(u).startsWith("file:"));
            }

            // no rows: every tile says so (a count is 0, which is a value), and no chart is drawn on nothing
            Reports.Summary none = reports.render(empty, Principal.operator(),
                    Selection.parse(List.of("date=2030-01-01..2030-01-31")), List.of("sales_overview"));
            browser.open(none.pages().get(0).file());
            browser.until("document.body.getAttribute('data-status') === 'ready'", "data-status=ready");
            JsonNode tiles = browser.eval(INSPECT);
            Document dom = Jsoup.parse(browser.eval("document.documentElement.outerHTML").asText());
            int noData = 0;
            for (JsonNode t : tiles) {
                String id = t.path("id").asText();
                assertThat(t.path("canvases")).as("tile %s", id).isEmpty();
                Element section = dom.getElementById("tile-" + id);
                if (t.path("status").asText().equals("empty")) {
                    noData++;
                    assertThat(section.select("p.no-data").text()).as("tile %s", id).isEqualTo("No data for these filters");
                } else {
                    assertThat(t.path("kind").asText()).as("tile %s", id).isEqualTo("kpi");
                    assertThat(section.select(".kpi .value").text()).as("tile %s", id).isEqualTo("0");
                }
            }
            assertThat(noData).as("tiles without data").isGreaterThanOrEqualTo(5);
            browser.screenshot(shots.resolve("sales_overview-no-data.png"));
            assertThat(browser.problems).as("console of the empty page").isEmpty();
        }
    }

    private static void checkTile(String dashboard, TileResult result, JsonNode drawn, Document dom) {
        String id = result.tile().id();
        String what = dashboard + "/" + id;
        assertThat(drawn.path("id").asText()).isEqualTo(id);
        assertThat(drawn.path("status").asText()).as("status of %s", what).isEqualTo("ready");
        assertThat(result.isEmpty()).as("%s has data in the fixture", what).isFalse();
        Element section = dom.getElementById("tile-" + id);
        assertThat(section).as("tile %s in the DOM", what).isNotNull();
        // every measure value the semantic layer returned is on the page, formatted per measure
        QueryResult q = result.main();
        String text = section.text();
        for (int row = 0; row < q.rows().size(); row++) {
            for (int c = 0; c < q.columns().size(); c++) {
                if (q.columns().get(c).measure()) {
                    assertThat(text).as("%s shows %s of row %d", what, q.columns().get(c).name(), row)
                            .contains(q.formatted(row, c));
                }
            }
        }
        String kind = drawn.path("kind").asText();
        boolean spark = kind.equals("kpi") && result.spark().isPresent();
        if (!CHARTS.contains(kind) && !spark) {
            assertThat(drawn.path("canvases")).as("%s draws no chart", what).isEmpty();
            assertThat(section.select("table, .kpi .value")).as("%s shows values", what).isNotEmpty();
            return;
        }
        assertThat(drawn.path("canvases")).as("one chart on %s", what).hasSize(1);
        JsonNode canvas = drawn.path("canvases").get(0);
        assertThat(canvas.path("chart").asBoolean()).as("a Chart.js chart on %s", what).isTrue();
        assertThat(canvas.path("width").asInt() * canvas.path("height").asInt()).as("canvas size of %s", what)
                .isGreaterThan(spark ? 1_000 : 20_000);
        assertThat(canvas.path("painted").asInt()).as("painted pixels of %s", what)
                .isGreaterThan(spark ? 50 : 2_000);
        // the chart holds exactly the numbers of the query, one drawn element per number
        List<Double> expected = new ArrayList<>();
        if (spark) {
            result.spark().get().rows().forEach(r -> expected.add(number(r.get(1))));
        } else if (kind.equals("funnel")) {
            q.rows().get(0).forEach(v -> expected.add(number(v)));
        } else {
            int dims = result.tile().dimensions().size();
            for (List<Object> r : q.rows()) {
                for (int c = dims; c < r.size(); c++) {
                    expected.add(number(r.get(c)));
                }
            }
        }
        List<Double> shown = new ArrayList<>();
        int points = 0;
        for (JsonNode ds : canvas.path("data")) {
            ds.forEach(v -> {
                if (!v.isNull()) {
                    shown.add(v.asDouble());
                }
            });
            points += ds.size();
        }
        int elements = 0;
        for (JsonNode n : canvas.path("drawn")) {
            elements += n.asInt();
        }
        assertThat(elements).as("drawn elements of %s", what).isEqualTo(points);
        List<Double> a = expected.stream().sorted().toList();
        List<Double> b = shown.stream().sorted().toList();
        assertThat(b).as("numbers charted on %s", what).hasSameSizeAs(a);
        for (int i = 0; i < a.size(); i++) {
            assertThat(b.get(i)).as("number %d charted on %s", i, what).isCloseTo(a.get(i),
                    within(Math.abs(a.get(i)) * 1e-12));
        }
    }

    private static double number(Object v) {
        assertThat(v).isInstanceOf(Number.class);
        return ((Number) v).doubleValue();
    }
}
