package org.wwi.elt;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.wwi.platform.Database;
import org.wwi.testkit.TestServer;
import org.wwi.testkit.WwiPostgres;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Exactly once under kill -9: a child JVM runs weblogs_daily and is killed with SIGKILL at a named
 * point of a load step (it blocks there, see {@link Halts}: before and after its ledger row, inside
 * the COPY of a file, between files, before and after the commit; with the default all-or-nothing
 * batch and with {@code batch: per_file}) or of the steps after; a rerun must then leave the
 * warehouse exactly as one clean run does: the same facts, dimensions and rollups, every file once
 * in the ledger. Small data (about 8,000 events over two days, one file a day) keeps each kill to a
 * few seconds.
 */
@ExtendWith(WwiPostgres.class)
class KillRecoveryIT {
    @TempDir
    static Path tmp;
    private static TestingWarehouse warehouse;
    private static TestServer server;
    private static Map<String, String> reference;
    private static Map<String, Path> pipelines;

    @BeforeAll
    static void referenceRun(Database db, TestServer testServer) throws java.io.IOException {
        server = testServer;
        // two days of about 4,000 events: one part file a day of two COPY buffers, so that rows:1 halts inside a COPY
        Path lake = TestingWarehouse.generateLake(tmp.resolve("lake"), 8_000, 2);
        warehouse = TestingWarehouse.prepare(db, tmp, lake);
        pipelines = Map.of("all_or_nothing", withoutModelRollups(tmp.resolve("all_or_nothing"), false),
                "per_file", withoutModelRollups(tmp.resolve("per_file"), true));
        RunResult r = rerun("all_or_nothing");
        assertThat(r.status()).isEqualTo("succeeded");
        assertThat(TestWwiPipelines.step(r, "load_weblogs").files()).as("one file a day").isEqualTo(2);
        reference = fingerprint();
        assertThat(reference.get("dw.fact_web_event")).startsWith("8000 ");
    }

    /** The kill points: batch policy of load_weblogs and the point (13 of them inside load steps). */
    static Stream<Arguments> points() {
        return Stream.of(
                // all or nothing: one transaction for the step's files
                Arguments.of("all_or_nothing", "load_products:file:1:recorded"),
                Arguments.of("all_or_nothing", "load_weblogs:file:1:before"),
                Arguments.of("all_or_nothing", "load_weblogs:file:1:recorded"),
                Arguments.of("all_or_nothing", "load_weblogs:file:1:rows:1"),
                Arguments.of("all_or_nothing", "load_weblogs:file:1:copied"),
                Arguments.of("all_or_nothing", "load_weblogs:file:2:rows:1"),
                Arguments.of("all_or_nothing", "load_weblogs:before-commit"),
                Arguments.of("all_or_nothing", "load_weblogs:committed"),
                Arguments.of("all_or_nothing", "load_store_sales:before-commit"),
                // per file: a transaction per file, the first one committed before the second starts
                Arguments.of("per_file", "load_weblogs:file:1:before-commit"),
                Arguments.of("per_file", "load_weblogs:file:1:committed"),
                Arguments.of("per_file", "load_weblogs:file:2:rows:1"),
                Arguments.of("per_file", "load_weblogs:file:2:before-commit"),
                // after the loads: a transform's transaction, and the run's own record
                Arguments.of("all_or_nothing", "fact_web_event:before-commit"),
                Arguments.of("all_or_nothing", "run:before-finish"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("points")
    void killedAtANamedPoint(String batch, String point) throws Exception {
        String only = System.getProperty("wwi.kill.only", "");
        Assumptions.assumeTrue(only.isEmpty() || only.equals(point), "-Dwwi.kill.only=" + only);
        reset();
        Process child = TestingChild.start(List.of("-D" + Halts.PROPERTY + "=" + point), "run", warehouse.db.jdbcUrl(),
                warehouse.db.address().user(), server.password().orElse(""), tmp.toString(),
                pipelines.get(batch).toString(), "weblogs_daily");
        List<String> output = new java.util.concurrent.CopyOnWriteArrayList<>();
        Thread reader = read(child, output);
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (output.stream().noneMatch(l -> l.startsWith(Halts.MARKER)) && child.isAlive()
                    && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(output).as("the child reached %s; its output: %s", point, output)
                    .anyMatch(l -> l.equals(Halts.MARKER + " " + point));
        } finally {
            // SIGKILL, also when the child did not reach its point: a halted child holds its locks
            child.destroyForcibly().waitFor();
        }
        reader.join(5000);
        long killedRun = count("select max(run_id) from elt.run");
        assertRerunEqualsCleanRun(batch, point);
        assertThat(row("select status from elt.run where run_id = " + killedRun)).as("the killed run")
                .containsExactly("abandoned");
    }

    /**
     * The shipped pipelines without weblogs_daily's last step, the semantic model's rollups: they are
     * rebuilt whole by every run (the semantic module's own tests cover them), and would double the
     * time of each kill here; with {@code perFile}, load_weblogs loads each file in its own transaction.
     */
    private static Path withoutModelRollups(Path dir, boolean perFile) throws java.io.IOException {
        Path shipped = TestingWarehouse.ROOT.resolve("elt-jobs/pipelines");
        try (Stream<Path> files = java.nio.file.Files.walk(shipped)) {
            for (Path f : files.toList()) {
                Path to = dir.resolve(shipped.relativize(f).toString());
                if (java.nio.file.Files.isDirectory(f)) {
                    java.nio.file.Files.createDirectories(to);
                } else {
                    java.nio.file.Files.copy(f, to);
                }
            }
        }
        Path weblogs = dir.resolve("weblogs_daily.yaml");
        String text = java.nio.file.Files.readString(weblogs);
        int cut = text.indexOf("  - name: model_rollups");
        assertThat(cut).isPositive();
        text = text.substring(0, cut);
        if (perFile) {
            String into = "    into: stg.weblog\n";
            assertThat(text).contains(into);
            text = text.replace(into, into + "    batch: per_file\n");
        }
        java.nio.file.Files.writeString(weblogs, text);
        return dir;
    }

    private static Thread read(Process child, List<String> output) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    output.add(line);
                }
            } catch (java.io.IOException e) {
                output.add("(output ended: " + e + ")");
            }
        });
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static void assertRerunEqualsCleanRun(String batch, String point) throws InterruptedException {
        RunResult r = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (r == null) {
            try {
                r = rerun(batch);
            } catch (EltException e) {
                // the killed backend may hold the pipeline's lock for a moment
                if (e.code() != EltErrorCode.RUN_IN_PROGRESS || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(200);
            }
        }
        assertThat(r.status()).as("rerun after %s: %s", point, r).isEqualTo("succeeded");
        assertThat(fingerprint()).as("warehouse after a kill at %s and a rerun", point).isEqualTo(reference);
        assertThat(count("select count(*) from (select path from elt.file group by source_table, target_table, path "
                + "having count(*) > 1) d")).isZero();
        assertThat(count("select count(*) from elt.run where status = 'running'")).isZero();
        assertThat(count("select count(*) from stg.weblog")).isZero();
    }

    private static RunResult rerun(String batch) {
        try (Elt elt = Elt.open(warehouse.db, TestingWarehouse.ROOT, PipelineFiles.readFolder(pipelines.get(batch)),
                warehouse.catalog)) {
            return elt.run("weblogs_daily", RunOptions.manual(), RunListener.none());
        }
    }

    /** Empties what a run writes (DELETE: on these few thousand rows much quicker than TRUNCATE's new files). */
    private static void reset() {
        exec("begin", "set local lock_timeout = '60s'", // a leftover session fails the test, never hangs it
                "delete from elt.file_step", "delete from elt.file_event", "delete from elt.file", "delete from elt.run",
                "delete from ingest.load",
                "delete from dw.fact_web_event", "delete from dw.fact_sales", "delete from dw.dim_product",
                "delete from dw.dim_customer where user_id <> -1",
                "delete from stg.weblog", "delete from stg.store_sale", "delete from stg.product",
                "delete from stg.web_user",
                "drop table if exists mart.rollup_sales_daily, mart.rollup_web_events_daily",
                "commit");
    }

    /** Row count and a hash of the rows by their natural keys (surrogate keys and run ids left out). */
    private static Map<String, String> fingerprint() {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("dw.fact_web_event", hash("select concat_ws('|', f.event_ts, f.date_key, f.session_id, c.user_id, "
                + "f.user_id, p.product_id, f.channel_key, f.action, f.action_points, f.quantity, f.price, f.total, "
                + "f.referral_url, f.page_stop_seconds, f.source_file) from dw.fact_web_event f "
                + "join dw.dim_customer c using (customer_key) join dw.dim_product p using (product_key)"));
        out.put("dw.fact_sales", hash("select concat_ws('|', s.sale_ts, s.date_key, s.order_id, c.user_id, "
                + "p.product_id, s.channel_key, s.quantity, s.unit_price, s.total, s.source_file) from dw.fact_sales s "
                + "join dw.dim_customer c using (customer_key) join dw.dim_product p using (product_key)"));
        out.put("dw.dim_product", hash("select concat_ws('|', product_id, product_name, category, price, cost_price, "
                + "discount_rate, is_active, introduced, valid_from, valid_to, is_current, row_hash) from dw.dim_product"));
        out.put("dw.dim_customer", hash("select concat_ws('|', user_id, first_name, last_name, gender, age, region, "
                + "signup_date) from dw.dim_customer"));
        out.put("mart.rollup_sales_daily", hash("select r::text from mart.rollup_sales_daily r"));
        out.put("mart.rollup_web_events_daily", hash("select r::text from mart.rollup_web_events_daily r"));
        out.put("elt.file", hash("select concat_ws('|', path, size_bytes, rows_loaded) from elt.file"));
        return out;
    }

    private static String hash(String rowsQuery) {
        List<Object> r = row("select count(*), md5(string_agg(x, ',' order by x)) from (" + rowsQuery + ") as t(x)");
        return r.get(0) + " " + r.get(1);
    }

    private static long count(String query) {
        return ((Number) row(query).get(0)).longValue();
    }

    private static List<Object> row(String query) {
        try (Connection c = warehouse.db.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(query)) {
            rs.next();
            List<Object> out = new ArrayList<>();
            for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                out.add(rs.getObject(i));
            }
            return out;
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    private static void exec(String... statements) {
        try (Connection c = warehouse.db.dataSource().getConnection(); Statement s = c.createStatement()) {
            for (String st : statements) {
                s.execute(st);
            }
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }
}
