package org.wwi.elt;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.wwi.platform.Database;
import org.wwi.sample.GenerationResult;
import org.wwi.testkit.WwiPostgres;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The four WWI pipelines on a generated lake, read through the real external tables. */
@ExtendWith(WwiPostgres.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TestWwiPipelines {
    @TempDir
    static Path tmp;
    private static TestingWarehouse warehouse;
    private static GenerationResult generated;
    private static RunResult first;

    @BeforeAll
    static void firstRun(Database db) {
        Path lake = tmp.resolve("lake");
        generated = TestingWarehouse.generate(lake, 20_000, 5);
        warehouse = TestingWarehouse.prepare(db, tmp, lake);
        first = run("weblogs_daily");
    }

    static RunResult run(String pipeline) {
        try (Elt elt = warehouse.elt()) {
            return elt.run(pipeline, RunOptions.manual(), RunListener.none());
        }
    }

    static List<List<Object>> rows(String query) {
        try (Connection c = warehouse.db.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(query)) {
            List<List<Object>> out = new ArrayList<>();
            while (rs.next()) {
                List<Object> r = new ArrayList<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    r.add(rs.getObject(i));
                }
                out.add(r);
            }
            return out;
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    static long count(String query) {
        return ((Number) rows(query).get(0).get(0)).longValue();
    }

    static StepResult step(RunResult r, String name) {
        return r.steps().stream().filter(s -> s.step().equals(name)).findFirst().orElseThrow();
    }

    @Test
    @Order(1)
    void factTotalsEqualAnIndependentReadingOfTheParquetFiles() {
        assertThat(first.status()).as(first.toString()).isEqualTo("succeeded");
        ParquetTotals expected = ParquetTotals.of(warehouse.lake.resolve("weblogs"));
        assertThat(expected.rows()).isEqualTo(20_000);
        assertThat(count("select count(*) from dw.fact_web_event")).isEqualTo(expected.rows());
        assertThat((BigDecimal) rows("select sum(total) from dw.fact_web_event where action = 'Purchased'").get(0).get(0))
                .isEqualByComparingTo(expected.revenue());
        assertThat(count("select count(distinct user_id) from dw.fact_web_event")).isEqualTo(expected.distinctUsers());
        Map<String, Long> perAction = new TreeMap<>();
        rows("select action, count(*) from dw.fact_web_event group by action")
                .forEach(r -> perAction.put((String) r.get(0), ((Number) r.get(1)).longValue()));
        assertThat(perAction).isEqualTo(expected.rowsPerAction());
        assertThat(count("select count(distinct source_file) from dw.fact_web_event")).isEqualTo(expected.files());
        assertThat(count("select sum(action_points) from dw.fact_web_event")).isEqualTo(
                30 * expected.rowsPerAction().get("Browsed") + 70 * expected.rowsPerAction().get("Add To Cart")
                        + 100 * expected.rowsPerAction().get("Purchased"));
        // sales: the purchases plus the store sales
        assertThat(count("select count(*) from dw.fact_sales where channel_key <> 1"))
                .isEqualTo(expected.rowsPerAction().get("Purchased"));
        assertThat(count("select count(*) from dw.fact_sales where channel_key = 1"))
                .isEqualTo(generated.rowsPerDataset().get("store_sales"));
        assertThat(count("select count(*) from dw.dim_product where is_current")).isEqualTo(60);
        assertThat(count("select count(*) from dw.dim_customer where user_id > 0")).isEqualTo(500);
        assertThat(count("select count(*) from dw.dim_product where category = 'Unknown'")).isZero();
        // the rollups add up to the facts
        assertThat((BigDecimal) rows("select sum(revenue) from mart.rollup_web_events_daily").get(0).get(0))
                .isEqualByComparingTo(expected.revenue());
        assertThat((BigDecimal) rows("select sum(revenue) from mart.rollup_sales_daily").get(0).get(0))
                .isEqualByComparingTo((BigDecimal) rows("select sum(total) from dw.fact_sales").get(0).get(0));
        assertThat(count("select count(*) from stg.weblog")).as("staging emptied").isZero();
        // the semantic model's rollups, built through its Rollups API
        assertThat(step(first, "model_rollups").status()).isEqualTo("succeeded");
        assertThat(step(first, "model_rollups").rowsOut().orElseThrow()).isPositive();
        assertThat(count("select count(*) from mart.rollup_state")).isPositive()
                .isEqualTo(count("select count(*) from elt.lineage where run_id = " + first.runId()
                        + " and step = 'model_rollups' and direction = 'write'"));
        assertThat(step(first, "data_tests").status()).as("freshness warns: the sample is in the past")
                .isIn("warned", "succeeded");
    }

    @Test
    @Order(1)
    void eachRunsLineageIsQueryableFromTheLedger() {
        long run = first.runId();
        assertThat(rows("select direction, object_type, object_name from elt.lineage where run_id = " + run
                + " and step = 'fact_web_event' order by 1, 2, 3")).contains(
                List.of("read", "table", "dw.dim_customer"), List.of("read", "table", "dw.dim_product"),
                List.of("read", "table", "stg.weblog"), List.of("write", "table", "dw.fact_web_event"));
        // the files behind the facts: what the step that wrote stg.weblog read in that run
        List<List<Object>> files = rows("select read_object from elt.table_lineage where run_id = " + run
                + " and written_table = 'stg.weblog' and read_type = 'file' order by 1");
        assertThat(files).hasSize((int) ParquetTotals.of(warehouse.lake.resolve("weblogs")).files());
        assertThat(rows("select distinct source_file from dw.fact_web_event where load_run_id = " + run + " order by 1"))
                .isEqualTo(files);
        assertThat(rows("select read_object from elt.table_lineage where run_id = " + run
                + " and written_table = 'stg.weblog' and read_type = 'external_table'"))
                .containsExactly(List.of("ext.weblogs"));
        // the question of docs/ELT.md: what did the steps that wrote the facts read?
        assertThat(rows("select distinct l.object_type, l.object_name, r.run_id from elt.table_lineage t "
                + "join elt.lineage l using (run_id, step) join elt.run r using (run_id) "
                + "where t.written_table = 'dw.fact_web_event' and l.direction = 'read' order by 2"))
                .contains(List.of("table", "stg.weblog", run), List.of("table", "dw.dim_product", run));
        // and the rollup built from the facts names them as its source
        assertThat(rows("select read_object from elt.table_lineage where run_id = " + run
                + " and written_table = 'mart.rollup_web_events_daily'")).contains(List.of("dw.fact_web_event"));
    }

    @Test
    @Order(2)
    void aRerunLoadsNothingNew() {
        long facts = count("select count(*) from dw.fact_web_event");
        RunResult again = run("weblogs_daily");
        assertThat(again.status()).isEqualTo("succeeded");
        assertThat(again.filesLoaded()).isZero();
        assertThat(again.steps().stream().filter(s -> !s.kind().equals("load")))
                .allSatisfy(s -> assertThat(s.status()).isEqualTo("skipped"));
        assertThat(count("select count(*) from dw.fact_web_event")).isEqualTo(facts);
        assertThat(count("select count(*) from elt.file where pipeline = 'weblogs_daily'")).isEqualTo(first.filesLoaded());
    }

    @Test
    @Order(3)
    void aNewDayLoadsOnlyThatDay() throws IOException {
        Path more = tmp.resolve("more");
        TestingWarehouse.generate(more, 24_000, 6);
        Path day = more.resolve("weblogs/TransactionDay=2026-08-06");
        copy(day, warehouse.lake.resolve("weblogs/TransactionDay=2026-08-06"));
        ParquetTotals newDay = ParquetTotals.of(day);
        long before = count("select count(*) from dw.fact_web_event");
        RunResult r = run("weblogs_daily");
        assertThat(r.status()).isEqualTo("succeeded");
        assertThat(step(r, "load_weblogs").files()).isEqualTo((int) newDay.files());
        assertThat(step(r, "load_weblogs").rowsOut()).hasValue(newDay.rows());
        assertThat(count("select count(*) from dw.fact_web_event")).isEqualTo(before + newDay.rows());
        ParquetTotals all = ParquetTotals.of(warehouse.lake.resolve("weblogs"));
        assertThat((BigDecimal) rows("select sum(total) from dw.fact_web_event where action = 'Purchased'").get(0).get(0))
                .isEqualByComparingTo(all.revenue());
        assertThat(step(r, "rollup_web_events_daily").status()).isEqualTo("succeeded");
        assertThat(step(r, "rollup_web_events_daily").message()).hasValue("incremental: 1 date_key values rebuilt, "
                + "the other rows copied");
        assertThat((BigDecimal) rows("select sum(revenue) from mart.rollup_web_events_daily").get(0).get(0))
                .isEqualByComparingTo(all.revenue());
        assertThat(count("select sum(events) from mart.rollup_web_events_daily")).isEqualTo(all.rows());
        assertThat((BigDecimal) rows("select sum(revenue) from mart.rollup_sales_daily").get(0).get(0))
                .isEqualByComparingTo((BigDecimal) rows("select sum(total) from dw.fact_sales").get(0).get(0));
        // the semantic model's rollups merged the new facts in, distinct counts included
        assertThat(step(r, "model_rollups").message()).hasValue("9 of 9 rollups took in only the new facts");
        assertThat(count("select sum(visitors) from mart.visitors_by_region")).isEqualTo(count("select count(distinct "
                + "(c.region, e.customer_key)) from dw.fact_web_event e join dw.dim_customer c using (customer_key)"));
        assertThat(count("select sum(sessions) from mart.conversion_by_channel_month")).isEqualTo(count("select "
                + "count(distinct (c.channel_name, d.year_month, e.session_id)) from dw.fact_web_event e join "
                + "dw.dim_channel c using (channel_key) join dw.dim_date d using (date_key)"));
        assertThat(count("select sum(events) from mart.funnel_by_action_day")).isEqualTo(all.rows());
    }

    @Test
    @Order(4)
    void aCorruptFileFailsItsBatchClearlyAndStaysUnloaded() throws IOException {
        Path more = tmp.resolve("more");
        Path day7 = warehouse.lake.resolve("weblogs/TransactionDay=2026-08-07");
        Files.createDirectories(day7);
        try (Stream<Path> s = Files.list(more.resolve("weblogs/TransactionDay=2026-08-06"))) {
            for (Path p : s.filter(p -> p.getFileName().toString().startsWith("part-")).toList()) {
                Files.copy(p, day7.resolve(p.getFileName().toString().replace("part-00000", "part-00001")));
            }
        }
        Path corrupt = day7.resolve("part-00009-corrupt-c000.snappy.parquet");
        Files.write(corrupt, "PAR1 this is not what Spark wrote PAR1".getBytes());
        Files.createFile(day7.resolve("_SUCCESS"));
        Path incomplete = Files.createDirectories(warehouse.lake.resolve("weblogs/TransactionDay=2026-08-08"));
        Files.copy(corrupt, incomplete.resolve("part-00000-x-c000.snappy.parquet"));
        long before = count("select count(*) from dw.fact_web_event");
        long ledger = count("select count(*) from elt.file");
        RunResult r = run("weblogs_daily");
        assertThat(r.status()).isEqualTo("failed");
        StepResult load = step(r, "load_weblogs");
        assertThat(load.status()).isEqualTo("failed");
        assertThat(load.message().orElseThrow()).startsWith("Cannot load " + corrupt.toUri().toString()
                .replace("file:///", "file:/") + " of ext.weblogs into stg.weblog: ")
                .contains("nothing of this batch of " + dataFiles(day7) + " files was loaded");
        assertThat(step(r, "fact_web_event").status()).isEqualTo("skipped");
        assertThat(step(r, "load_products").status()).isEqualTo("succeeded");
        assertThat(count("select count(*) from dw.fact_web_event")).isEqualTo(before);
        assertThat(count("select count(*) from elt.file")).isEqualTo(ledger);
        assertThat(count("select count(*) from stg.weblog")).isZero();
        assertThat(rows("select event, path from elt.file_event where run_id = " + r.runId())).containsExactly(
                List.of("failed", corrupt.toUri().toString().replace("file:///", "file:/")));
        // retried next run: still corrupt, still failing, still nothing of the batch loaded
        RunResult retried = run("weblogs_daily");
        assertThat(retried.status()).isEqualTo("failed");
        assertThat(step(retried, "load_weblogs").message()).isEqualTo(load.message());
        assertThat(count("select count(*) from dw.fact_web_event")).isEqualTo(before);
        assertThat(count("select count(*) from elt.file")).isEqualTo(ledger);
        // once removed (or rewritten whole by Spark), the good file of the day loads
        Files.delete(corrupt);
        RunResult fixed = run("weblogs_daily");
        assertThat(fixed.status()).isEqualTo("succeeded");
        assertThat(step(fixed, "load_weblogs").files()).isEqualTo(1);
        assertThat(step(fixed, "load_weblogs").message().orElseThrow()).contains("1 folder(s) without _SUCCESS skipped",
                "TransactionDay=2026-08-08");
        assertThat(count("select count(*) from dw.fact_web_event")).isGreaterThan(before);
    }

    @Test
    @Order(5)
    void theRawExportIsCleanedWithRejectsAndReasons() {
        RunResult r = run("raw_weblog_cleanup");
        assertThat(r.status()).as(r.toString()).isEqualTo("succeeded");
        assertThat(generated.dirtyRawRows()).isPositive();
        assertThat(count("select count(*) from elt.reject where run_id = " + r.runId())).isEqualTo(generated.dirtyRawRows());
        assertThat(count("select count(*) from dw.weblog_clean")).isEqualTo(20_000 - generated.dirtyRawRows());
        assertThat(rows("select distinct column_name from elt.reject where run_id = " + r.runId()))
                .containsExactly(List.of("TransactionDate"));
        assertThat(count("select count(*) from elt.reject where run_id = " + r.runId() + " and file like '%weblog.txt' "
                + "and row_number > 1 and reason <> ''")).isEqualTo(generated.dirtyRawRows());
        assertThat(run("raw_weblog_cleanup").filesLoaded()).isZero();
    }

    @Test
    @Order(6)
    void recommendationsKeepTheTopTenPerUser() {
        RunResult r = run("recommendations");
        assertThat(r.status()).as(r.toString()).isEqualTo("succeeded");
        assertThat(count("select count(*) from mart.user_recommendations")).isEqualTo(500 * 10);
        assertThat(count("select count(distinct user_id) from mart.user_recommendations")).isEqualTo(500);
        List<List<Object>> top = rows("select product_id, product_name, price, prediction "
                + "from mart.recommended_products(42)");
        assertThat(top).hasSize(10);
        assertThat(top).allSatisfy(row -> assertThat(row.get(1)).isNotNull());
        assertThat(rows("select * from mart.recommended_products(42, 3)")).isEqualTo(top.subList(0, 3));
        List<Float> predictions = top.stream().map(x -> (Float) x.get(3)).toList();
        assertThat(predictions).isSortedAccordingTo((a, b) -> Float.compare(b, a));
    }

    @Test
    @Order(7)
    void chatTranscriptsAreSearchable() {
        RunResult r = run("chat_transcripts");
        assertThat(r.status()).as(r.toString()).isEqualTo("succeeded");
        assertThat(count("select count(*) from dw.chat_transcript")).isEqualTo(generated.rowsPerDataset().get("chat"));
        assertThat(count("select count(*) from dw.search_chats('peacock decor')")).isPositive();
        assertThat(count("select count(*) from dw.search_chats('\"real person\"')")).isPositive();
        assertThat(rows("select conversation_id from dw.search_chats('peacock decor', 50)"))
                .contains(List.of("WWI-CS-000001"));
        assertThat(count("select count(*) from dw.chat_transcript where search @@ "
                + "websearch_to_tsquery('english', 'peacock decor')")).isPositive();
        assertThat(count("select count(*) from elt.reject where run_id = " + r.runId())).isZero();
    }

    private static long dataFiles(Path folder) throws IOException {
        try (Stream<Path> s = Files.list(folder)) {
            return s.filter(p -> p.getFileName().toString().startsWith("part-")).count();
        }
    }

    private static void copy(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> s = Files.list(from)) {
            for (Path p : s.toList()) {
                Files.copy(p, to.resolve(p.getFileName().toString()));
            }
        }
    }
}
