package org.wwi.semantic;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.wwi.platform.Database;
import org.wwi.semantic.bench.ExampleQueries;
import org.wwi.testkit.WwiPostgres;

import java.math.BigDecimal;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.wwi.semantic.TestingWarehouse.direct;
import static org.wwi.semantic.TestingWarehouse.normalize;

/** Semantic SQL against numbers computed directly on the warehouse; what is refused and why. */
@ExtendWith(WwiPostgres.class)
class TestSemanticQueries {
    private static final Principal OPERATOR = Principal.operator();
    private static Database db;
    private static SemanticLayer layer;

    @BeforeAll
    static void setUp(Database database) {
        db = database;
        TestingWarehouse.fill(db);
        layer = SemanticLayer.open(db, TestingWarehouse.model());
    }

    @AfterAll
    static void tearDown() {
        layer.close();
    }

    private static List<List<Object>> rows(String sql) {
        return normalize(layer.sql(sql, OPERATOR, false).rows());
    }

    private static SemanticException error(String sql) {
        try {
            layer.sql(sql, OPERATOR);
        } catch (SemanticException e) {
            return e;
        }
        throw new AssertionError("expected an error for: " + sql);
    }

    @Test
    void everyExampleQueryMatchesHandWrittenSqlOnTheWarehouse() {
        List<ExampleQueries.Example> examples = ExampleQueries.forProject(TestingWarehouse.ROOT);
        assertThat(examples).hasSize(10);
        for (ExampleQueries.Example e : examples) {
            List<List<Object>> expected = direct(db, e.direct());
            assertThat(expected).as(e.name()).isNotEmpty();
            assertThat(rows(e.sql())).as(e.name()).isEqualTo(expected);
        }
    }

    @Test
    void aRatioIsTheRatioOfItsPartsAtTheQueryGrainNeverASumOrAverageOfRatios() {
        List<List<Object>> byChannel = rows("select channel_name, measure(conversion_rate) from web_events "
                + "group by channel_name order by 1");
        assertThat(byChannel).isEqualTo(direct(db, "select c.channel_name, count(distinct case when e.action = "
                + "'Purchased' then e.session_id end)::float8 / count(distinct e.session_id) from dw.fact_web_event e "
                + "join dw.dim_channel c using (channel_key) group by 1 order by 1"));
        BigDecimal overall = (BigDecimal) rows("select measure(conversion_rate) from web_events").get(0).get(0);
        BigDecimal expected = (BigDecimal) direct(db, "select count(distinct case when action = 'Purchased' then "
                + "session_id end)::float8 / count(distinct session_id) from dw.fact_web_event").get(0).get(0);
        assertThat(overall).isEqualTo(expected);
        BigDecimal averageOfMonthly = (BigDecimal) direct(db, "select avg(r) from (select count(distinct case when "
                + "action = 'Purchased' then session_id end)::float8 / count(distinct session_id) as r "
                + "from dw.fact_web_event group by date_key / 100) m").get(0).get(0);
        assertThat(overall).isNotEqualTo(averageOfMonthly);
    }

    @Test
    void distinctCountsAreCountedAtTheQueryGrainNeverReAdded() {
        long overall = ((BigDecimal) rows("select measure(visitors) from web_events").get(0).get(0)).longValue();
        assertThat(overall).isEqualTo(((BigDecimal) direct(db, "select count(distinct customer_key) "
                + "from dw.fact_web_event").get(0).get(0)).longValue());
        long sumOfMonths = rows("select date_month, measure(visitors) from web_events group by date_month").stream()
                .mapToLong(r -> ((BigDecimal) r.get(1)).longValue()).sum();
        assertThat(sumOfMonths).isGreaterThan(overall);
        // a derived measure over a distinct count, by year, stays exact too
        assertThat(rows("select date_year, measure(average_order_value) from sales group by date_year"))
                .isEqualTo(direct(db, "select d.year, sum(s.total)::float8 / count(distinct s.order_id) "
                        + "from dw.fact_sales s join dw.dim_date d using (date_key) group by 1"));
    }

    @Test
    void theAggregateOfAMeasuresTypeIsAnotherNameForMeasure() {
        assertThat(rows("select channel_name, sum(revenue), count(distinct orders), avg(average_unit_price), "
                + "sum(lines), min(smallest_line), max(largest_line) from sales group by 1 order by 1"))
                .isEqualTo(rows("select channel_name, measure(revenue), measure(orders), measure(average_unit_price), "
                        + "measure(lines), measure(smallest_line), measure(largest_line) "
                        + "from sales group by 1 order by 1"));
        assertThat(rows("select channel_name, measure(average_unit_price) from sales group by 1 order by 1"))
                .isEqualTo(direct(db, "select c.channel_name, avg(s.unit_price)::float8 from dw.fact_sales s "
                        + "join dw.dim_channel c using (channel_key) group by 1 order by 1"));
    }

    @Test
    void whatWouldGiveAWrongNumberIsRefusedWithTheReasonAndTheFix() {
        assertThat(error("select channel_name, sum(conversion_rate) from web_events group by 1").getMessage())
                .contains("Cannot aggregate measure conversion_rate with SUM")
                .contains("a sum of ratios is not a ratio").contains("write MEASURE(conversion_rate)");
        assertThat(error("select avg(visitors) from web_events").getMessage())
                .contains("Cannot aggregate measure visitors with AVG")
                .contains("write MEASURE(visitors) or COUNT(DISTINCT visitors)");
        assertThat(error("select sum(orders) from sales").getMessage())
                .contains("Cannot aggregate measure orders with SUM").contains("more than once");
        assertThat(error("select count(*) from sales").getMessage())
                .contains("Cannot count rows of view sales").contains("lines");
        assertThat(error("select sum(product_list_price) from sales").getMessage())
                .contains("Cannot aggregate dimension product_list_price with SUM");
        assertThat(error("select channel_name from sales where revenue > 10 group by 1").getMessage())
                .contains("Cannot filter on measure revenue in WHERE").contains("HAVING MEASURE(revenue)");
        assertThat(error("select revenue, measure(orders) from sales group by revenue").getMessage())
                .contains("Cannot group by measure revenue");
        assertThat(error("select sum(revenue * 2) from sales").getMessage())
                .contains("Cannot aggregate an expression over measure(s) revenue");
        assertThat(error("select sum(revenue) filter (where channel_name = 'Web') from sales").getMessage())
                .contains("FILTER");
    }

    @Test
    void havingOnAMeasureFiltersGroups() {
        assertThat(rows("select product_category, measure(revenue) from sales group by 1 "
                + "having measure(revenue) > 20000 order by 1"))
                .isEqualTo(direct(db, "select p.category, sum(s.total) from dw.fact_sales s join dw.dim_product p "
                        + "using (product_key) group by 1 having sum(s.total) > 20000 order by 1"));
    }

    @Test
    void writesAndSessionChangesAreRefusedAsReadOnly() {
        for (String sql : List.of("insert into sales (revenue) values (1)", "update sales set revenue = 0",
                "delete from sales", "create table x (a int)", "drop table sales", "truncate sales",
                "set search_path = dw", "copy sales to '/tmp/x'", "grant select on sales to public",
                "  /* sneaky */ DELETE from sales", "merge into sales using web_events on true when matched then delete",
                "alter table sales rename to y", "call dw.ensure_month_partitions(null, null, null)")) {
            SemanticException e = error(sql);
            assertThat(e.code()).as(sql).isEqualTo(SemanticErrorCode.QUERY_REFUSED);
            assertThat(e.getMessage()).as(sql).contains("read-only");
        }
        assertThat(error("select 1 from sales; drop table sales").getMessage()).contains("one statement");
    }

    @Test
    void tablesOutsideTheModelCannotBeRead() {
        for (String sql : List.of("select * from dw.fact_sales", "select * from mart.rollup_state",
                "select * from pg_catalog.pg_tables", "select * from information_schema.tables",
                "select * from \"dw\".\"dim_customer\"", "select * from sales s join dw.dim_customer c on true")) {
            SemanticException e = error(sql);
            assertThat(e.code()).as(sql).isEqualTo(SemanticErrorCode.ACCESS_DENIED);
            assertThat(e.getMessage()).as(sql).contains("only the semantic views are readable")
                    .contains("customers, elastic_jobs, recommendations, sales, web_events");
        }
    }

    @Test
    void explainShowsTheWholeQueryPushedDownAsOneStatement() {
        String plan = layer.explain("select channel_name, measure(revenue) as revenue from sales "
                + "where date_month = '2026-02' group by channel_name", OPERATOR);
        assertThat(plan).startsWith("""
                JdbcProject(channel_name=[$0], revenue=[CAST($1):DECIMAL(38, 2)])
                  JdbcAggregate(group=[{14}], agg#0=[SUM($9)])
                    JdbcJoin(condition=[=($2, $15)], joinType=[inner])
                      JdbcJoin(condition=[=($6, $12)], joinType=[left])
                        JdbcTableScan(table=[[dw, fact_sales]])
                        JdbcTableScan(table=[[dw, dim_channel]])
                      JdbcFilter(condition=[=($7, '2026-02')])
                        JdbcTableScan(table=[[dw, dim_date]])
                -- PostgreSQL (pushed down as one statement by the JDBC adapter):
                SELECT "dim_channel"."channel_name", CAST(SUM("fact_sales"."total") AS DECIMAL(38, 2)) AS "revenue"
                FROM "dw"."fact_sales"
                """);
        assertThat(plan).contains("WHERE \"year_month\" = '2026-02'").contains("-- no rollup used")
                .contains("-- view sales: detail tables");
    }

    @Test
    void aViewReadWithoutAggregateIsATableAtTheGrainOfAllItsDimensions() {
        List<List<Object>> rows = layer.sql("select customer_region, revenue from sales", OPERATOR, false).rows();
        BigDecimal europe = rows.stream().filter(r -> "Europe".equals(r.get(0))).map(r -> (BigDecimal) r.get(1))
                .filter(java.util.Objects::nonNull).reduce(BigDecimal.ZERO, BigDecimal::add);
        assertThat(normalize(europe)).isEqualTo(direct(db, "select sum(s.total) from dw.fact_sales s "
                + "join dw.dim_customer c using (customer_key) where c.region = 'Europe'").get(0).get(0));
        assertThat(rows.stream().filter(r -> "Europe".equals(r.get(0))).count()).isGreaterThan(1);
        // the grain does not depend on the columns selected
        assertThat(layer.sql("select * from sales", OPERATOR, false).rows()).hasSameSizeAs(rows);
        assertThat(rows("select distinct customer_region from web_events order by 1"))
                .isEqualTo(direct(db, "select distinct c.region from dw.fact_web_event e join dw.dim_customer c "
                        + "using (customer_key) order by 1"));
        assertThat(layer.sql("select * from customers limit 3", OPERATOR).rows()).hasSize(3);
        assertThat(rows("select sum(revenue) from (select * from sales) t"))
                .isEqualTo(direct(db, "select sum(total) from dw.fact_sales"));
    }

    @Test
    void subQueriesUnionsAndJoinsOfAggregatedViewsWork() {
        assertThat(rows("select s.date_month, s.revenue, w.events from "
                + "(select date_month, measure(revenue) as revenue from sales group by date_month) s "
                + "join (select date_month, measure(events) as events from web_events group by date_month) w "
                + "on s.date_month = w.date_month order by 1"))
                .isEqualTo(direct(db, "select s.m, s.r, w.e from (select to_char(sale_ts, 'YYYY-MM') m, sum(total) r "
                        + "from dw.fact_sales group by 1) s join (select to_char(event_ts, 'YYYY-MM') m, count(*) e "
                        + "from dw.fact_web_event group by 1) w on s.m = w.m order by 1"));
        assertThat(rows("select 'sales' as what, measure(lines) from sales union all "
                + "select 'events', measure(events) from web_events order by 1"))
                .isEqualTo(direct(db, "select 'events', count(*) from dw.fact_web_event union all "
                        + "select 'sales', count(*) from dw.fact_sales order by 1"));
        assertThat(rows("select channel_name, measure(revenue) from sales where customer_region in "
                + "(select customer_region from web_events group by customer_region having measure(visitors) > 50) "
                + "group by 1 order by 1")).isNotEmpty();
    }

    @Test
    void segmentsAreBooleanColumns() {
        assertThat(rows("select measure(revenue) from sales where online"))
                .isEqualTo(rows("select measure(revenue) from sales where channel_name in ('Web', 'Mobile')"));
    }

    @Test
    void parametersAreBoundInTheClientsOrder() {
        List<List<Object>> r = normalize(layer.run("select channel_name, measure(revenue) from sales "
                + "where channel_name = ? and date_month = ? group by channel_name", List.of("Web", "2026-02"),
                OPERATOR, false).rows());
        assertThat(r).isEqualTo(direct(db, "select c.channel_name, sum(s.total) from dw.fact_sales s "
                + "join dw.dim_channel c using (channel_key) where c.channel_name = 'Web' "
                + "and to_char(s.sale_ts, 'YYYY-MM') = '2026-02' group by 1"));
    }

    @Test
    void theQueryApiPicksTheViewAndFormatsTheValues() {
        SemanticQuery q = SemanticQuery.of(List.of("revenue", "orders", "average_order_value"),
                List.of("product.category", "date.month"))
                .withFilters(List.of(SemanticQuery.Filter.parse("channel.name = Web")))
                .withOrder(List.of(SemanticQuery.Order.parse("revenue desc"))).withLimit(3);
        QueryResult r = layer.query(q, OPERATOR);
        assertThat(r.columns()).extracting(QueryResult.Column::name)
                .containsExactly("product_category", "date_month", "revenue", "orders", "average_order_value");
        assertThat(r.columns().get(2).format()).isEqualTo(Format.CURRENCY);
        assertThat(r.columns().get(2).member()).contains("revenue");
        assertThat(r.columns().get(0).member()).contains("product.category");
        assertThat(r.rows()).hasSize(3);
        assertThat(r.formatted(0, 2)).startsWith("$").contains(",");
        assertThat(r.sql()).contains("FROM \"sales\"").contains("LOWER(\"channel_name\") = 'web'");
        assertThat(layer.query(q.withFilters(List.of(SemanticQuery.Filter.parse("channel.name = WEB"))), OPERATOR)
                .rows()).isEqualTo(r.rows());
        assertThat(normalize(r.rows())).isEqualTo(direct(db, "select p.category, to_char(s.sale_ts, 'YYYY-MM'), "
                + "sum(s.total), count(distinct s.order_id), sum(s.total)::float8 / count(distinct s.order_id) "
                + "from dw.fact_sales s join dw.dim_product p using (product_key) join dw.dim_channel c "
                + "using (channel_key) where c.channel_name = 'Web' group by 1, 2 order by 3 desc limit 3"));
        assertThat(Format.PERCENT.apply(0.1234, -1)).isEqualTo("12.3%");

        assertThatThrownBy(() -> layer.query(SemanticQuery.of(List.of("revenue"), List.of("product.categroy")),
                OPERATOR)).hasMessageContaining("Cannot find a view with all of [revenue, product.categroy]");
        assertThatThrownBy(() -> layer.query(SemanticQuery.of(List.of("revenue"), List.of("product.categroy"))
                .withView("sales"), OPERATOR)).hasMessageContaining("did you mean 'product.category'?");
        assertThatThrownBy(() -> SemanticQuery.Filter.parse("channel.name ~ Web"))
                .hasMessageContaining("Cannot parse filter");
        assertThat(SemanticQuery.Filter.parse("customer.region in (Europe, 'North America')").values())
                .containsExactly("Europe", "North America");
        assertThat(SemanticQuery.Filter.parse("date.day between 2026-01-01 and 2026-01-31").values())
                .containsExactly("2026-01-01", "2026-01-31");
    }

    @Test
    void oneToManyAndOneToOneJoinsNeverFanOutASum() {
        String yaml = """
                cubes:
                  customer:
                    sql_table: dw.dim_customer
                    joins:
                      sales: {relationship: one_to_many, sql: "{CUBE}.customer_key = {sales}.customer_key"}
                      profile: {relationship: one_to_one, sql: "{CUBE}.customer_key = {profile}.customer_key"}
                    dimensions:
                      region: {sql: region}
                    measures:
                      customers: {type: count}
                  sales:
                    sql_table: dw.fact_sales
                    joins:
                      channel: {relationship: many_to_one, sql: "{CUBE}.channel_key = {channel}.channel_key"}
                    measures:
                      revenue: {type: sum, sql: total}
                      largest: {type: max, sql: total}
                      smallest: {type: min, sql: total}
                      orders: {type: count_distinct, sql: order_id}
                  channel:
                    sql_table: dw.dim_channel
                    dimensions:
                      name: {sql: channel_name}
                  profile:
                    sql: select customer_key, case when age < 40 then 'young' else 'older' end as band, age from dw.dim_customer
                    dimensions:
                      band: {sql: band}
                    measures:
                      total_age: {type: sum, sql: age}
                views:
                  customers:
                    cube: customer
                    include: [customers, region, sales.revenue, sales.largest, sales.smallest, sales.orders,
                              profile.band, profile.total_age, sales.channel.name]
                """;
        String customerSales = "dw.dim_customer c left join dw.fact_sales s using (customer_key)";
        try (SemanticLayer custom = SemanticLayer.open(db, SemanticModel.parse("joins.yaml", yaml))) {
            // the one cube alone, and through the one_to_one join: one row per customer either way
            assertThat(normalize(custom.sql("select region, measure(customers), measure(profile_total_age) "
                    + "from customers group by 1 order by 1", OPERATOR).rows())).isEqualTo(direct(db,
                    "select region, count(*), sum(age) from dw.dim_customer group by 1 order by 1"));
            assertThat(normalize(custom.sql("select profile_band, measure(customers) from customers group by 1 "
                    + "order by 1", OPERATOR).rows())).isEqualTo(direct(db, "select case when age < 40 then 'young' "
                    + "else 'older' end, count(*) from dw.dim_customer group by 1 order by 1"));
            // the many side's measures at the one side's grain: each sale counted once
            assertThat(normalize(custom.sql("select region, measure(sales_revenue), measure(sales_largest), "
                    + "measure(sales_smallest), measure(sales_orders) from customers group by 1 order by 1",
                    OPERATOR).rows())).isEqualTo(direct(db, "select c.region, sum(s.total), max(s.total), "
                    + "min(s.total), count(distinct s.order_id) from " + customerSales + " group by 1 order by 1"));
            // a count of the one side next to the many side would count each customer once per sale
            assertThatThrownBy(() -> custom.sql("select region, measure(customers), measure(sales_revenue) "
                    + "from customers group by 1", OPERATOR))
                    .isInstanceOf(SemanticException.class)
                    .hasMessageContaining("Cannot compute measure customers (count): the one_to_many join sales "
                            + "repeats the rows of cube customer");
            assertThatThrownBy(() -> custom.sql("select measure(profile_total_age), measure(sales_orders) "
                    + "from customers", OPERATOR)).hasMessageContaining("the one_to_many join sales repeats the rows "
                    + "of cube profile");
            // a dimension of the many side groups the many side's measures, and never the one side's
            // (joins are left joins from the view's cube: customers without sales form the group without a channel)
            assertThat(normalize(custom.sql("select channel_name, measure(sales_revenue) from customers "
                    + "group by 1 order by 1", OPERATOR).rows())).isEqualTo(direct(db, "select ch.channel_name, "
                    + "sum(s.total) from " + customerSales + " left join dw.dim_channel ch using (channel_key) "
                    + "group by 1 order by 1"));
            assertThatThrownBy(() -> custom.sql("select channel_name, measure(customers) from customers "
                    + "group by 1", OPERATOR)).hasMessageContaining("the one_to_many join sales repeats the rows "
                    + "of cube customer");
        }
    }

    @Test
    void minAndMaxMeasuresAreTheExtremesAtTheQueryGrainWithOrWithoutRollups() {
        String expected = "select ch.channel_name, max(s.total), min(s.total) from dw.fact_sales s "
                + "join dw.dim_channel ch using (channel_key) group by 1 order by 1";
        String sql = "select channel_name, measure(largest_line), min(smallest_line) from sales group by 1 order by 1";
        assertThat(rows(sql)).isEqualTo(direct(db, expected));
        assertThat(normalize(layer.sql(sql, OPERATOR, true).rows())).isEqualTo(direct(db, expected));
        assertThat(rows("select measure(largest_line), measure(smallest_line) from sales where channel_name = 'Web'"))
                .isEqualTo(direct(db, "select max(total), min(total) from dw.fact_sales where channel_key = 2"));
        assertThat(error("select sum(largest_line) from sales").getMessage())
                .contains("Cannot aggregate measure largest_line with SUM");
    }

    @Test
    void aMeasureRepeatedByAJoinIsRefused() {
        String yaml = """
                cubes:
                  sales:
                    sql_table: dw.fact_sales
                    joins:
                      customer: {relationship: many_to_one, sql: "{CUBE}.customer_key = {customer}.customer_key"}
                    measures:
                      revenue: {type: sum, sql: total}
                  customer:
                    sql_table: dw.dim_customer
                    dimensions:
                      region: {sql: region}
                    measures:
                      count: {type: count}
                      distinct: {type: count_distinct, sql: customer_key}
                views:
                  sales:
                    cube: sales
                    include: [revenue, customer.count, customer.distinct, customer.region]
                """;
        try (SemanticLayer custom = SemanticLayer.open(db, SemanticModel.parse("fanout.yaml", yaml))) {
            assertThatThrownBy(() -> custom.sql("select measure(customer_count) from sales", OPERATOR))
                    .hasMessageContaining("Cannot compute measure customer.count (count): the many_to_one join "
                            + "customer repeats the rows of cube customer");
            assertThat(normalize(custom.sql("select measure(customer_distinct) from sales", OPERATOR).rows()))
                    .isEqualTo(direct(db, "select count(distinct customer_key) from dw.fact_sales"));
        }
    }

    @Test
    void everyQueryIsLoggedWithUserRowsDurationAndRollups() {
        layer.sql("select channel_name, measure(revenue) from sales group by 1", Principal.of("lena", "analyst",
                java.util.Map.of()));
        try {
            layer.sql("select sum(conversion_rate) from web_events", Principal.of("lena", "analyst", java.util.Map.of()));
        } catch (SemanticException expected) {
            // logged as an error
        }
        layer.flushLog();
        List<List<Object>> log = direct(db, "select user_name, role_name, source, status, row_count, rollups::text, "
                + "duration_ms > 0, error is not null from mart.query_log where user_name = 'lena' order by query_id");
        assertThat(log).hasSize(2);
        assertThat(log.get(0)).containsExactly("lena", "analyst", "api", "ok", normalize(3), "{}", true, false);
        assertThat(log.get(1).subList(0, 4)).containsExactly("lena", "analyst", "api", "error");
        assertThat(log.get(1).get(7)).isEqualTo(true);
    }
}
