package org.wwi.semantic;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.wwi.platform.Database;
import org.wwi.platform.Progress;
import org.wwi.testkit.WwiPostgres;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.wwi.semantic.TestingWarehouse.direct;
import static org.wwi.semantic.TestingWarehouse.normalize;

/**
 * A role with a row filter never sees other rows, whatever SQL it sends: the filter is applied
 * to the detail (or rollup) rows inside every access to a view, so no query shape escapes it.
 * Checked in-process and through the JDBC server.
 */
@ExtendWith(WwiPostgres.class)
class TestRowLevelSecurity {
    private static final Principal EVE = Principal.of("eve", "regional_manager", Map.of("region", "Europe"));
    private static Database db;
    private static SemanticLayer layer;
    private static SemanticServer server;

    /** Queries trying to reach other regions' rows; each returns values that must all be Europe's. */
    private static final List<String> ATTACKS = List.of(
            "select customer_region, measure(revenue) from sales group by customer_region",
            "select customer_region, measure(revenue) from sales where customer_region = 'Asia' group by 1",
            "select customer_region, measure(revenue) from sales where customer_region = 'Asia' or 1 = 1 group by 1",
            "select customer_region, measure(revenue) from sales where 1 = 1 -- and customer_region = 'x'\n group by 1",
            "select customer_region, measure(revenue) from sales /* where customer_region = 'Asia' */ group by 1",
            "SeLeCt CUSTOMER_REGION, MeAsUrE(\"revenue\") FrOm \"SALES\" GrOuP bY 1",
            "select customer_region, measure(revenue) from wwi.semantic.sales group by 1",
            "select customer_region, revenue from sales",
            "select * from sales",
            "select customer_region, measure(revenue) from sales where customer_region in "
                    + "(select customer_region from web_events group by customer_region) group by 1",
            "select customer_region, x from (select customer_region, measure(revenue) as x from sales group by 1) t "
                    + "where customer_region <> 'Europe' or customer_region = 'Europe'",
            "select customer_region, measure(revenue) from sales group by 1 union all "
                    + "select customer_region, measure(web_revenue) from web_events group by 1",
            "select s.customer_region, s.r, w.e from (select customer_region, measure(revenue) r from sales "
                    + "group by 1) s full join (select customer_region, measure(events) e from web_events group by 1) w "
                    + "on s.customer_region = w.customer_region",
            "with t as (select customer_region, measure(visitors) v from web_events group by 1) select * from t",
            "select customer_region, measure(revenue) from sales where customer_region is null "
                    + "or customer_region is not null group by 1",
            "select customer_region, measure(events) from web_events where channel_name = 'Web' group by 1",
            "select customer_region, count(distinct customer_region) from sales group by 1");

    private static final String EUROPE_SALES = "dw.fact_sales s join dw.dim_customer c using (customer_key) "
            + "join dw.dim_channel ch using (channel_key) where c.region = 'Europe'";
    private static final String EUROPE_EVENTS = "dw.fact_web_event w join dw.dim_customer c using (customer_key) "
            + "where c.region = 'Europe'";

    /** Attacks with the exact answer: the warehouse's Europe numbers, computed by hand on the tables. */
    private static final Map<String, String> EXACT = exact();

    private static Map<String, String> exact() {
        Map<String, String> m = new java.util.LinkedHashMap<>();
        String revenue = "select sum(s.total) from " + EUROPE_SALES;
        m.put("select measure(revenue) from sales", revenue);
        m.put("select measure(revenue) from sales where customer_region = 'Asia' or 1 = 1", revenue);
        m.put("select measure(revenue) from sales where customer_region = 'Asia' oR 1=1 Or TRUE", revenue);
        m.put("SELECT MEASURE(\"revenue\") FROM \"SALES\" WHERE \"customer_region\" <> 'Europe' OR \"customer_region\" "
                + "= 'Europe'", revenue);
        m.put("select measure(revenue) from wwi.\"semantic\".sales where 1 = 1 -- and customer_region = 'Europe'", revenue);
        m.put("select measure(revenue) from sales /* where customer_region = 'Asia' */", revenue);
        m.put("select sum(revenue) from sales", revenue);
        m.put("select sum(revenue) from (select * from sales) t", revenue);
        m.put("select sum(x) from (select customer_region, measure(revenue) x from sales group by 1) t", revenue);
        m.put("select s.r from (select customer_region, measure(revenue) r from sales group by 1) s join "
                + "(select customer_region from web_events group by 1) w on s.customer_region = w.customer_region",
                revenue);
        m.put("select measure(revenue) from sales where customer_region = 'Europe'' or ''1''=''1'",
                "select sum(total) from dw.fact_sales where false");
        m.put("select sum(r) from (select measure(revenue) r from sales union all "
                + "select measure(web_revenue) from web_events) t",
                "select (select sum(s.total) from " + EUROPE_SALES + ") + (select sum(w.total) from " + EUROPE_EVENTS
                        + " and w.action = 'Purchased')");
        m.put("select customer_region, measure(revenue) from sales group by 1 order by 1",
                "select c.region, sum(s.total) from " + EUROPE_SALES + " group by 1 order by 1");
        m.put("select channel_name, measure(revenue) from sales where customer_region = 'Asia' "
                + "or customer_region <> 'Asia' or customer_region is null group by 1 order by 1",
                "select ch.channel_name, sum(s.total) from " + EUROPE_SALES + " group by 1 order by 1");
        m.put("select measure(visitors) from web_events where customer_region in ('Asia', 'Europe', 'Africa') "
                + "or customer_region is null", "select count(distinct w.customer_key) from " + EUROPE_EVENTS);
        m.put("select measure(events) from web_events where customer_region in "
                + "(select customer_region from sales group by 1 having measure(revenue) > 0)",
                "select count(*) from " + EUROPE_EVENTS);
        return m;
    }

    @BeforeAll
    static void setUp(Database database) {
        db = database;
        TestingWarehouse.fill(db);
        layer = SemanticLayer.open(db, TestingWarehouse.model());
        layer.rollups().buildAll(Rollups.BuildOptions.defaults(), Progress.none());
        server = SemanticServer.start(layer, TestingServer.config());
    }

    @AfterAll
    static void tearDown() {
        server.close();
        layer.close();
    }

    @Test
    void aRegionalManagerSeesOnlyTheirRegionWhateverTheSql() {
        for (boolean rollups : new boolean[] {true, false}) {
            for (String sql : ATTACKS) {
                QueryResult r = layer.sql(sql, EVE, rollups);
                if (!sql.contains("'Asia' group")) {
                    assertThat(r.rows()).as(sql).isNotEmpty();
                }
                int region = regionColumn(r);
                if (region >= 0) {
                    assertThat(r.rows()).as(sql).allSatisfy(row -> assertThat(row.get(region)).isIn("Europe", null));
                }
            }
        }
        // the numbers are Europe's: the same as the operator filtering by hand
        assertThat(normalize(layer.sql("select measure(revenue) from sales", EVE).rows()))
                .isEqualTo(direct(db, "select sum(s.total) from dw.fact_sales s join dw.dim_customer c "
                        + "using (customer_key) where c.region = 'Europe'"));
        assertThat(normalize(layer.sql("select measure(visitors) from web_events where customer_region = 'Asia'",
                EVE).rows())).containsExactly(List.of(normalize(0)));
    }

    private static int regionColumn(QueryResult r) {
        for (int i = 0; i < r.columns().size(); i++) {
            if (r.columns().get(i).name().equalsIgnoreCase("customer_region")) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void everyAttackGetsExactlyTheWarehousesEuropeNumbers() throws SQLException {
        for (Map.Entry<String, String> e : EXACT.entrySet()) {
            List<List<Object>> expected = direct(db, e.getValue());
            for (boolean rollups : new boolean[] {true, false}) {
                assertThat(normalize(layer.sql(e.getKey(), EVE, rollups).rows())).as("%s (rollups %s)", e.getKey(),
                        rollups).isEqualTo(expected);
            }
        }
        try (Connection c = TestingServer.connect(server, "eve", "eve-secret"); Statement s = c.createStatement()) {
            for (Map.Entry<String, String> e : EXACT.entrySet()) {
                try (ResultSet rs = s.executeQuery(e.getKey())) {
                    assertThat(TestingWarehouse.rows(rs)).as(e.getKey()).isEqualTo(direct(db, e.getValue()));
                }
            }
        }
        // and the Europe numbers are not everybody's: the filter did something
        assertThat(direct(db, "select sum(s.total) from " + EUROPE_SALES)).isNotEqualTo(direct(db,
                "select sum(total) from dw.fact_sales"));
    }

    @Test
    void theFilterAppliesToRollupsToo() {
        String sql = "select customer_region, measure(distinct_customers) from sales group by 1";
        String plan = layer.explain(sql, EVE);
        assertThat(plan).contains("-- rollups used: customers_by_region").contains("'Europe'");
        assertThat(normalize(layer.sql(sql, EVE, true).rows())).isEqualTo(normalize(layer.sql(sql, EVE, false).rows()))
                .hasSize(1);
        // a rollup that does not store the region cannot serve the role
        assertThat(layer.explain("select channel_name, measure(revenue) from sales group by 1", EVE))
                .contains("-- rollups used: sales_by_category_month");
        assertThat(layer.explain("select channel_name, measure(orders) from sales group by 1", EVE))
                .contains("-- no rollup used").contains("does not store [customer.region]");
    }

    @Test
    void rolesSeeOnlyTheirViewsAndMembers() {
        assertThatThrownBy(() -> layer.sql("select measure(customers) from customers", EVE))
                .hasMessageContaining("Object 'customers' not found").hasMessageContaining("views you may query: "
                        + "sales, web_events");
        assertThatThrownBy(() -> layer.sql("select customer_full_name from sales", EVE))
                .hasMessageContaining("Column 'customer_full_name' not found");
        Principal marketing = Principal.of("mark", "marketing", Map.of());
        assertThat(layer.views(marketing)).extracting(SemanticLayer.ViewInfo::name).containsExactly("web_events");
        assertThatThrownBy(() -> layer.sql("select measure(revenue) from sales", marketing))
                .hasMessageContaining("Object 'sales' not found");
        assertThatThrownBy(() -> layer.sql("select 1", Principal.of("x", "nobody", Map.of())))
                .hasMessageContaining("Cannot use role 'nobody'");
        assertThatThrownBy(() -> layer.sql("select measure(revenue) from sales",
                Principal.of("y", "regional_manager", Map.of())))
                .hasMessageContaining("user 'y' has no attribute 'region'");
    }

    @Test
    void throughTheJdbcServerEveryAttackReturnsOnlyEurope() throws SQLException {
        try (Connection c = TestingServer.connect(server, "eve", "eve-secret"); Statement s = c.createStatement()) {
            for (String sql : ATTACKS) {
                Set<Object> regions = new TreeSet<>();
                int rows = 0;
                try (ResultSet rs = s.executeQuery(sql)) {
                    int region = -1;
                    for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                        if (rs.getMetaData().getColumnLabel(i).equalsIgnoreCase("customer_region")) {
                            region = i;
                        }
                    }
                    while (rs.next()) {
                        rows++;
                        if (region > 0 && rs.getString(region) != null) {
                            regions.add(rs.getString(region));
                        }
                    }
                }
                assertThat(rows).as(sql).isGreaterThanOrEqualTo(sql.contains("'Asia' group") ? 0 : 1);
                assertThat(regions).as(sql).isSubsetOf("Europe");
            }
            // tables outside the model and other views stay out of reach
            List<String> denied = new ArrayList<>();
            for (String sql : List.of("select * from dw.dim_customer", "select * from customers",
                    "select * from mart.customers_by_region")) {
                try (ResultSet rs = s.executeQuery(sql)) {
                    denied.add("allowed: " + sql);
                } catch (SQLException e) {
                    denied.add(e.getSQLState());
                }
            }
            assertThat(denied).containsOnly("42501");
        }
    }
}
