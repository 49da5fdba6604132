package org.wwi.semantic;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.wwi.platform.Database;
import org.wwi.platform.Progress;
import org.wwi.testkit.WwiPostgres;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.wwi.semantic.TestingWarehouse.direct;

/**
 * Builds after new facts merge them into the current rollup tables, and give exactly what a
 * full build gives; a rewrite of rows already summarized makes the next build a full one.
 */
@ExtendWith(WwiPostgres.class)
class TestIncrementalRollups {

    @Test
    void newFactsAreMergedInAndTheTablesEqualAFullBuild(Database db) throws SQLException {
        TestingWarehouse.fill(db);
        try (SemanticLayer layer = SemanticLayer.open(db, TestingWarehouse.model())) {
            List<Rollups.Build> first = layer.rollups().buildAll(Rollups.BuildOptions.defaults(), Progress.none());
            assertThat(first).allSatisfy(b -> assertThat(b.incremental()).as(b.rollup()).isFalse());

            // nothing new: every build merges nothing and the tables stay
            Map<String, List<List<Object>>> before = tables(db, layer);
            assertThat(layer.rollups().buildAll(Rollups.BuildOptions.defaults(), Progress.none()))
                    .allSatisfy(b -> assertThat(b.how()).as(b.rollup()).startsWith("incremental"));
            assertThat(tables(db, layer)).isEqualTo(before);

            // new facts: some of known orders, sessions and customers, some new; a new customer in a new region
            execute(db, "insert into dw.dim_customer (user_id, first_name, last_name, gender, age, region) "
                    + "values (990001, 'New', 'Customer', 'F', 30, 'Antarctica')");
            execute(db, "insert into dw.fact_sales (sale_ts, date_key, order_id, customer_key, product_key, channel_key, "
                    + "quantity, unit_price, total) select sale_ts, date_key, case when sale_line_id % 2 = 0 then "
                    + "order_id || '-late' else order_id end, case when sale_line_id % 5 = 0 then (select customer_key "
                    + "from dw.dim_customer where user_id = 990001) else customer_key end, product_key, channel_key, "
                    + "quantity, unit_price, total + 1 from dw.fact_sales where sale_line_id % 7 = 0");
            execute(db, "insert into dw.fact_web_event (event_ts, date_key, session_id, customer_key, user_id, "
                    + "product_key, product_id, channel_key, action, quantity, price, total, referral_url, "
                    + "page_stop_seconds) select event_ts, date_key, case when event_id % 2 = 0 then session_id "
                    + "|| '-late' else session_id end, case when event_id % 5 = 0 then (select customer_key from "
                    + "dw.dim_customer where user_id = 990001) else customer_key end, user_id, product_key, "
                    + "product_id, channel_key, action, quantity, price, total, referral_url, page_stop_seconds "
                    + "from dw.fact_web_event where event_id % 11 = 0");
            List<Rollups.Build> merged = layer.rollups().buildAll(Rollups.BuildOptions.defaults(), Progress.none());
            assertThat(merged).allSatisfy(b -> assertThat(b.how()).as(b.rollup())
                    .matches("incremental: the rows of dw\\.fact_(sales|web_event) above high-water mark \\d+ merged in"));
            Map<String, List<List<Object>>> incremental = tables(db, layer);
            assertThat(incremental.get("customers_by_region")).anySatisfy(row -> assertThat(row.get(0))
                    .isEqualTo("Antarctica"));

            List<Rollups.Build> full = layer.rollups().buildAll(new Rollups.BuildOptions(false, false, true),
                    Progress.none());
            assertThat(full).allSatisfy(b -> assertThat(b.how()).isEqualTo("full: a full build was asked"));
            assertThat(tables(db, layer)).isEqualTo(incremental);
            // and both equal the plain aggregate over the detail tables (COUNT(DISTINCT ...), no sets)
            for (String rollup : incremental.keySet()) {
                assertThat(incremental.get(rollup)).as(rollup).isEqualTo(direct(db, "select * from ("
                        + layer.rollups().buildSql(rollup) + ") t order by t::text"));
            }
            for (Rollups.Build b : merged) {
                assertThat(b.rows()).as(b.rollup()).isEqualTo(full.stream().filter(f -> f.rollup().equals(b.rollup()))
                        .findFirst().orElseThrow().rows());
            }

            // an upsert that changes no value is not a rewrite; a changed value is
            execute(db, "update dw.fact_sales set total = total where sale_line_id % 3 = 0");
            assertThat(layer.rollups().build("customers_by_region").how()).startsWith("incremental");
            execute(db, "update dw.fact_sales set total = total + 1 where sale_line_id = (select min(sale_line_id) "
                    + "from dw.fact_sales)");
            assertThat(layer.rollups().build("customers_by_region").how())
                    .isEqualTo("full: dw.fact_sales had rows updated, deleted or truncated after the last build");
            assertThat(layer.rollups().build("customers_by_region").how()).startsWith("incremental");
            // a region changes: the customers' earlier facts move group, so the whole table is built again
            execute(db, "update dw.dim_customer set region = 'Atlantis' where user_id = 990001");
            assertThat(layer.rollups().build("visitors_by_region").how())
                    .isEqualTo("full: dw.dim_customer had rows updated, deleted or truncated after the last build");
            assertThat(direct(db, "select count(*) > 0 from mart.visitors_by_region where customer__region = 'Atlantis'"))
                    .containsExactly(List.of(true));
        }
    }

    @Test
    void aDimensionJoinedWithoutAForeignKeyMakesEveryBuildAfterItsChangesAFullOne(Database db) throws SQLException {
        TestingWarehouse.fill(db);
        String yaml = """
                cubes:
                  sales:
                    sql_table: dw.fact_sales
                    high_water_mark: sale_line_id
                    joins:
                      buyer: {relationship: many_to_one, sql: "{CUBE}.customer_key = {buyer}.customer_key"}
                    measures:
                      orders: {type: count_distinct, sql: order_id}
                  buyer:
                    sql_table: stg.buyer
                    dimensions:
                      region: {sql: region}
                views:
                  sales:
                    cube: sales
                    include: [orders, buyer.region]
                rollups:
                  orders_by_region:
                    cube: sales
                    measures: [orders]
                    dimensions: [buyer.region]
                roles:
                  analyst:
                    views: "*"
                """;
        execute(db, "drop table if exists stg.buyer; create table stg.buyer as select customer_key, region from "
                + "dw.dim_customer where customer_key % 2 = 0");
        try (SemanticLayer layer = SemanticLayer.open(db, SemanticModel.parse("buyers.yaml", yaml))) {
            layer.rollups().build("orders_by_region");
            // buyers that earlier facts point at arrive late: those facts change group
            execute(db, "insert into stg.buyer select customer_key, region from dw.dim_customer where customer_key % 2 = 1");
            Rollups.Build b = layer.rollups().build("orders_by_region");
            assertThat(b.how()).isEqualTo("full: stg.buyer was written after the last build and no validated foreign "
                    + "key of dw.fact_sales (customer_key) references it (customer_key)");
            assertThat(direct(db, "select count(*) from mart.orders_by_region where buyer__region is null"))
                    .containsExactly(List.of(TestingWarehouse.normalize(0)));
        } finally {
            execute(db, "drop table if exists stg.buyer");
        }
    }

    private static Map<String, List<List<Object>>> tables(Database db, SemanticLayer layer) {
        Map<String, List<List<Object>>> out = new LinkedHashMap<>();
        for (Rollups.Status s : layer.rollups().status()) {
            out.put(s.rollup(), direct(db, "select * from " + s.table() + " t order by t::text"));
        }
        return out;
    }

    private static void execute(Database db, String sql) throws SQLException {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
