package org.wwi.semantic;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.wwi.platform.Database;
import org.wwi.testkit.WwiPostgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.wwi.semantic.TestingWarehouse.direct;
import static org.wwi.semantic.TestingWarehouse.normalize;

/** Rollup builds: atomic swap, refusal of empty or shrunken results, staleness. */
@ExtendWith(WwiPostgres.class)
class TestRollupBuilds {
    private static final Principal OPERATOR = Principal.operator();

    /** The shipped sales cube and dimensions, plus rollups with and without allowed staleness. */
    private static SemanticModel model() {
        String yaml = """
                cubes:
                  sales:
                    sql_table: dw.fact_sales
                    high_water_mark: sale_line_id
                    joins:
                      channel: {relationship: many_to_one, sql: "{CUBE}.channel_key = {channel}.channel_key"}
                    measures:
                      revenue: {type: sum, sql: total}
                      orders: {type: count_distinct, sql: order_id}
                  big_sales:
                    description: a cube over a query
                    sql: select * from dw.fact_sales where quantity > 1000
                    measures:
                      revenue: {type: sum, sql: total}
                  channel:
                    sql_table: dw.dim_channel
                    dimensions:
                      name: {sql: channel_name}
                views:
                  sales:
                    cube: sales
                    include: [revenue, orders, channel.name]
                  big_sales:
                    cube: big_sales
                    include: [revenue]
                rollups:
                  strict:
                    cube: sales
                    measures: [revenue, orders]
                    dimensions: [channel.name]
                  relaxed:
                    cube: sales
                    measures: [orders]
                    dimensions: [channel.name]
                    allow_stale: true
                  big:
                    cube: big_sales
                    measures: [revenue]
                roles:
                  analyst:
                    views: "*"
                """;
        return SemanticModel.parse("builds.yaml", yaml);
    }

    @Test
    void aRollupOlderThanItsFactsIsNotUsedUnlessStalenessIsAllowed(Database db) throws SQLException {
        TestingWarehouse.fill(db);
        try (SemanticLayer layer = SemanticLayer.open(db, model(), SemanticLayer.Options.defaults()
                .withStateTtl(Duration.ZERO))) {
            layer.rollups().build("strict");
            layer.rollups().build("relaxed");
            String revenue = "select channel_name, measure(revenue) from sales group by 1 order by 1";
            String orders = "select channel_name, measure(orders) from sales group by 1 order by 1";
            assertThat(layer.explain(revenue, OPERATOR)).contains("-- rollups used: strict");

            execute(db, "insert into dw.fact_sales (sale_ts, date_key, order_id, customer_key, product_key, channel_key, "
                    + "quantity, unit_price, total) select sale_ts, date_key, 'late-order', customer_key, product_key, "
                    + "channel_key, 1, 1000, 1000 from dw.fact_sales limit 1");
            String plan = layer.explain(revenue, OPERATOR);
            assertThat(plan).contains("-- no rollup used").containsPattern("strict: stale: built at high-water mark "
                    + "\\d+, facts are at \\d+");
            assertThat(normalize(layer.sql(revenue, OPERATOR).rows())).isEqualTo(direct(db, "select c.channel_name, "
                    + "sum(s.total) from dw.fact_sales s join dw.dim_channel c using (channel_key) group by 1 order by 1"));
            // allowed staleness: answered from the rollup, without the late order
            assertThat(layer.explain(orders, OPERATOR)).contains("-- rollups used: relaxed");
            assertThat(layer.rollups().status()).extracting(Rollups.Status::state)
                    .containsExactly("stale", "stale (allowed)", "not built");

            Rollups.Build rebuilt = layer.rollups().build("strict");
            assertThat(rebuilt.previousRows()).hasValue(3);
            assertThat(layer.explain(revenue, OPERATOR)).contains("-- rollups used: strict");
            assertThat(normalize(layer.sql(revenue, OPERATOR).rows())).isEqualTo(normalize(layer.sql(revenue, OPERATOR,
                    false).rows()));
        }
    }

    @Test
    void anUpdateOfTheFactsOrOfADimensionMakesARollupStaleForPreparedStatementsToo(Database db) throws SQLException {
        TestingWarehouse.fill(db);
        String revenue = "select channel_name, measure(revenue) from sales group by 1 order by 1";
        String orders = "select channel_name, measure(orders) from sales group by 1 order by 1";
        String expected = "select c.channel_name, sum(s.total) from dw.fact_sales s join dw.dim_channel c "
                + "using (channel_key) group by 1 order by 1";
        try (SemanticLayer layer = SemanticLayer.open(db, model(), SemanticLayer.Options.defaults()
                .withStateTtl(Duration.ZERO));
             SemanticServer server = SemanticServer.start(layer, TestingServer.config()
                     .withUsers(Map.of("ana", TestingServer.USERS.get("ana"))));
             Connection c = TestingServer.connect(server, "ana", "ana-secret")) {
            layer.rollups().build("strict");
            layer.rollups().build("relaxed");
            PreparedStatement ps = c.prepareStatement(revenue); // planned while strict is fresh: read from it
            assertThat(layer.explain(revenue, OPERATOR)).contains("-- rollups used: strict");
            assertThat(rows(ps)).isEqualTo(direct(db, expected));

            // no new row, so the high-water mark stays: the change marker tells
            execute(db, "update dw.fact_sales set total = total + 500 where sale_line_id = "
                    + "(select min(sale_line_id) from dw.fact_sales)");
            assertThat(layer.explain(revenue, OPERATOR)).contains("-- no rollup used")
                    .containsPattern("strict: stale: dw.fact_sales changed at \\S+, after the build at \\S+");
            assertThat(rows(ps)).as("the prepared statement is planned again").isEqualTo(direct(db, expected));
            assertThat(layer.explain(orders, OPERATOR)).contains("-- rollups used: relaxed");
            assertThat(layer.rollups().status()).extracting(Rollups.Status::state)
                    .containsExactly("stale", "stale (allowed)", "not built");

            layer.rollups().build("strict");
            assertThat(layer.explain(revenue, OPERATOR)).contains("-- rollups used: strict");
            assertThat(rows(ps)).isEqualTo(direct(db, expected));

            // a dimension the rollup stores changes: stale as well
            execute(db, "update dw.dim_channel set channel_name = channel_name || ' (renamed)' where channel_key = 1");
            assertThat(layer.rollups().status()).extracting(Rollups.Status::state)
                    .containsExactly("stale", "stale (allowed)", "not built");
            // (the plan is the one cached when the same rollups were usable, so its reason may name the fact)
            assertThat(layer.explain(revenue, OPERATOR)).contains("-- no rollup used").contains("strict: stale: dw.");
            assertThat(rows(ps)).isEqualTo(direct(db, expected)).anySatisfy(r -> assertThat(r.get(0).toString())
                    .endsWith("(renamed)"));
            ps.close();
            layer.flushLog();
            // the statement was answered from the rollup, then from the detail tables, then from the rebuilt rollup
            assertThat(direct(db, "select rollups::text from mart.query_log where user_name = 'ana' order by query_id"))
                    .containsExactly(List.of("{strict}"), List.of("{}"), List.of("{strict}"), List.of("{}"));
        }
    }

    private static List<List<Object>> rows(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            return TestingWarehouse.rows(rs);
        }
    }

    @Test
    void aShrunkenOrEmptyBuildIsRefusedAndTheCurrentTableStays(Database db) throws SQLException {
        TestingWarehouse.fill(db);
        try (SemanticLayer layer = SemanticLayer.open(db, model())) {
            assertThatThrownBy(() -> layer.rollups().build("big"))
                    .hasMessageContaining("Cannot swap in rollup big: the new table is empty")
                    .hasMessageContaining("the current table is unchanged");
            assertThat(direct(db, "select to_regclass('mart.big') is null, to_regclass('mart.big__new') is null"))
                    .containsExactly(List.of(true, true));
            Rollups.Build empty = layer.rollups().build("big", new Rollups.BuildOptions(true, false));
            assertThat(empty.rows()).isZero();

            assertThat(layer.rollups().build("strict").rows()).isEqualTo(3);
            execute(db, "delete from dw.fact_sales where channel_key = 1");
            assertThatThrownBy(() -> layer.rollups().build("strict"))
                    .hasMessageContaining("the new table has 2 rows, fewer than the 3 of the current one")
                    .hasMessageContaining("allow shrinking");
            assertThat(direct(db, "select count(*) from mart.strict")).containsExactly(List.of(normalize(3)));
            assertThat(layer.rollups().build("strict", new Rollups.BuildOptions(false, true)).rows()).isEqualTo(2);
            assertThat(direct(db, "select count(*) from mart.strict")).containsExactly(List.of(normalize(2)));
            assertThat(direct(db, "select rollup_name, row_count, fact_high_water = (select max(sale_line_id) "
                    + "from dw.fact_sales) from mart.rollup_state where rollup_name = 'strict'"))
                    .containsExactly(List.of("strict", normalize(2), true));
            assertThat(direct(db, "select row_count, fact_high_water from mart.rollup_state where rollup_name = 'big'"))
                    .containsExactly(java.util.Arrays.asList(normalize(0), null));
            assertThatThrownBy(() -> layer.rollups().build("strcit")).hasMessageContaining("did you mean 'strict'?");
        }
    }

    private static void execute(Database db, String sql) throws SQLException {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
