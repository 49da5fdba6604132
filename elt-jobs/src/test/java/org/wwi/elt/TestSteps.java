package org.wwi.elt;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.wwi.migrations.Migrations;
import org.wwi.platform.Database;
import org.wwi.testkit.WwiPostgres;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The step kinds and run rules on a real warehouse, with files kept in memory ({@link TestingSources}). */
@ExtendWith(WwiPostgres.class)
class TestSteps {
    private static Database db;

    @BeforeAll
    static void migrate(Database database) {
        db = database;
        Migrations.forProject(TestingWarehouse.ROOT).migrate(db);
    }

    static Pipeline pipeline(String name, String yaml, Map<String, String> files) {
        return PipelineReader.read(name + ".yaml", name, yaml, f -> Optional.ofNullable(files.get(f)));
    }

    static RunResult run(Pipeline p, TestingSources sources) {
        return run(p, sources, RunOptions.manual());
    }

    static RunResult run(Pipeline p, TestingSources sources, RunOptions options) {
        try (Elt elt = Elt.of(db, List.of(p), sources, RollupRefresher.unavailable(), "test")) {
            return elt.run(p.name(), options, RunListener.none());
        }
    }

    static void sql(String... statements) {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            for (String st : statements) {
                s.execute(st);
            }
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    static List<List<Object>> rows(String query) {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(query)) {
            List<List<Object>> out = new ArrayList<>();
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<Object> r = new ArrayList<>();
                for (int i = 1; i <= n; i++) {
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

    static Map<String, Object> user(int id, String name) {
        return Map.of("user_id", id, "name", name);
    }

    static StepResult step(RunResult r, String name) {
        return r.steps().stream().filter(s -> s.step().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void mergeUpsertsTheNewestRowPerKeyAndRerunsLoadNothing() {
        sql("create table stg.m_user (user_id int, name text, elt_file_id bigint not null default elt.current_file_id())",
                "create table dw.m_user (user_id int primary key, name text, updated int not null default 0)");
        Pipeline p = pipeline("merge_users", """
                steps:
                  - {name: load, kind: load, from: ext.users, into: stg.m_user}
                  - {name: users, kind: merge, depends_on: load, from: stg.m_user, into: dw.m_user, key: [user_id],
                     columns: [name], set: {updated: t.updated + 1}}
                """, Map.of());
        TestingSources src = new TestingSources().put("ext.users", "file:/lake/users/part-0.parquet",
                List.of(user(1, "Ann"), user(2, "Bob")));
        RunResult first = run(p, src);
        assertThat(first.status()).isEqualTo("succeeded");
        assertThat(step(first, "load").rowsOut()).hasValue(2);
        assertThat(step(first, "users").rowsOut()).hasValue(2);
        src.put("ext.users", "file:/lake/users/part-1.parquet", List.of(user(2, "Bobby"), user(3, "Cy"), user(1, "Ann")));
        RunResult second = run(p, src);
        assertThat(step(second, "load").files()).isEqualTo(1);
        assertThat(step(second, "users").rowsIn()).hasValue(3);
        assertThat(step(second, "users").rowsOut()).as("Ann is unchanged: not updated").hasValue(2);
        assertThat(rows("select user_id, name, updated from dw.m_user order by user_id")).containsExactly(
                List.of(1, "Ann", 0), List.of(2, "Bobby", 1), List.of(3, "Cy", 0));
        int loads = src.loads;
        RunResult third = run(p, src);
        assertThat(src.loads).isEqualTo(loads);
        assertThat(third.filesLoaded()).isZero();
        assertThat(step(third, "users").status()).isEqualTo("skipped");
        assertThat(step(third, "users").message()).contains("no new data since its last run");
        assertThat(count("select count(*) from stg.m_user")).as("staging emptied after success").isZero();
    }

    @Test
    void scd2KeepsHistoryAndClosesHardDeletes() {
        sql("create table stg.s_product (product_id int, name text, price numeric(10,2), "
                        + "elt_file_id bigint not null default elt.current_file_id())",
                "create table dw.s_product (product_key bigint generated always as identity primary key, "
                        + "product_id int not null, name text, price numeric(10,2), valid_from timestamptz not null, "
                        + "valid_to timestamptz not null, is_current boolean not null, row_hash text)");
        Pipeline p = pipeline("scd2_products", """
                steps:
                  - {name: load, kind: load, from: ext.products, into: stg.s_product}
                  - {name: products, kind: scd2, depends_on: load, from: stg.s_product, into: dw.s_product,
                     key: [product_id], columns: [name, price], hash_column: row_hash, hard_deletes: close}
                """, Map.of());
        TestingSources src = new TestingSources().put("ext.products", "file:/lake/products/part-a.parquet", List.of(
                Map.of("product_id", 1, "name", "Vase", "price", 10), Map.of("product_id", 2, "name", "Mug", "price", 5),
                Map.of("product_id", 3, "name", "Torch", "price", 20)));
        assertThat(run(p, src).status()).isEqualTo("succeeded");
        assertThat(rows("select product_id, valid_from::text, valid_to::text, is_current from dw.s_product order by 1"))
                .containsExactly(List.of(1, "-infinity", "infinity", true), List.of(2, "-infinity", "infinity", true),
                        List.of(3, "-infinity", "infinity", true));
        // Spark rewrites the snapshot: the Mug's price changes, the Torch is gone, a Lamp is new
        src.remove("ext.products", "file:/lake/products/part-a.parquet").put("ext.products",
                "file:/lake/products/part-b.parquet", List.of(Map.of("product_id", 1, "name", "Vase", "price", 10),
                        Map.of("product_id", 2, "name", "Mug", "price", 6), Map.of("product_id", 4, "name", "Lamp",
                                "price", 30)));
        RunResult second = run(p, src);
        assertThat(second.status()).isEqualTo("succeeded");
        Instant asOf = ((java.sql.Timestamp) rows("select started_at from elt.run where run_id = "
                + second.runId()).get(0).get(0)).toInstant();
        assertThat(rows("select product_id, price::text, is_current, valid_to = 'infinity', "
                + "valid_from = '-infinity' from dw.s_product order by product_id, valid_from")).containsExactly(
                List.of(1, "10.00", true, true, true),
                List.of(2, "5.00", false, false, true),
                List.of(2, "6.00", true, true, false),
                List.of(3, "20.00", false, false, true),
                List.of(4, "30.00", true, true, true));
        assertThat(count("select count(*) from dw.s_product where not is_current and valid_to = '"
                + asOf + "'::timestamptz")).as("closed at the run's time").isEqualTo(2);
        assertThat(count("select count(*) from dw.s_product where product_id = 2 and is_current and valid_from = '"
                + asOf + "'::timestamptz")).isEqualTo(1);
        assertThat(count("select count(*) from dw.s_product where row_hash is null")).isZero();
        assertThat(step(second, "products").rowsOut()).as("2 closed, 2 inserted").hasValue(4);
    }

    @Test
    void aFileChangedAfterLoadingIsReportedNotReloaded() {
        sql("create table stg.c_user (user_id int, name text, elt_file_id bigint not null default elt.current_file_id())");
        Pipeline p = pipeline("changed_files", """
                steps: [{name: load, kind: load, from: ext.users, into: stg.c_user}]
                """, Map.of());
        TestingSources src = new TestingSources().put("ext.users", "file:/lake/u/part-0.parquet",
                List.of(user(1, "Ann")));
        run(p, src);
        src.touch("ext.users", "file:/lake/u/part-0.parquet").incompleteFolder("file:/lake/u/day=2");
        RunResult r = run(p, src);
        StepResult load = step(r, "load");
        assertThat(load.status()).isEqualTo("warned");
        assertThat(load.files()).isZero();
        assertThat(load.message().orElseThrow()).contains("1 file changed after loading, not reloaded",
                "1 folder(s) without _SUCCESS skipped", "file:/lake/u/day=2");
        assertThat(rows("select event, path from elt.file_event where run_id = " + r.runId())).containsExactly(
                List.of("changed", "file:/lake/u/part-0.parquet"));
        assertThat(rows("select detail from elt.file_event where run_id = " + r.runId()).get(0).get(0).toString())
                .contains("not reloaded", "size");
        run(p, src);
        assertThat(rows("select size_bytes, modified_at::text from elt.file_event where path = 'file:/lake/u/part-0.parquet' and target_table = 'stg.c_user'"))
                .as("the same change is reported once").hasSize(1);
        assertThat(count("select count(*) from elt.file where target_table = 'stg.c_user'")).isEqualTo(1);
    }

    @Test
    void aCorruptFileLoadsNothingOfItsBatchAndIsRetried() {
        sql("create table stg.k_user (user_id int, name text, elt_file_id bigint not null default elt.current_file_id())",
                "create table dw.k_user (user_id int primary key, name text)");
        Pipeline p = pipeline("corrupt_batch", """
                steps:
                  - {name: load, kind: load, from: ext.users, into: stg.k_user}
                  - {name: users, kind: merge, depends_on: load, from: stg.k_user, into: dw.k_user, key: user_id,
                     columns: [name]}
                """, Map.of());
        Instant t = Instant.parse("2026-08-02T00:00:00Z");
        TestingSources src = new TestingSources()
                .put("ext.users", "file:/lake/u/part-0.parquet", Map.of(), List.of(user(1, "Ann"), user(2, "Bob")), false, t)
                .put("ext.users", "file:/lake/u/part-1.parquet", Map.of(), List.of(user(3, "Cy"), user(4, "Di")), true, t)
                .put("ext.users", "file:/lake/u/part-2.parquet", Map.of(), List.of(user(5, "Ed")), false, t);
        RunResult r = run(p, src);
        assertThat(r.status()).isEqualTo("failed");
        StepResult load = step(r, "load");
        assertThat(load.status()).isEqualTo("failed");
        assertThat(load.message().orElseThrow()).startsWith("Cannot load file:/lake/u/part-1.parquet of ext.users "
                + "into stg.k_user: Cannot read file:/lake/u/part-1.parquet: not a Parquet file").contains(
                "nothing of this batch of 3 files was loaded", "retried by the next run");
        assertThat(step(r, "users").status()).isEqualTo("skipped");
        assertThat(step(r, "users").message()).contains("skipped: it depends on load, which failed");
        assertThat(count("select count(*) from elt.file where pipeline = 'corrupt_batch'")).isZero();
        assertThat(count("select count(*) from stg.k_user")).isZero();
        assertThat(rows("select event, path from elt.file_event where run_id = " + r.runId())).containsExactly(
                List.of("failed", "file:/lake/u/part-1.parquet"));
        assertThat(r.message()).hasValueSatisfying(m -> assertThat(m).contains("failed steps: load"));
        assertThatThrownBy(r::orThrow).hasMessageContaining("Cannot finish run " + r.runId())
                .hasMessageContaining("see wwi elt show " + r.runId());
        // the file is fixed (Spark wrote it again): the whole batch loads
        src.put("ext.users", "file:/lake/u/part-1.parquet", Map.of(), List.of(user(3, "Cy"), user(4, "Di")), false, t);
        RunResult again = run(p, src);
        assertThat(again.status()).isEqualTo("succeeded");
        assertThat(step(again, "load").files()).isEqualTo(3);
        assertThat(count("select count(*) from dw.k_user")).isEqualTo(5);
    }

    @Test
    void perFileBatchesLoadTheGoodFilesAndReportTheBadOne() {
        sql("create table stg.f_user (user_id int, name text, elt_file_id bigint not null default elt.current_file_id())",
                "create table dw.f_user (user_id int primary key, name text)");
        Pipeline p = pipeline("per_file_batch", """
                steps:
                  - {name: load, kind: load, from: ext.users, into: stg.f_user, batch: per_file}
                  - {name: users, kind: merge, depends_on: load, from: stg.f_user, into: dw.f_user, key: user_id,
                     columns: [name]}
                """, Map.of());
        Instant t = Instant.parse("2026-08-02T00:00:00Z");
        TestingSources src = new TestingSources()
                .put("ext.users", "file:/lake/u/part-0.parquet", Map.of(), List.of(user(1, "Ann"), user(2, "Bob")), false, t)
                .put("ext.users", "file:/lake/u/part-1.parquet", Map.of(), List.of(user(3, "Cy"), user(4, "Di")), true, t)
                .put("ext.users", "file:/lake/u/part-2.parquet", Map.of(), List.of(user(5, "Ed")), false, t);
        RunResult r = run(p, src);
        assertThat(r.status()).isEqualTo("succeeded");
        assertThat(step(r, "load").status()).isEqualTo("warned");
        assertThat(step(r, "load").files()).isEqualTo(2);
        assertThat(step(r, "load").message().orElseThrow()).contains("1 of 3 files failed and stay unloaded",
                "part-1.parquet", "not a Parquet file");
        assertThat(rows("select user_id from dw.f_user order by 1")).containsExactly(List.of(1), List.of(2), List.of(5));
        assertThat(rows("select path from elt.file where pipeline = 'per_file_batch' order by path")).containsExactly(
                List.of("file:/lake/u/part-0.parquet"), List.of("file:/lake/u/part-2.parquet"));
        src.put("ext.users", "file:/lake/u/part-1.parquet", Map.of(), List.of(user(3, "Cy"), user(4, "Di")), false, t);
        RunResult again = run(p, src);
        assertThat(step(again, "load").files()).isEqualTo(1);
        assertThat(count("select count(*) from dw.f_user")).isEqualTo(5);
    }

    @Test
    void failingTestsFailTheRunAndKeepTheRollupFromSwapping() {
        sql("create table stg.t_sale (sale_id int, amount int, kind text, "
                        + "elt_file_id bigint not null default elt.current_file_id())",
                "create table dw.t_sale (sale_id int primary key, amount int, kind text)");
        Pipeline p = pipeline("tested", """
                steps:
                  - {name: load, kind: load, from: ext.sales, into: stg.t_sale}
                  - {name: sales, kind: merge, depends_on: load, from: stg.t_sale, into: dw.t_sale, key: sale_id,
                     columns: [amount, kind]}
                  - name: checks
                    kind: test
                    depends_on: sales
                    tests:
                      - not_null: {table: dw.t_sale, column: amount}
                      - accepted_values: {table: dw.t_sale, column: kind, values: [web, store]}
                        severity: warn
                      - row_count: {table: dw.t_sale, min_rows: 1, max_increase_percent: 100}
                      - relationships: {table: dw.t_sale, column: sale_id, to: dw.t_sale}
                      - unique: {table: dw.t_sale, columns: [kind], where: "amount > ${threshold}"}
                  - {name: rollup, kind: refresh, depends_on: checks, table: mart.t_rollup, sql: rollup.sql}
                parameters: {threshold: "1000"}
                """, Map.of("rollup.sql", "select kind, sum(amount) as amount from dw.t_sale group by kind"));
        TestingSources src = new TestingSources().put("ext.sales", "file:/s/0.parquet", List.of(
                Map.of("sale_id", 1, "amount", 10, "kind", "web"), Map.of("sale_id", 2, "amount", 20, "kind", "shop")));
        RunResult r = run(p, src);
        assertThat(step(r, "checks").status()).isEqualTo("warned");
        assertThat(step(r, "checks").message().orElseThrow()).contains("accepted_values(dw.t_sale.kind): 1 rows "
                + "with kind outside [web, store]");
        assertThat(step(r, "rollup").status()).isEqualTo("succeeded");
        assertThat(rows("select kind, amount from mart.t_rollup order by kind")).containsExactly(
                List.of("shop", 20L), List.of("web", 10L));
        src.put("ext.sales", "file:/s/1.parquet", List.of(new java.util.HashMap<>(Map.of("sale_id", 3, "kind", "web")),
                Map.of("sale_id", 4, "amount", 5, "kind", "web"), Map.of("sale_id", 5, "amount", 5, "kind", "web")));
        RunResult bad = run(p, src);
        assertThat(bad.status()).isEqualTo("failed");
        assertThat(step(bad, "checks").status()).isEqualTo("failed");
        assertThat(step(bad, "checks").message().orElseThrow()).contains("2 of 5 tests failed",
                "not_null(dw.t_sale.amount): 1 rows with NULL in amount",
                "row_count(dw.t_sale): 5 rows, up 150.0% from 2 (max_increase_percent 100)");
        assertThat(step(bad, "rollup").status()).isEqualTo("skipped");
        assertThat(rows("select kind, amount from mart.t_rollup order by kind")).as("the rollup is not rebuilt")
                .containsExactly(List.of("shop", 20L), List.of("web", 10L));
        assertThat(rows("select test, status from elt.test_result where run_id = " + bad.runId() + " order by test"))
                .containsExactly(List.of("accepted_values(dw.t_sale.kind)", "warned"),
                        List.of("not_null(dw.t_sale.amount)", "failed"),
                        List.of("relationships(dw.t_sale.sale_id)", "passed"),
                        List.of("row_count(dw.t_sale)", "failed"),
                        List.of("unique(dw.t_sale.kind)", "passed"));
        // the data is fixed: the tests run again (their batch still waits), pass, and the rollup is rebuilt
        sql("update dw.t_sale set amount = 1 where amount is null");
        RunResult fixed = run(p, src);
        assertThat(fixed.filesLoaded()).isZero();
        assertThat(step(fixed, "checks").status()).isEqualTo("failed").as("5 rows are still up 150% from 2");
        assertThat(step(fixed, "checks").message().orElseThrow()).contains("row_count").doesNotContain("not_null");
    }

    @Test
    void refreshRefusesEmptyAndShrunkenResults() {
        sql("create table dw.r_fact (k int, v int)", "insert into dw.r_fact select g, g from generate_series(1, 10) g");
        Pipeline p = pipeline("rollups", """
                parameters: {max_k: "100"}
                steps:
                  - {name: r, kind: refresh, table: mart.r_rollup, sql: r.sql, indexes: [k], max_shrink_percent: 20}
                """, Map.of("r.sql", "select k, sum(v) as v from dw.r_fact where k <= ${max_k} group by k;"));
        assertThat(run(p, new TestingSources()).status()).isEqualTo("succeeded");
        assertThat(count("select count(*) from mart.r_rollup")).isEqualTo(10);
        assertThat(count("select count(*) from pg_indexes where schemaname = 'mart' and indexname = 'r_rollup_k_idx'"))
                .isEqualTo(1);
        RunResult shrunk = run(p, new TestingSources(), RunOptions.manual().withParameters(Map.of("max_k", "7")));
        assertThat(shrunk.status()).isEqualTo("failed");
        assertThat(step(shrunk, "r").message().orElseThrow()).isEqualTo("Cannot refresh mart.r_rollup: the new result "
                + "has 7 rows, 30.0% fewer than the current 10 (max_shrink_percent 20.0; the current table stays; raise "
                + "max_shrink_percent if the shrink is right)");
        RunResult empty = run(p, new TestingSources(), RunOptions.manual().withParameters(Map.of("max_k", "0")));
        assertThat(step(empty, "r").message().orElseThrow()).startsWith("Cannot refresh mart.r_rollup: the new "
                + "result is empty (the current table keeps its 10 rows");
        assertThat(count("select count(*) from mart.r_rollup")).isEqualTo(10);
        assertThat(count("select count(*) from pg_class where relname = 'r_rollup__elt_new'")).isZero();
        RunResult smaller = run(p, new TestingSources(), RunOptions.manual().withParameters(Map.of("max_k", "9")));
        assertThat(smaller.status()).isEqualTo("succeeded");
        assertThat(count("select count(*) from mart.r_rollup")).isEqualTo(9);
        assertThatThrownBy(() -> run(p, new TestingSources(), RunOptions.manual().withParameters(Map.of("nope", "1"))))
                .hasMessageContaining("Cannot run pipeline rollups with parameter nope: it has no such parameter");
    }

    @Test
    void anIncrementalRefreshRebuildsOnlyTheChangedKeys() {
        sql("create table stg.i_sale (day int, amount int, elt_file_id bigint not null default elt.current_file_id())",
                "create table dw.i_sale (day int, amount int, source_file text)");
        String yaml = """
                steps:
                  - {name: load, kind: load, from: ext.sales, into: stg.i_sale}
                  - {name: facts, kind: sql, depends_on: load, file: facts.sql}
                  - name: rollup
                    kind: refresh
                    depends_on: facts
                    table: mart.i_rollup
                    sql: rollup.sql
                    incremental:
                      column: day
                      changed: select distinct day from dw.i_sale where source_file in ${batch_paths}
                """;
        Map<String, String> files = Map.of("facts.sql", "insert into dw.i_sale select s.day, s.amount, f.path from "
                + "stg.i_sale s join elt.file f on f.file_id = s.elt_file_id where s.elt_file_id in ${batch_files}",
                "rollup.sql", "select day, sum(amount) as amount, count(*) as n from dw.i_sale group by day");
        Pipeline p = pipeline("incremental", yaml, files);
        TestingSources src = new TestingSources().put("ext.sales", "file:/i/0.parquet", List.of(
                Map.of("day", 1, "amount", 10), Map.of("day", 2, "amount", 20)));
        RunResult first = run(p, src);
        assertThat(step(first, "rollup").message()).isEmpty();
        // a marker the incremental build must keep for day 1 (untouched) and replace for day 2
        sql("update mart.i_rollup set n = 99");
        src.put("ext.sales", "file:/i/1.parquet", List.of(Map.of("day", 2, "amount", 5), Map.of("day", 3, "amount", 7)));
        RunResult second = run(p, src);
        assertThat(step(second, "rollup").message()).hasValue("incremental: 2 day values rebuilt, the other rows copied");
        assertThat(rows("select day, amount, n from mart.i_rollup order by day")).containsExactly(
                List.of(1, 10L, 99L), List.of(2, 25L, 2L), List.of(3, 7L, 1L));
        // another SQL: the next refresh rebuilds everything
        Map<String, String> changed = new java.util.HashMap<>(files);
        changed.put("rollup.sql", "select day, sum(amount) as amount, count(*) as n from dw.i_sale where amount > 0 "
                + "group by day");
        src.put("ext.sales", "file:/i/2.parquet", List.of(Map.of("day", 3, "amount", 1)));
        RunResult third = run(pipeline("incremental", yaml, changed), src);
        assertThat(step(third, "rollup").message()).isEmpty();
        assertThat(rows("select day, amount, n from mart.i_rollup order by day")).containsExactly(
                List.of(1, 10L, 1L), List.of(2, 25L, 2L), List.of(3, 8L, 2L));
    }

    @Test
    void stagingSharedByTwoPipelinesKeepsTheOtherPipelinesRows() {
        sql("create table stg.z_user (user_id int, name text, elt_file_id bigint not null default elt.current_file_id())",
                "create table dw.z_user (user_id int primary key, name text)");
        Pipeline first = pipeline("shares_a", """
                steps:
                  - {name: load, kind: load, from: ext.users_a, into: stg.z_user}
                  - {name: users, kind: merge, depends_on: load, from: stg.z_user, into: dw.z_user, key: user_id,
                     columns: [name]}
                """, Map.of());
        Pipeline second = pipeline("shares_b", """
                steps:
                  - {name: load, kind: load, from: ext.users_b, into: stg.z_user}
                  - {name: check, kind: test, depends_on: load, tests: [{row_count: {table: dw.z_user, min_rows: 1000}}]}
                """, Map.of());
        TestingSources src = new TestingSources().put("ext.users_a", "file:/a/0.parquet", List.of(user(1, "Ann")))
                .put("ext.users_b", "file:/b/0.parquet", List.of(user(2, "Bob")));
        assertThat(run(second, src).status()).as("its test fails: its rows stay staged").isEqualTo("failed");
        assertThat(run(first, src).status()).isEqualTo("succeeded");
        assertThat(rows("select user_id from stg.z_user")).containsExactly(List.of(2));
    }

    @Test
    void aRunningPipelineIsNotRunTwice() throws Exception {
        sql("create table stg.l_user (user_id int, name text, elt_file_id bigint not null default elt.current_file_id())");
        Pipeline p = pipeline("locked", "steps: [{name: load, kind: load, from: ext.users, into: stg.l_user}]\n",
                Map.of());
        TestingSources src = new TestingSources().put("ext.users", "file:/u/0.parquet", List.of(user(1, "Ann")));
        Instant fire = Instant.parse("2026-08-01T02:15:00Z");
        try (Connection other = db.dataSource().getConnection()) {
            assertThat(Runner.lock(other, "locked")).isTrue();
            assertThatThrownBy(() -> run(p, src)).isInstanceOf(EltException.class)
                    .satisfies(e -> assertThat(((EltException) e).code()).isEqualTo(EltErrorCode.RUN_IN_PROGRESS))
                    .hasMessageStartingWith("Cannot run pipeline locked: it is running");
            // a scheduled run waits for the lock, at most its bound: then it is recorded as skipped
            RunResult scheduled;
            try (Elt elt = Elt.of(db, List.of(p), src, RollupRefresher.unavailable(), "test", Duration.ofMillis(300))) {
                scheduled = elt.run("locked", RunOptions.scheduled(fire, false), RunListener.none());
            }
            assertThat(scheduled.status()).isEqualTo("skipped");
            assertThat(scheduled.message()).hasValueSatisfying(m -> assertThat(m).contains("another run held the "
                    + "pipeline's lock for 300 ms, the most a schedule run waits"));
            // a recovery waits (a lock not granted yet in pg_locks) until the holder's session lets go
            ExecutorService pool = Executors.newSingleThreadExecutor();
            try {
                Future<RunResult> recovery = pool.submit(() -> run(p, src, RunOptions.scheduled(fire, true)));
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (count("select count(*) from pg_locks where locktype = 'advisory' and not granted and classid = "
                        + Runner.LOCK_CLASS) == 0) {
                    assertThat(recovery.isDone()).as("the recovery waits").isFalse();
                    assertThat(System.nanoTime()).as("the recovery waits for the lock").isLessThan(deadline);
                    Thread.sleep(20);
                }
                assertThat(count("select count(*) from elt.run where pipeline = 'locked' and trigger = 'recovery'"))
                        .as("nothing recorded while it waits").isZero();
                other.close(); // the holder's session ends, as a dead runner's does
                RunResult recovered = recovery.get(30, TimeUnit.SECONDS);
                assertThat(recovered.status()).as(recovered.toString()).isEqualTo("succeeded");
                assertThat(recovered.filesLoaded()).isEqualTo(1);
            } finally {
                pool.shutdownNow();
            }
        }
        assertThat(run(p, src).status()).isEqualTo("succeeded");
        assertThat(count("select count(*) from elt.file where pipeline = 'locked'")).isEqualTo(1);
        assertThat(count("select count(*) from pg_locks where locktype = 'advisory' and classid = " + Runner.LOCK_CLASS))
                .as("every run released its lock").isZero();
    }

    @Test
    void aScheduledFireTimeSucceedsOnceAndAbandonedRunsAreClosed() {
        sql("create table stg.o_user (user_id int, name text, elt_file_id bigint not null default elt.current_file_id())");
        Pipeline p = pipeline("once", "steps: [{name: load, kind: load, from: ext.users, into: stg.o_user}]\n",
                Map.of());
        TestingSources src = new TestingSources().put("ext.users", "file:/u/0.parquet", List.of(user(1, "Ann")));
        sql("insert into elt.run (pipeline, trigger, status) values ('once', 'schedule', 'running')");
        Instant fire = Instant.parse("2026-08-01T02:15:00Z");
        RunResult first = run(p, src, RunOptions.scheduled(fire, true));
        assertThat(first.status()).isEqualTo("succeeded");
        assertThat(rows("select status, message like '%found by the next run%' from elt.run where pipeline = 'once' "
                + "order by run_id")).startsWith(List.of("abandoned", true));
        RunResult again = run(p, src, RunOptions.scheduled(fire, false));
        assertThat(again.status()).isEqualTo("skipped");
        assertThat(again.message()).hasValue("fire time 2026-08-01T02:15:00Z already ran (run " + first.runId() + ")");
        assertThat(rows("select trigger from elt.run where run_id = " + first.runId())).containsExactly(
                List.of("recovery"));
    }

    @Test
    void aBackfillWindowLoadsOnlyItsPartitions() {
        sql("create table stg.w_event (day date, n int, elt_file_id bigint not null default elt.current_file_id())");
        Pipeline p = pipeline("windowed", """
                steps:
                  - {name: load, kind: load, from: ext.events, into: stg.w_event, window_column: Day}
                  - {name: days, kind: sql, depends_on: load, file: days.sql}
                """, Map.of("days.sql", "create table if not exists dw.w_days (w text);"
                + "insert into dw.w_days values ('${window_start} ${window_end}');"));
        TestingSources src = new TestingSources();
        for (int d = 1; d <= 4; d++) {
            src.put("ext.events", "file:/e/Day=2026-08-0" + d + "/part-0.parquet", Map.of("Day", "2026-08-0" + d),
                    List.of(Map.of("day", java.time.LocalDate.of(2026, 8, d), "n", d)), false,
                    Instant.parse("2026-08-05T00:00:00Z"));
        }
        RunResult r = run(p, src, RunOptions.backfill(java.time.LocalDate.of(2026, 8, 2), java.time.LocalDate.of(2026, 8, 3)));
        assertThat(r.status()).isEqualTo("succeeded");
        assertThat(rows("select partition_values->>'Day' from elt.file where pipeline = 'windowed' order by 1"))
                .containsExactly(List.of("2026-08-02"), List.of("2026-08-03"));
        assertThat(rows("select w from dw.w_days")).containsExactly(List.of("2026-08-02T00:00:00Z 2026-08-04T00:00:00Z"));
        assertThat(rows("select trigger, window_start::text from elt.run where run_id = " + r.runId()))
                .containsExactly(List.of("backfill", "2026-08-02 00:00:00+00"));
        RunResult rest = run(p, src);
        assertThat(rest.filesLoaded()).isEqualTo(2);
        assertThat(rows("select w from dw.w_days order by w")).contains(List.of("-infinity infinity"));
    }

    @Test
    void showTellsStepsFilesRejectsTestsAndLineage() {
        sql("create table stg.h_user (user_id int, name text, elt_file_id bigint not null default elt.current_file_id())",
                "create table dw.h_user (user_id int primary key, name text)");
        Pipeline p = pipeline("shown", """
                steps:
                  - {name: load, kind: load, from: ext.users, into: stg.h_user}
                  - {name: users, kind: sql, depends_on: load, file: users.sql}
                  - name: checks
                    kind: test
                    depends_on: users
                    tests: [{unique: {table: dw.h_user, column: name}}]
                """, Map.of("users.sql", """
                insert into elt.reject (run_id, step, source, reason)
                select ${run_id}, 'users', 'stg.h_user', 'no name' from stg.h_user
                where name is null and elt_file_id in ${batch_files};
                insert into dw.h_user select user_id, name from stg.h_user
                where name is not null and elt_file_id in ${batch_files};
                """));
        TestingSources src = new TestingSources().put("ext.users", "file:/u/0.parquet", List.of(user(1, "Ann"),
                new java.util.HashMap<>(Map.of("user_id", 2))));
        RunResult r = run(p, src);
        try (Elt elt = Elt.of(db, List.of(p), src, RollupRefresher.unavailable(), "")) {
            RunDetail d = elt.show(r.runId());
            assertThat(d.run().status()).isEqualTo("succeeded");
            assertThat(d.run().rowsIn()).isEqualTo(2);
            assertThat(d.run().rowsOut()).isEqualTo(2);
            assertThat(d.steps()).extracting(StepResult::step).containsExactly("load", "users", "checks");
            assertThat(d.files()).singleElement().satisfies(f -> {
                assertThat(f.path()).isEqualTo("file:/u/0.parquet");
                assertThat(f.rowsLoaded()).isEqualTo(2);
            });
            assertThat(d.rejectCount()).isEqualTo(1);
            assertThat(d.rejects().get(0).reason()).isEqualTo("no name");
            assertThat(d.tests()).extracting(RunDetail.TestOutcome::status).containsExactly("passed");
            assertThat(d.lineage()).extracting(l -> l.step() + " " + l.direction() + " " + l.objectType() + " "
                    + l.objectName()).containsExactly(
                    "load read external_table ext.users", "load read file file:/u/0.parquet",
                    "load write table stg.h_user",
                    "users read table stg.h_user", "users write table dw.h_user", "users write table elt.reject",
                    "checks read table dw.h_user");
            assertThat(elt.history(Optional.of("shown"), 5)).extracting(RunSummary::runId).containsExactly(r.runId());
            assertThatThrownBy(() -> elt.show(-5)).hasMessage("Cannot show run -5: there is no such run (see wwi elt "
                    + "history)");
        }
    }
}
