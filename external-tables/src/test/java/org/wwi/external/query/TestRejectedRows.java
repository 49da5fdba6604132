package org.wwi.external.query;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.wwi.external.DataSourceDef;
import org.wwi.external.DelimitedOptions;
import org.wwi.external.ExternalColumn;
import org.wwi.external.ExternalErrorCode;
import org.wwi.external.ExternalException;
import org.wwi.external.ExternalSql;
import org.wwi.external.ExternalTableDef;
import org.wwi.external.ExternalType;
import org.wwi.external.FileFormatDef;
import org.wwi.external.RejectPolicy;
import org.wwi.external.TestingCatalog;
import org.wwi.migrations.Migrations;
import org.wwi.platform.Database;
import org.wwi.platform.Progress;
import org.wwi.testkit.WwiPostgres;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Dirty delimited rows (a non-numeric amount, a missing field, an impossible date) loaded with
 * {@code INSERT … SELECT}: straight to COPY and through Calcite, each bad row becomes one row of
 * {@code ingest.reject} with its file, line, column, raw text and reason; a broken PERCENTAGE threshold
 * fails the statement, names the threshold and the first reasons, and leaves nothing behind.
 */
@ExtendWith(WwiPostgres.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TestRejectedRows {
    private static final int ROWS = 20;
    private TestingCatalog catalog;
    private QuerySession sql;
    private Database db;

    @BeforeAll
    void setUp(Database db) throws Exception {
        this.db = db;
        Migrations.forProject(Path.of(System.getProperty("wwi.test.root"))).migrate(db);
        Path lake = Files.createTempDirectory("wwi-dirty-lake");
        List<String> lines = new ArrayList<>(List.of("OrderId|Customer|Amount|OrderDay"));
        for (int i = 1; i <= ROWS; i++) {
            lines.add(switch (i) {
                case 2 -> "2|Bob|abc|2026-08-02";
                case 3 -> "3|Cy|7.25";
                case 4 -> "4|Dee|3.00|2026-13-45";
                default -> i + "|Zoë " + i + "|" + i + ".50|2026-08-0" + (i % 9 + 1);
            });
        }
        Files.write(Files.createDirectories(lake.resolve("orders")).resolve("orders.txt"), lines, StandardCharsets.UTF_8);
        FileFormatDef text = new FileFormatDef("pipes", FileFormatDef.FormatType.DELIMITEDTEXT,
                new DelimitedOptions("|", Optional.empty(), 2, Optional.of("yyyy-MM-dd"), false, StandardCharsets.UTF_8),
                Optional.empty());
        catalog = new TestingCatalog()
                .add(new DataSourceDef("lake", "HADOOP", lake.toUri(), Optional.empty())).add(text)
                .add(orders("orders", RejectPolicy.value(5)))
                .add(orders("orders_strict", RejectPolicy.percentage(10, 10)));
        sql = new QuerySession(catalog, db);
        run("create table stg.orders (order_id integer, customer text, amount numeric(10,2), order_day date)");
    }

    private static ExternalTableDef orders(String name, RejectPolicy policy) {
        return new ExternalTableDef("ext", name, List.of(
                new ExternalColumn("OrderId", ExternalType.of(ExternalType.Kind.INT), false, false),
                new ExternalColumn("Customer", ExternalType.nvarchar(20), true, false),
                new ExternalColumn("Amount", ExternalType.decimal(10, 2), true, false),
                new ExternalColumn("OrderDay", ExternalType.of(ExternalType.Kind.DATE), true, false)),
                "/orders/", "lake", "pipes", policy, Map.of());
    }

    private ExternalSql.Result run(String statement) {
        return sql.execute(statement, Progress.none());
    }

    private long scalar(String query) throws SQLException {
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The reject rows of the newest load: file name, line, column, raw value, reason. */
    private List<List<String>> lastRejects() throws SQLException {
        List<List<String>> out = new ArrayList<>();
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select regexp_replace(file, '^.*/', ''), row_number, column_name, raw_value, "
                     + "reason from ingest.reject where load_id = (select max(load_id) from ingest.load) "
                     + "order by row_number")) {
            while (rs.next()) {
                out.add(java.util.Arrays.asList(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5)));
            }
        }
        return out;
    }

    private void assertTheThreeDirtyRows(List<List<String>> rejects) {
        assertThat(rejects).hasSize(3);
        assertThat(rejects.get(0)).containsExactly("orders.txt", "3", "Amount", "abc", "not a number for DECIMAL(10,2)");
        assertThat(rejects.get(1)).containsExactly("orders.txt", "4", null, "3|Cy|7.25",
                "expected 4 fields separated by '|', found 3");
        assertThat(rejects.get(2).subList(0, 4)).containsExactly("orders.txt", "5", "OrderDay", "2026-13-45");
        assertThat(rejects.get(2).get(4)).startsWith("not a DATE for DATE_FORMAT 'yyyy-MM-dd'");
    }

    @Test
    void dirtyRowsOfAStreamedLoadGoToTheRejectTableAndEachLoadIsItsOwnTransaction() throws SQLException {
        run("truncate stg.orders");
        String insert = "INSERT INTO stg.orders SELECT * FROM ext.orders";
        ExternalSql.Result first = run(insert);
        assertThat(first.updateCount()).hasValue(ROWS - 3);
        assertThat(first.notices()).anySatisfy(n -> assertThat(n).contains("3 rows rejected"));
        assertTheThreeDirtyRows(lastRejects());
        long firstLoad = scalar("select max(load_id) from ingest.load");
        // the same statement again: a second load of its own, with its own three rejects
        run(insert);
        assertThat(scalar("select count(*) from stg.orders")).isEqualTo(2L * (ROWS - 3));
        assertThat(scalar("select max(load_id) from ingest.load")).isGreaterThan(firstLoad);
        assertTheThreeDirtyRows(lastRejects());
        assertThat(scalar("select count(*) from stg.orders where customer = 'Zoë 7'")).isEqualTo(2);
    }

    @Test
    void dirtyRowsOfALoadThroughCalciteGoToTheRejectTableToo() throws SQLException {
        run("truncate stg.orders");
        // an expression and a filter: Calcite runs the query, its scan rejects the same rows
        ExternalSql.Result r = run("INSERT INTO stg.orders SELECT OrderId, upper(Customer), Amount * 2, OrderDay "
                + "FROM ext.orders WHERE OrderId > 0");
        assertThat(r.updateCount()).hasValue(ROWS - 3);
        assertThat(r.notices()).anySatisfy(n -> assertThat(n).contains("3 rows rejected"));
        assertTheThreeDirtyRows(lastRejects());
        assertThat(scalar("select rows_rejected from ingest.load order by load_id desc limit 1")).isEqualTo(3);
        assertThat(scalar("select sum(amount)::bigint from stg.orders where order_id = 5")).isEqualTo(11);
    }

    @Test
    void aBrokenPercentageThresholdFailsTheLoadNamingItAndLeavesNothing() throws SQLException {
        run("truncate stg.orders");
        long loads = scalar("select count(*) from ingest.load");
        for (String insert : List.of("INSERT INTO stg.orders SELECT * FROM ext.orders_strict",
                "INSERT INTO stg.orders SELECT OrderId, Customer, Amount, OrderDay FROM ext.orders_strict "
                        + "WHERE OrderDay IS NOT NULL")) {
            assertThatThrownBy(() -> run(insert))
                    .as(insert)
                    .isInstanceOf(ExternalException.class)
                    .satisfies(e -> assertThat(((ExternalException) e).code())
                            .isEqualTo(ExternalErrorCode.REJECT_LIMIT_EXCEEDED))
                    .hasMessageContaining("ext.orders_strict: 3 of 10 rows rejected, more than REJECT_TYPE = "
                            + "PERCENTAGE, REJECT_VALUE = 10, REJECT_SAMPLE_VALUE = 10 allows")
                    .hasMessageContaining("orders.txt row 3, column Amount: 'abc' (not a number for DECIMAL(10,2))")
                    .hasMessageContaining("orders.txt row 4: '3|Cy|7.25' (expected 4 fields")
                    .hasMessageContaining("orders.txt row 5, column OrderDay: '2026-13-45'")
                    .hasMessageContaining("nothing was loaded")
                    .satisfies(e -> assertThat(e.getMessage().lines().count()).isOne());
            assertThat(scalar("select count(*) from stg.orders")).isZero();
            assertThat(scalar("select count(*) from ingest.load")).isEqualTo(loads);
        }
    }
}
