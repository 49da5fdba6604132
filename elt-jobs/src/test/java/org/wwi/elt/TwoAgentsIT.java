package org.wwi.elt;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.wwi.migrations.Migrations;
import org.wwi.platform.Database;
import org.wwi.testkit.TestServer;
import org.wwi.testkit.WwiPostgres;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two agents (child JVMs) on one control database run a pipeline scheduled every 2 seconds: each
 * fire time succeeds exactly once and no two runs overlap; the agent running a pipeline is killed
 * with SIGKILL mid-run, and the other agent recovers that fire time.
 */
@ExtendWith(WwiPostgres.class)
class TwoAgentsIT {
    private static final Pattern PID = Pattern.compile("pid (\\d+)");

    @TempDir
    Path tmp;

    @Test
    void eachFireTimeRunsOnceAndAKilledAgentsRunIsRecovered(Database db, TestServer server) throws Exception {
        Migrations.forProject(TestingWarehouse.ROOT).migrate(db);
        exec(db, "create table public.elt_probe (run_id bigint primary key, at timestamptz not null)");
        Path pipelines = Files.createDirectories(tmp.resolve("pipelines"));
        Files.writeString(pipelines.resolve("probe.yaml"), """
                schedule: {every: 2 seconds}
                misfire: run_once
                steps:
                  - {name: probe, kind: sql, file: probe.sql}
                """);
        Files.writeString(pipelines.resolve("probe.sql"), "insert into public.elt_probe values (${run_id}, "
                + "clock_timestamp()); select pg_sleep(1.2);");
        Map<Long, Process> agents = new HashMap<>();
        List<String> output = Collections.synchronizedList(new ArrayList<>());
        try {
            for (String name : List.of("A", "B")) {
                Process p = TestingChild.start(List.of(), "agent", db.jdbcUrl(), db.address().user(),
                        server.password().orElse(""), tmp.toString(), pipelines.toString());
                agents.put(p.pid(), p);
                read(p, name, output);
            }
            await(() -> count(db, "select count(*) from elt.run where status = 'succeeded'") >= 4, 90, output);
            // kill the agent that is running the pipeline, in the middle of its run
            await(() -> count(db, "select count(*) from elt.run where status = 'running'") == 1, 30, output);
            List<Object> running = row(db, "select run_id, runner, fire_time from elt.run where status = 'running'");
            long killedRun = ((Number) running.get(0)).longValue();
            Matcher m = PID.matcher((String) running.get(1));
            assertThat(m.find()).isTrue();
            Process victim = agents.remove(Long.parseLong(m.group(1)));
            assertThat(victim).as("the runner %s is one of the agents", running.get(1)).isNotNull();
            victim.destroyForcibly().waitFor();
            Timestamp fireTime = (Timestamp) running.get(2);
            // the survivor recovers the killed run's fire time (after Quartz's cluster check-in grace)
            await(() -> count(db, "select count(*) from elt.run where status = 'succeeded' and trigger = 'recovery' "
                    + "and fire_time = '" + fireTime.toInstant() + "'") == 1, 60, output);
            long after = count(db, "select count(*) from elt.run where status = 'succeeded'");
            await(() -> count(db, "select count(*) from elt.run where status = 'succeeded'") >= after + 3, 60, output);
            Timestamp stop = (Timestamp) row(db, "select clock_timestamp()::timestamp").get(0);
            for (Process p : agents.values()) {
                p.destroyForcibly().waitFor();
            }
            agents.clear();

            System.out.println(table(db, "select run_id, trigger, status, fire_time, started_at, finished_at, runner "
                    + "from elt.run order by run_id"));
            assertThat(row(db, "select status from elt.run where run_id = " + killedRun)).containsExactly("abandoned");
            assertThat(count(db, "select count(*) from elt_probe where run_id = " + killedRun))
                    .as("the killed run's transaction was rolled back").isZero();
            assertThat(count(db, "select count(*) from (select fire_time from elt.run where status = 'succeeded' "
                    + "group by fire_time having count(*) > 1) d")).as("no fire time succeeds twice").isZero();
            assertThat(count(db, "select count(*) from (select distinct fire_time from elt.run where fire_time < '"
                    + stop.toInstant() + "'::timestamptz - interval '5 seconds') f where not exists (select 1 from "
                    + "elt.run r where r.fire_time = f.fire_time and r.status = 'succeeded')"))
                    .as("every fire time that ran also succeeded, once").isZero();
            assertThat(count(db, "select count(*) from elt.run where status = 'skipped'")).isZero();
            assertThat(count(db, "select count(*) from elt.run a join elt.run b on a.run_id < b.run_id "
                    + "and a.status = 'succeeded' and b.status = 'succeeded' "
                    + "and tstzrange(a.started_at, a.finished_at) && tstzrange(b.started_at, b.finished_at)"))
                    .as("runs never overlap").isZero();
            assertThat(count(db, "select count(*) from elt.run r where status = 'succeeded' and not exists "
                    + "(select 1 from elt_probe p where p.run_id = r.run_id)")).isZero();
            assertThat(count(db, "select count(*) from elt_probe p join elt.run r using (run_id) "
                    + "where r.status <> 'succeeded' and r.status <> 'running'")).isZero();
            assertThat(count(db, "select count(distinct runner) from elt.run where status = 'succeeded'"))
                    .as("the survivor ran after the kill").isGreaterThanOrEqualTo(1);
        } finally {
            for (Process p : agents.values()) {
                p.destroyForcibly().waitFor();
            }
        }
    }

    private static void read(Process p, String name, List<String> output) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    output.add(name + ": " + line);
                }
            } catch (IOException e) {
                output.add(name + ": (output ended: " + e + ")");
            }
        });
        t.setDaemon(true);
        t.start();
    }

    private static void await(BooleanSupplier condition, int seconds, List<String> output) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + seconds + " s; agents said:\n"
                        + String.join("\n", output));
            }
            Thread.sleep(50);
        }
    }

    private static void exec(Database db, String sql) throws SQLException {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static String table(Database db, String query) {
        StringBuilder b = new StringBuilder();
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(query)) {
            while (rs.next()) {
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    b.append(i == 1 ? "" : " | ").append(rs.getObject(i));
                }
                b.append('\n');
            }
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
        return b.toString();
    }

    private static long count(Database db, String query) {
        return ((Number) row(db, query).get(0)).longValue();
    }

    private static List<Object> row(Database db, String query) {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
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
}
