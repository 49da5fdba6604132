package org.wwi.elt;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
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
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Exactly once under kill -9: a child JVM runs weblogs_daily and is killed with SIGKILL at a named
 * point (it blocks there, see {@link Halts}) or after a random delay; a rerun must then leave the
 * warehouse exactly as one clean run does: the same facts, dimensions and rollups, every file once
 * in the ledger.
 */
@ExtendWith(WwiPostgres.class)
class KillRecoveryIT {
    @TempDir
    static Path tmp;
    private static TestingWarehouse warehouse;
    private static TestServer server;
    private static Map<String, String> reference;
    private static Path pipelines;

    @BeforeAll
    static void referenceRun(Database db, TestServer testServer) throws java.io.IOException {
        server = testServer;
        // two days of about 10,000 events: one part file each, so that rows:8192 halts inside a COPY
        Path lake = TestingWarehouse.generateLake(tmp.resolve("lake"), 20_000, 2);
        warehouse = TestingWarehouse.prepare(db, tmp, lake);
        pipelines = withoutModelRollups(tmp.resolve("pipelines"));
        RunResult r = rerun();
        assertThat(r.status()).isEqualTo("succeeded");
        reference = fingerprint();
        assertThat(reference.get("dw.fact_web_event")).startsWith("20000 ");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "load_products:file:1:recorded",
            "load_weblogs:rows:8192",
            "load_weblogs:file:1:copied",
            "load_weblogs:rows:16384",
            "load_weblogs:before-commit",
            "load_weblogs:committed",
            "dim_product:before-commit",
            "fact_web_event:before-commit",
            "fact_sales:before-commit",
            "rollup_sales_daily:committed",
            "run:before-cleanup"})
    void killedAtANamedPoint(String point) throws Exception {
        String only = System.getProperty("wwi.kill.only", "");
        Assumptions.assumeTrue(only.isEmpty() || only.equals(point), "-Dwwi.kill.only=" + only);
        reset();
        Process child = TestingChild.start(List.of("-D" + Halts.PROPERTY + "=" + point), "run", warehouse.db.jdbcUrl(),
                warehouse.db.address().user(), server.password().orElse(""), tmp.toString(), pipelines(),
                "weblogs_daily");
        List<String> output = Collections.synchronizedList(new ArrayList<>());
        Thread reader = read(child, output);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (output.stream().noneMatch(l -> l.startsWith(Halts.MARKER)) && child.isAlive()
                && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(output).as("the child reached %s; its output: %s", point, output)
                .anyMatch(l -> l.equals(Halts.MARKER + " " + point));
        child.destroyForcibly().waitFor();
        reader.join(5000);
        assertRerunEqualsCleanRun(point);
    }

    @ParameterizedTest
    @ValueSource(longs = {23})
    void killedAtARandomTime(long seed) throws Exception {
        Assumptions.assumeTrue(System.getProperty("wwi.kill.only", "").isEmpty(), "only named points");
        reset();
        Process child = TestingChild.start(List.of(), "run", warehouse.db.jdbcUrl(), warehouse.db.address().user(),
                server.password().orElse(""), tmp.toString(), pipelines(), "weblogs_daily");
        List<String> output = Collections.synchronizedList(new ArrayList<>());
        Thread reader = read(child, output);
        while (output.stream().noneMatch(l -> l.equals("RUNNING")) && child.isAlive()) {
            Thread.sleep(10);
        }
        Thread.sleep(new Random(seed).nextInt(5000));
        boolean finished = !child.isAlive();
        child.destroyForcibly().waitFor();
        reader.join(5000);
        assertRerunEqualsCleanRun("random " + seed + (finished ? " (the child had finished)" : ""));
    }

    private static String pipelines() {
        return pipelines.toString();
    }

    /**
     * The shipped pipelines without weblogs_daily's last step, the semantic model's rollups: they are
     * rebuilt whole by every run (the semantic module's own tests cover them), and would double the
     * time of each of the 15 kills here.
     */
    private static Path withoutModelRollups(Path dir) throws java.io.IOException {
        Path shipped = TestingWarehouse.ROOT.resolve("elt-jobs/pipelines");
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.walk(shipped)) {
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
        java.nio.file.Files.writeString(weblogs, text.substring(0, cut));
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

    private static void assertRerunEqualsCleanRun(String point) throws InterruptedException {
        RunResult r = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (r == null) {
            try {
                r = rerun();
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

    private static RunResult rerun() {
        try (Elt elt = Elt.open(warehouse.db, TestingWarehouse.ROOT, PipelineFiles.readFolder(pipelines),
                warehouse.catalog)) {
            return elt.run("weblogs_daily", RunOptions.manual(), RunListener.none());
        }
    }

    private static void reset() {
        exec("truncate elt.run, elt.step_run, elt.file, elt.file_step, elt.file_event, elt.reject, elt.test_result, "
                        + "elt.lineage, ingest.load, ingest.reject cascade",
                "truncate dw.fact_web_event, dw.fact_sales",
                "truncate dw.dim_product cascade",
                "delete from dw.dim_customer where user_id <> -1",
                "truncate stg.weblog, stg.store_sale, stg.product, stg.web_user",
                "drop table if exists mart.rollup_sales_daily, mart.rollup_web_events_daily");
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
