package org.wwi.reports;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.wwi.platform.Database;
import org.wwi.semantic.Principal;
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

    @Test
    void tileNumbersEqualTheSameQueryRunDirectlyOnTheWarehouse() {
        Reports.Page p = reports.page("sales_overview", Principal.operator(), Selection.none(), false);
        TileResult table = tile(p, "channel_month_table");
        assertThat(normalize(table.main().rows())).isEqualTo(direct(db, """
                select c.channel_name, d.year_month, sum(f.total), count(distinct f.order_id),
                       round(sum(f.total) / count(distinct f.order_id), 6)
                from dw.fact_sales f join dw.dim_channel c on c.channel_key = f.channel_key
                join dw.dim_date d on d.date_key = f.date_key
                group by 1, 2 order by 2, 1"""));
        // the totals row is the ratio at the grand-total grain, not a sum of the rows' ratios
        assertThat(normalize(table.totals().orElseThrow().rows())).isEqualTo(direct(db, """
                select sum(total), count(distinct order_id), round(sum(total) / count(distinct order_id), 6)
                from dw.fact_sales"""));
        assertThat(normalize(tile(p, "revenue").main().rows())).isEqualTo(direct(db,
                "select sum(total) from dw.fact_sales"));

        Reports.Page behaviour = reports.page("customer_behaviour", Principal.operator(), Selection.none(), false);
        assertThat(normalize(tile(behaviour, "funnel").main().rows())).isEqualTo(direct(db, """
                select count(*) filter (where action = 'Browsed'), count(*) filter (where action = 'Add To Cart'),
                       count(*) filter (where action = 'Purchased') from dw.fact_web_event"""));
        assertThat(normalize(tile(behaviour, "conversion_rate").main().rows())).isEqualTo(direct(db, """
                select round(count(distinct session_id) filter (where action = 'Purchased')::numeric
                             / count(distinct session_id), 6) from dw.fact_web_event"""));

        Reports.Page recs = reports.page("recommendations", Principal.operator(), Selection.none(), false);
        assertThat(normalize(tile(recs, "recommended_products").main().rows())).isEqualTo(direct(db,
                "select row_number() over (), r.product_name, p.category, r.price, r.prediction "
                        + "from mart.recommended_products(3696, 10) r join dw.dim_product p using (product_id) "
                        + "where p.is_current"));
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
                .hasMessageContaining("view elastic_jobs is not visible to user eve (role regional_manager)");
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
