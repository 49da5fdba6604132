package org.wwi.reports;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.wwi.platform.Database;
import org.wwi.semantic.Principal;
import org.wwi.semantic.QueryResult;
import org.wwi.semantic.SemanticLayer;
import org.wwi.testkit.WwiPostgres;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.wwi.reports.ReportsFixture.direct;
import static org.wwi.reports.ReportsFixture.normalize;

@ExtendWith(WwiPostgres.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TestRender {
    private Database db;
    private SemanticLayer layer;
    private Reports reports;

    @BeforeAll
    void setUp(Database database, @TempDir Path state) {
        db = database;
        ReportsFixture.fill(db, state);
        layer = ReportsFixture.layer(db);
        reports = ReportsFixture.reports(layer);
    }

    @AfterAll
    void tearDown() {
        layer.close();
    }

    @Test
    void everyShippedDashboardRendersWithAPagePerDashboardACsvPerTileAndAnIndex(@TempDir Path out) throws Exception {
        Reports.Summary s = reports.render(out, Principal.operator(), Selection.none(), List.of());
        assertThat(s.failures()).isEmpty();
        assertThat(s.pages()).extracting(Reports.Rendered::dashboard)
                .containsExactly("customer_behaviour", "elastic_jobs", "products", "recommendations", "sales_overview");
        for (Reports.Rendered p : s.pages()) {
            String html = Files.readString(p.file(), StandardCharsets.UTF_8);
            assertThat(html.startsWith("<!DOCTYPE html>")).isTrue();
            assertThat(html.contains("window.Chart=")).as("Chart.js inlined in %s", p.file()).isTrue();
            assertThat(html.contains("src=\"http") || html.contains("href=\"http")).as("no external resources").isFalse();
            assertThat(p.emptyTiles()).as(p.dashboard()).isZero();
            Dashboard d = reports.dashboard(p.dashboard());
            for (Dashboard.Tile t : d.tiles()) {
                assertThat(out.resolve(d.name()).resolve(t.id() + ".csv")).isRegularFile();
                assertThat(html.contains("id=\"tile-" + t.id() + "\"")).as("tile %s", t.id()).isTrue();
            }
        }
        assertThat(Files.readString(out.resolve("index.html"))).contains("sales_overview.html", "Elastic jobs health");
    }

    /** Every tile of every shipped dashboard, written by hand in SQL on the warehouse tables. */
    private static final Map<String, String> BY_HAND = Map.ofEntries(
            Map.entry("sales_overview/revenue", "select sum(total) from dw.fact_sales"),
            Map.entry("sales_overview/orders", "select count(distinct order_id) from dw.fact_sales"),
            Map.entry("sales_overview/average_order_value",
                    "select round(sum(total) / count(distinct order_id), 6) from dw.fact_sales"),
            Map.entry("sales_overview/distinct_customers", "select count(distinct customer_key) from dw.fact_sales"),
            Map.entry("sales_overview/revenue_by_channel_month", """
                    select d.year_month, c.channel_name, sum(f.total) from dw.fact_sales f
                    join dw.dim_channel c using (channel_key) join dw.dim_date d using (date_key)
                    group by 1, 2 order by 1, 2"""),
            Map.entry("sales_overview/revenue_by_day", """
                    select d.date, c.channel_name, sum(f.total) from dw.fact_sales f
                    join dw.dim_channel c using (channel_key) join dw.dim_date d using (date_key)
                    group by 1, 2 order by 1, 2"""),
            Map.entry("sales_overview/channel_month_table", """
                    select c.channel_name, d.year_month, sum(f.total), count(distinct f.order_id),
                           round(sum(f.total) / count(distinct f.order_id), 6)
                    from dw.fact_sales f join dw.dim_channel c using (channel_key) join dw.dim_date d using (date_key)
                    group by 1, 2 order by 2, 1"""),
            Map.entry("customer_behaviour/sessions", "select count(distinct session_id) from dw.fact_web_event"),
            Map.entry("customer_behaviour/conversion_rate", """
                    select round(count(distinct session_id) filter (where action = 'Purchased')::numeric
                                 / count(distinct session_id), 6) from dw.fact_web_event"""),
            Map.entry("customer_behaviour/cart_abandonment_rate", """
                    select round(1 - count(distinct session_id) filter (where action = 'Purchased')::numeric
                                 / count(distinct session_id) filter (where action = 'Add To Cart'), 6)
                    from dw.fact_web_event"""),
            Map.entry("customer_behaviour/average_page_stop",
                    "select round(avg(page_stop_seconds), 6) from dw.fact_web_event"),
            Map.entry("customer_behaviour/funnel", """
                    select count(*) filter (where action = 'Browsed'), count(*) filter (where action = 'Add To Cart'),
                           count(*) filter (where action = 'Purchased') from dw.fact_web_event"""),
            Map.entry("customer_behaviour/conversion_by_channel", """
                    select c.channel_name,
                           round(count(distinct e.session_id) filter (where e.action = 'Purchased')::numeric
                                 / count(distinct e.session_id), 6),
                           round(1 - count(distinct e.session_id) filter (where e.action = 'Purchased')::numeric
                                 / count(distinct e.session_id) filter (where e.action = 'Add To Cart'), 6)
                    from dw.fact_web_event e join dw.dim_channel c using (channel_key) group by 1 order by 1"""),
            Map.entry("customer_behaviour/page_stop_by_category", """
                    select p.category, round(avg(e.page_stop_seconds), 6) from dw.fact_web_event e
                    join dw.dim_product p using (product_key) group by 1 order by 1"""),
            Map.entry("customer_behaviour/sessions_by_day", """
                    select d.date, count(distinct e.session_id) from dw.fact_web_event e
                    join dw.dim_date d using (date_key) group by 1 order by 1"""),
            Map.entry("products/top_products", """
                    select p.product_name, p.category, sum(f.total), sum(f.quantity) from dw.fact_sales f
                    join dw.dim_product p using (product_key) group by 1, 2 order by 3 desc, 1 limit 10"""),
            Map.entry("products/category_mix", """
                    select p.category, sum(f.total) from dw.fact_sales f join dw.dim_product p using (product_key)
                    group by 1 order by 2 desc, 1"""),
            Map.entry("products/units_by_category_channel", """
                    select p.category, c.channel_name, sum(f.quantity) from dw.fact_sales f
                    join dw.dim_product p using (product_key) join dw.dim_channel c using (channel_key)
                    group by 1, 2 order by 1, 2"""),
            Map.entry("recommendations/recommended_products", """
                    select r.rank, p.product_name, p.category, p.price, max(r.prediction)
                    from mart.user_recommendations r
                    left join dw.dim_product p on p.product_id = r.product_id and p.is_current
                    where r.user_id = 3696 group by 1, 2, 3, 4 order by 1 limit 10"""),
            Map.entry("recommendations/coverage",
                    "select count(distinct user_id), count(*) from mart.user_recommendations"),
            Map.entry("recommendations/recommended_categories", """
                    select p.category, count(*) from mart.user_recommendations r
                    left join dw.dim_product p on p.product_id = r.product_id and p.is_current
                    group by 1 order by 2 desc, 1"""),
            Map.entry("elastic_jobs/target_runs", """
                    select count(*), sum(t.current_attempts) from jobs.target_execution t
                    join jobs.job j on j.job_id = t.job_id"""),
            Map.entry("elastic_jobs/by_lifecycle", """
                    select t.lifecycle, count(*) from jobs.target_execution t join jobs.job j on j.job_id = t.job_id
                    group by 1 order by 2 desc, 1"""),
            Map.entry("elastic_jobs/by_job_and_state", """
                    select j.job_name, t.lifecycle, count(*) from jobs.target_execution t
                    join jobs.job j on j.job_id = t.job_id group by 1, 2 order by 1, 2"""),
            Map.entry("elastic_jobs/slowest_targets", """
                    select t.target_server_name || '/' || coalesce(t.target_database_name, '*'), j.job_name,
                           round(max(extract(epoch from t.end_time) - extract(epoch from t.start_time)) * 1000, 6),
                           round(avg((extract(epoch from t.end_time) - extract(epoch from t.start_time)) * 1000), 6),
                           count(*)
                    from jobs.target_execution t join jobs.job j on j.job_id = t.job_id
                    group by 1, 2 order by 3 desc nulls last, 1 limit 10"""));

    @Test
    void everyTileOfEveryShippedDashboardEqualsItsQueryWrittenByHandOnTheWarehouse(@TempDir Path out)
            throws Exception {
        Reports.Summary s = reports.render(out, Principal.operator(), Selection.none(), List.of());
        assertThat(s.failures()).isEmpty();
        java.util.Set<String> covered = new java.util.HashSet<>();
        for (Dashboard d : reports.dashboards()) {
            String html = Files.readString(out.resolve(d.name() + ".html"), StandardCharsets.UTF_8);
            Reports.Page page = reports.page(d.name(), Principal.operator(), Selection.none(), false);
            for (Dashboard.Tile t : d.tiles()) {
                String key = d.name() + "/" + t.id();
                assertThat(BY_HAND).as("a hand-written query for %s", key).containsKey(key);
                covered.add(key);
                List<List<Object>> expected = direct(db, BY_HAND.get(key));
                assertThat(expected).as("%s has rows in the fixture", key).isNotEmpty();
                List<List<String>> csv = Csv.parse(Files.readString(out.resolve(d.name()).resolve(t.id() + ".csv"),
                        StandardCharsets.UTF_8));
                assertThat(Csv.values(csv.subList(1, csv.size()))).as("CSV of %s", key).isEqualTo(expected);
                // the page shows each of these numbers, formatted per measure, inside the tile
                String section = TestServeAndRefresh.section(html, t.id());
                QueryResult shown = tile(page, t.id()).main();
                List<List<Object>> raw = direct(db, BY_HAND.get(key).replaceAll("(?s)round\\((.*?), 6\\)", "$1"));
                for (List<Object> row : raw) {
                    for (int c = 0; c < row.size(); c++) {
                        if (shown.columns().get(c).measure()) {
                            assertThat(section).as("%s shows %s of %s", key, shown.columns().get(c).name(), row)
                                    .contains(">" + HtmlPage.esc(shown.columns().get(c).format(row.get(c))) + "<");
                        }
                    }
                }
            }
        }
        assertThat(covered).containsExactlyInAnyOrderElementsOf(BY_HAND.keySet());
    }

    @Test
    void aTablesTotalsAndAKpisSparklineAreTheirOwnQueries() {
        Reports.Page p = reports.page("sales_overview", Principal.operator(), Selection.none(), false);
        TileResult table = tile(p, "channel_month_table");
        // the totals row is the ratio at the grand-total grain, not a sum of the rows' ratios
        assertThat(normalize(table.totals().orElseThrow().rows())).isEqualTo(direct(db, """
                select sum(total), count(distinct order_id), round(sum(total) / count(distinct order_id), 6)
                from dw.fact_sales"""));
        String tfoot = p.html().substring(p.html().indexOf("<tfoot>", p.html().indexOf("id=\"tile-channel_month_table\"")));
        assertThat(tfoot).contains(">" + TestServeAndRefresh.money((java.math.BigDecimal) direct(db,
                "select sum(total) from dw.fact_sales").get(0).get(0)) + "<");
        assertThat(normalize(tile(p, "average_order_value").spark().orElseThrow().rows())).isEqualTo(direct(db, """
                select d.date, round(sum(f.total) / count(distinct f.order_id), 6) from dw.fact_sales f
                join dw.dim_date d using (date_key) group by 1 order by 1"""));
    }

    @Test
    void filtersNarrowEveryTileAndAKpiComparesWithThePreviousPeriod() {
        Selection s = Selection.parse(List.of("date=2026-08-01..2026-08-15", "channel=Web"));
        Reports.Page p = reports.page("sales_overview", Principal.operator(), s, false);
        assertThat(normalize(tile(p, "revenue").main().rows())).isEqualTo(direct(db, """
                select sum(f.total) from dw.fact_sales f join dw.dim_channel c using (channel_key)
                join dw.dim_date d using (date_key)
                where c.channel_name = 'Web' and d.date between '2026-08-01' and '2026-08-15'"""));
        assertThat(normalize(tile(p, "revenue").previous().orElseThrow().rows())).isEqualTo(direct(db, """
                select sum(f.total) from dw.fact_sales f join dw.dim_channel c using (channel_key)
                join dw.dim_date d using (date_key)
                where c.channel_name = 'Web' and d.date between '2026-07-17' and '2026-07-31'"""));
        assertThat(p.html().contains("vs 2026-07-17 to 2026-07-31")).isTrue();
        assertThat(tile(p, "channel_month_table").main().rows()).allSatisfy(r -> assertThat(r.get(0)).isEqualTo("Web"));
    }

    @Test
    void aRoleWithARowFilterSeesOnlyItsRowsInEveryTile() {
        Principal emea = Principal.of("eve", "regional_manager", Map.of("region", "Europe"));
        Reports.Page p = reports.page("sales_overview", emea, Selection.none(), false);
        assertThat(normalize(tile(p, "revenue").main().rows())).isEqualTo(direct(db, """
                select sum(f.total) from dw.fact_sales f join dw.dim_customer c using (customer_key)
                where c.region = 'Europe'"""));
        assertThatThrownBy(() -> reports.page("elastic_jobs", emea, Selection.none(), false))
                .isInstanceOf(ReportsException.class)
                .hasMessageContaining("Cannot open dashboard elastic_jobs: user eve (role regional_manager) may not see it")
                .extracting(e -> ((ReportsException) e).code()).isEqualTo(ReportsErrorCode.DASHBOARD_FORBIDDEN);
    }

    @Test
    void aDashboardForAnUnknownRoleIsRefusedWithTheRolesOfTheModel() {
        Dashboard d = DashboardReader.read("x", "dashboards/x.yaml", "title: X\nroles: [nobody]\ntiles:\n"
                + "  - {id: revenue, kind: kpi, view: sales, measures: [revenue]}\n");
        assertThatThrownBy(() -> Reports.open(layer, List.of(d)))
                .hasMessageContaining("Cannot read dashboard dashboards/x.yaml: unknown role 'nobody' in 'roles' "
                        + "(roles of the model: analyst, marketing, regional_manager)");
    }

    @Test
    void anEmptyResultRendersNoDataInsteadOfABrokenChart() {
        Reports.Page p = reports.page("sales_overview", Principal.operator(),
                Selection.parse(List.of("date=2030-01-01..2030-01-31")), false);
        TileResult chart = tile(p, "revenue_by_day");
        assertThat(chart.isEmpty()).isTrue();
        assertThat(p.html().contains("id=\"tile-revenue_by_day\" data-kind=\"line\" data-status=\"empty\"")).isTrue();
        assertThat(p.html().contains("No data for these filters")).isTrue();
    }

    @Test
    void badFiltersAreRefusedWithTheFix() {
        assertThatThrownBy(() -> reports.page("sales_overview", Principal.operator(),
                Selection.parse(List.of("colour=red")), false))
                .hasMessageContaining("Cannot use filter 'colour' on dashboard sales_overview (its filters: date, "
                        + "channel, region, category)");
        assertThatThrownBy(() -> reports.page("sales_overview", Principal.operator(),
                Selection.parse(List.of("date=2026-08-31..2026-08-01")), false))
                .hasMessageContaining("the end is before the start");
        assertThatThrownBy(() -> reports.dashboard("sales"))
                .hasMessageContaining("Cannot find dashboard 'sales' (dashboards: customer_behaviour");
    }

    @Test
    void aFailedRenderKeepsTheLastGoodCopy(@TempDir Path out) throws Exception {
        reports.render(out, Principal.operator(), Selection.none(), List.of("products"));
        String good = Files.readString(out.resolve("products.html"));
        Reports broken = Reports.open(layer, List.of(reports.dashboard("products")));
        String breakAll = "do $$ declare r record; begin for r in select table_name from mart.rollup_state loop "
                + "execute format('alter table %s rename to %s', r.table_name, split_part(r.table_name, '.', 2) "
                + "|| '_gone'); end loop; alter table dw.fact_sales rename to fact_sales_gone; end $$";
        String repair = "do $$ declare r record; begin for r in select table_name from mart.rollup_state loop "
                + "execute format('alter table %s rename to %s', r.table_name || '_gone', split_part(r.table_name, "
                + "'.', 2)); end loop; alter table dw.fact_sales_gone rename to fact_sales; end $$";
        ReportsFixture.execute(db, breakAll);
        try {
            Reports.Summary s = broken.render(out, Principal.operator(), Selection.none(), List.of());
            assertThat(s.failures()).containsKey("products");
            assertThat(s.failures().get("products")).contains("Cannot render tile");
        } finally {
            ReportsFixture.execute(db, repair);
        }
        assertThat(Files.readString(out.resolve("products.html")).equals(good)).as("last good copy kept").isTrue();
    }

    static TileResult tile(Reports.Page p, String id) {
        return p.tiles().stream().filter(t -> t.tile().id().equals(id)).findFirst().orElseThrow();
    }
}
