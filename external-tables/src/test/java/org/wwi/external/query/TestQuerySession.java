package org.wwi.external.query;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.wwi.external.ExternalErrorCode;
import org.wwi.external.ExternalException;
import org.wwi.external.ExternalSql;
import org.wwi.external.RejectPolicy;
import org.wwi.external.TestingCatalog;
import org.wwi.external.TestingLake;
import org.wwi.migrations.Migrations;
import org.wwi.platform.Database;
import org.wwi.platform.Progress;
import org.wwi.testkit.WwiPostgres;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ExtendWith(WwiPostgres.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TestQuerySession {
    private TestingCatalog catalog;
    private QuerySession sql;
    private Database db;

    @BeforeAll
    void setUp(Database db) {
        this.db = db;
        Migrations.forProject(Path.of(System.getProperty("wwi.test.root"))).migrate(db);
        catalog = TestingLake.catalog();
        sql = new QuerySession(catalog, db);
    }

    private ExternalSql.Result run(String statement) {
        return sql.execute(statement, Progress.none());
    }

    private static String plan(ExternalSql.Result r) {
        return r.rows().stream().map(row -> (String) row.get(0)).reduce("", (a, b) -> a + b + "\n");
    }

    private long scalar(String statement) {
        return ((Number) run(statement).rows().get(0).get(0)).longValue();
    }

    @Test
    void countsFromFootersAndShowsItInExplain() {
        assertThat(scalar("select count(*) from ext.weblogs")).isEqualTo(TestingLake.ROWS);
        String plan = plan(run("explain select count(*) from ext.weblogs"));
        assertThat(plan).contains("ExternalScan").contains("count=[footers]").contains("files=[5 of 5]");
    }

    @Test
    void prunesPartitionsAndPushesProjectionAndFilters() {
        String day = TestingLake.START.plusDays(2).toString();
        String plan = plan(run("explain plan for select UserId, TransactionDate from ext.weblogs "
                + "where TransactionDay = date '" + day + "' and UserId > 100"));
        assertThat(plan)
                .contains("columns=[[UserId, TransactionDate]]")
                .contains("TransactionDay = " + day + " (partition)")
                .contains("UserId > 100 (row groups)")
                .contains("files=[1 of 5 (partitions pruned)]");
        ExternalSql.Result r = run("select UserId, TransactionDate from ext.weblogs where TransactionDay = date '"
                + day + "' and UserId > 100");
        assertThat(r.rows()).isNotEmpty().allSatisfy(row -> {
            assertThat((Integer) row.get(0)).isGreaterThan(100);
            assertThat(row.get(1).toString()).startsWith(day);
        });
        long perDay = scalar("select count(*) from ext.weblogs where TransactionDay = date '" + day + "'");
        assertThat(perDay).isBetween(1L, TestingLake.ROWS - 1);
        // a filter on partition columns only: folders pruned, then the rows counted from the footers
        assertThat(plan(run("explain select count(*) from ext.weblogs where TransactionDay = date '" + day + "'")))
                .contains("files=[1 of 5 (partitions pruned)]").contains("count=[footers]");
    }

    @Test
    void joinsExternalTablesWithWarehouseTables() {
        ExternalSql.Result r = run("select c.channel_name, count(*) as events from ext.weblogs w "
                + "join dw.dim_channel c on lower(w.Channel) = c.channel_code group by c.channel_name order by 1");
        assertThat(r.columns()).containsExactly("channel_name", "events");
        assertThat(r.rows()).extracting(row -> row.get(0)).containsExactly("Mobile", "Web");
        assertThat(r.rows().stream().mapToLong(row -> ((Number) row.get(1)).longValue()).sum())
                .isEqualTo(TestingLake.ROWS);
        String plan = plan(run("explain select c.channel_name from ext.weblogs w join dw.dim_channel c "
                + "on lower(w.Channel) = c.channel_code"));
        assertThat(plan).contains("JdbcTableScan").contains("columns=[[Channel]]");
    }

    @Test
    void calciteStatementsLeaveNoWarehouseSessionOpen() throws InterruptedException {
        String sessions = "select count(*) from pg_stat_activity where datname = current_database()";
        long before = scalar(sessions);
        run("select count(*) from ext.weblogs w join dw.dim_channel c on lower(w.Channel) = c.channel_code");
        run("explain select c.channel_name from ext.weblogs w join dw.dim_channel c on lower(w.Channel) = c.channel_code");
        // a closed connection's backend leaves pg_stat_activity a moment after the close returns
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
        while (scalar(sessions) != before && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(scalar(sessions)).isEqualTo(before);
    }

    @Test
    void ctasStreamsIntoTheWarehouseAndRecordsDistribution() throws Exception {
        ExternalSql.Result r = run("CREATE TABLE stg.weblogs_ctas WITH (DISTRIBUTION = HASH(UserId), "
                + "CLUSTERED COLUMNSTORE INDEX) AS SELECT * FROM ext.weblogs");
        assertThat(r.updateCount()).hasValue(TestingLake.ROWS);
        assertThat(r.notices()).anySatisfy(n -> assertThat(n).contains("HASH(UserId)").contains("Citus"));
        assertThat(scalar("select count(*) from stg.weblogs_ctas")).isEqualTo(TestingLake.ROWS);
        assertThat(scalar("select count(*) from ingest.distribution where table_name = 'stg.weblogs_ctas' "
                + "and distribution = 'HASH' and hash_column = 'userid'")).isOne();
        // the same rows through the warehouse: sums match the external data read independently
        assertThat(scalar("select sum(quantity) from stg.weblogs_ctas"))
                .isEqualTo(scalar("select sum(Quantity) from ext.weblogs"));
        assertThat(scalar("select count(distinct transactionday) from stg.weblogs_ctas")).isEqualTo(TestingLake.DAYS);
    }

    @Test
    void insertSelectTwiceGivesTwoTransactionsAndRejectsGoToTheRejectTable() {
        run("create table stg.raw_events (user_id integer, product_id integer, action text, event_time timestamp)");
        String insert = "INSERT INTO stg.raw_events (user_id, product_id, action, event_time) "
                + "SELECT UserId, ProductId, Action, TransactionDate FROM ext.weblogs_raw";
        ExternalSql.Result first = run(insert);
        long loaded = first.updateCount().orElseThrow();
        assertThat(first.notices()).anySatisfy(n -> assertThat(n).contains("rows rejected"));
        long rejected = scalar("select rows_rejected from ingest.load order by load_id desc limit 1");
        assertThat(loaded + rejected).isEqualTo(TestingLake.ROWS);
        assertThat(scalar("select count(*) from ingest.reject r join ingest.load l using (load_id) "
                + "where l.load_id = (select max(load_id) from ingest.load) and r.column_name = 'TransactionDate' "
                + "and r.file like '%weblog.txt'")).isEqualTo(rejected);
        run(insert);
        assertThat(scalar("select count(*) from stg.raw_events")).isEqualTo(2 * loaded);

        // a stricter threshold: the statement fails and leaves nothing behind
        catalog.add(TestingLake.rawWeblogs(RejectPolicy.value(2)));
        assertThatThrownBy(() -> run(insert))
                .isInstanceOf(ExternalException.class)
                .hasMessageContaining("REJECT_VALUE = 2")
                .extracting(e -> ((ExternalException) e).code()).isEqualTo(ExternalErrorCode.REJECT_LIMIT_EXCEEDED);
        assertThat(scalar("select count(*) from stg.raw_events")).isEqualTo(2 * loaded);
        catalog.add(TestingLake.rawWeblogs(RejectPolicy.percentage(5, 1000)));
    }

    @Test
    void insertThroughCalciteForQueriesWithExpressions() {
        run("create table stg.product_events (category text, events bigint)");
        ExternalSql.Result r = run("insert into stg.product_events select p.Category, count(*) from ext.weblogs w "
                + "join ext.products p on w.ProductId = p.ProductId group by p.Category");
        assertThat(r.updateCount().orElseThrow()).isBetween(1L, 8L);
        assertThat(scalar("select sum(events) from stg.product_events")).isEqualTo(TestingLake.ROWS);
    }

    @Test
    void tsqlBracketsAndLabelsWorkInQueriesAndLoads() {
        assertThat(scalar("SELECT COUNT(*) AS [Events] FROM [ext].[WebLogs] OPTION (LABEL = 'count')"))
                .isEqualTo(TestingLake.ROWS);
        run("create table stg.labelled (user_id integer, loaded_by text default current_setting('application_name'))");
        // a plain projection streams straight to COPY; the label names the load's session meanwhile
        ExternalSql.Result direct = run("INSERT INTO [stg].[Labelled] ([User_Id]) SELECT [UserId] FROM [ext].[WebLogs] "
                + "OPTION (LABEL = 'Load : [stg].[Labelled]')");
        assertThat(direct.updateCount()).hasValue(TestingLake.ROWS);
        assertThat(scalar("select count(*) from stg.labelled where loaded_by = 'Load : [stg].[Labelled]'"))
                .isEqualTo(TestingLake.ROWS);
        // an expression and a filter: through Calcite, joined with a warehouse table in brackets
        ExternalSql.Result calcite = run("INSERT INTO [stg].[Labelled] ([User_Id]) SELECT w.[UserId] + 1 "
                + "FROM [ext].[WebLogs] w JOIN [dw].[Dim_Channel] c ON LOWER(w.[Channel]) = c.[Channel_Code] "
                + "WHERE c.[Channel_Name] = 'Web' OPTION (LABEL = 'web only', MAXDOP 1)");
        assertThat(calcite.updateCount().orElseThrow()).isBetween(1L, TestingLake.ROWS - 1);
        assertThat(calcite.notices()).contains("query hint MAXDOP 1 ignored (PostgreSQL plans the statement itself)");
        assertThat(scalar("select count(*) from stg.labelled where loaded_by = 'web only'"))
                .isEqualTo(calcite.updateCount().orElseThrow());
        // outside a load the label does not stick to the pooled session
        assertThat(run("select current_setting('application_name')").rows().get(0).get(0))
                .isNotIn("web only", "Load : [stg].[Labelled]");
    }

    @Test
    void unknownColumnIsAClearError() {
        assertThatThrownBy(() -> run("select NoSuchColumn from ext.weblogs"))
                .isInstanceOf(ExternalException.class)
                .hasMessageContaining("NoSuchColumn");
        assertThat(List.of(1)).hasSize(1);
    }
}
