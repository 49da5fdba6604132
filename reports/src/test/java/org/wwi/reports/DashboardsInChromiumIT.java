package org.wwi.reports;

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
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Renders every shipped dashboard and opens it in headless Chromium: each tile drew (a canvas for
 * every chart, its status set by the page script after Chart.js drew it), no console error or
 * uncaught exception, the numbers of the semantic layer in the DOM, and a PNG screenshot per
 * dashboard under {@code target/screenshots}.
 */
@ExtendWith(WwiPostgres.class)
class DashboardsInChromiumIT {
    private static final Pattern TILE = Pattern.compile("<section class=\"tile[^\"]*\" id=\"tile-([a-z0-9_]+)\" "
            + "data-kind=\"([a-z_]+)\" data-status=\"([a-z]+)\"");

    @Test
    void everyShippedDashboardDrawsEveryTileInARealBrowser(Database db, @TempDir Path state, @TempDir Path profile)
            throws Exception {
        Chromium chromium = Chromium.find();
        ReportsFixture.fill(db, state);
        Path out = Path.of("target", "dashboards").toAbsolutePath();
        Path shots = Path.of("target", "screenshots").toAbsolutePath();
        Files.createDirectories(shots);
        try (SemanticLayer layer = ReportsFixture.layer(db)) {
            Reports reports = ReportsFixture.reports(layer);
            Reports.Summary summary = reports.render(out, Principal.operator(), Selection.none(), List.of());
            assertThat(summary.failures()).isEmpty();
            for (Reports.Rendered r : summary.pages()) {
                Chromium.Result dom = chromium.dumpDom(r.file(), profile);
                assertThat(dom.exitCode()).as("chromium exit code for %s: %s", r.dashboard(), dom.err()).isZero();
                String html = dom.out();
                assertThat(html).as("page script finished on %s", r.dashboard()).contains("data-status=\"ready\"");
                assertThat(html).as("no uncaught error on %s", r.dashboard()).doesNotContain("data-errors=");
                assertThat(consoleErrors(dom.err())).as("console of %s", r.dashboard()).isEmpty();
                Matcher m = TILE.matcher(html);
                int tiles = 0;
                while (m.find()) {
                    tiles++;
                    assertThat(m.group(3)).as("tile %s of %s", m.group(1), r.dashboard()).isEqualTo("ready");
                    if (!m.group(2).equals("table") && !m.group(2).equals("recommendations")) {
                        String section = html.substring(m.start(), html.indexOf("</section>", m.start()));
                        if (!m.group(2).equals("kpi") || section.contains("class=\"spark\"")) {
                            assertThat(section).as("canvas of tile %s", m.group(1)).contains("<canvas");
                        }
                    }
                }
                assertThat(tiles).isEqualTo(reports.dashboard(r.dashboard()).tiles().size());
                // the numbers the semantic layer returned are what the reader sees
                Reports.Page page = reports.page(r.dashboard(), Principal.operator(), Selection.none(), false);
                for (TileResult t : page.tiles()) {
                    QueryResult q = t.main();
                    for (int c = 0; c < q.columns().size(); c++) {
                        assertThat(html).as("value %s of tile %s", q.columns().get(c).name(), t.tile().id())
                                .contains(HtmlPage.esc(q.formatted(0, c)));
                    }
                }
                Path png = shots.resolve(r.dashboard() + ".png");
                Chromium.Result shot = chromium.screenshot(r.file(), png, profile);
                assertThat(shot.exitCode()).as("screenshot of %s: %s", r.dashboard(), shot.err()).isZero();
                assertThat(Files.size(png)).as("screenshot of %s", r.dashboard()).isGreaterThan(10_000);
            }
        }
    }

    /** Console messages at error level and uncaught exceptions that Chromium logged. */
    private static List<String> consoleErrors(String stderr) {
        return stderr.lines().filter(l -> l.contains("CONSOLE") && (l.contains("Uncaught") || l.contains("Error")))
                .toList();
    }
}
