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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two agents (child JVMs) on one control database run a pipeline scheduled every 2 seconds. The
 * agent running the pipeline is frozen mid-run (SIGSTOP: its sessions, and so the pipeline's
 * advisory lock, stay open, as with a hung host); Quartz finds it dead and the other agent recovers
 * its fire time, waiting for the lock instead of failing, until the frozen agent is killed
 * (SIGKILL). Over the run history every fire time of the schedule's grid, from the first to the last
 * that succeeded, succeeded exactly once, and no two runs overlapped.
 */
@ExtendWith(WwiPostgres.class)
class TwoAgentsIT {
    private static final Pattern PID = Pattern.compile("pid (\\d+)");
    private static final long EVERY_MS = 2000;

    @TempDir
    Path tmp;

    @Test
    void eachFireTimeRunsOnceAndAFrozenAgentsRunIsRecovered(Database db, TestServer server) throws Exception {
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
                + "clock_timestamp()); select pg_sleep(0.8);");
        Map<Long, Process> agents = new HashMap<>();
        Map<Long, String> names = new HashMap<>();
        List<String> output = new java.util.concurrent.CopyOnWriteArrayList<>();
        try {
            for (String name : List.of("A", "B")) {
                Process p = TestingChild.start(List.of(), "agent", db.jdbcUrl(), db.address().user(),
                        server.password().orElse(""), tmp.toString(), pipelines.toString());
                agents.put(p.pid(), p);
                names.put(p.pid(), name);
                read(p, name, output);
            }
            await(() -> count(db, "select count(*) from elt.run where status = 'succeeded'") >= 3, 90, output);
            // freeze the agent that runs the pipeline, inside the run's transaction
            long frozenRun = -1;
            Process victim = null;
            while (victim == null) {
                await(() -> count(db, "select count(*) from elt.run where status = 'running'") == 1, 30, output);
                List<Object> running = row(db, "select coalesce(max(run_id), -1), max(runner) from elt.run "
                        + "where status = 'running'");
                long run = ((Number) running.get(0)).longValue();
                if (run < 0) {
                    continue;
                }
                Matcher m = PID.matcher((String) running.get(1));
                assertThat(m.find()).isTrue();
                Process p = agents.get(Long.parseLong(m.group(1)));
                assertThat(p).as("the runner %s is one of the agents", running.get(1)).isNotNull();
                signal(p, "STOP");
                // frozen before its step committed? (else let it go on and try the next run)
                if (count(db, "select count(*) from elt.run where run_id = " + run + " and status = 'running'") == 1
                        && count(db, "select count(*) from elt_probe where run_id = " + run) == 0) {
                    victim = p;
                    frozenRun = run;
                } else {
                    signal(p, "CONT");
                    await(() -> count(db, "select count(*) from elt.run where run_id = " + run
                            + " and status = 'running'") == 0, 30, output);
                }
            }
            long killedRun = frozenRun;
            Timestamp fireTime = (Timestamp) row(db, "select fire_time from elt.run where run_id = " + killedRun).get(0);
            // Quartz finds the frozen agent dead (no check-in), and the survivor recovers: it waits for the lock
            await(() -> count(db, "select count(*) from pg_locks where locktype = 'advisory' and not granted "
                    + "and classid = " + Runner.LOCK_CLASS) == 1, 60, output);
            assertThat(output).anyMatch(l -> l.contains("pipeline probe recovering fire time " + fireTime.toInstant()));
            Thread.sleep(1500);
            assertThat(count(db, "select count(*) from elt.run where run_id > " + killedRun))
                    .as("the recovery waits for the frozen run's lock: nothing ran, failed or was skipped").isZero();
            long killedAt = count(db, "select (extract(epoch from clock_timestamp()) * 1000)::bigint");
            String victimName = names.get(victim.pid());
            agents.remove(victim.pid());
            victim.destroyForcibly().waitFor(); // SIGKILL: PostgreSQL ends its sessions and releases the lock
            await(() -> count(db, "select count(*) from elt.run where status = 'succeeded' and trigger = 'recovery' "
                    + "and fire_time = '" + fireTime.toInstant() + "'") == 1, 60, output);
            long after = count(db, "select count(*) from elt.run where status = 'succeeded'");
            await(() -> count(db, "select count(*) from elt.run where status = 'succeeded'") >= after + 4, 60, output);
            for (Process p : agents.values()) {
                p.destroyForcibly().waitFor();
            }
            agents.clear();

            String history = table(db, "select run_id, trigger, status, fire_time, started_at, finished_at, runner "
                    + "from elt.run order by run_id");
            System.out.println(history);
            assertThat(row(db, "select status from elt.run where run_id = " + killedRun)).containsExactly("abandoned");
            assertThat(count(db, "select count(*) from elt_probe where run_id = " + killedRun))
                    .as("the frozen run's transaction was rolled back").isZero();
            assertThat(row(db, "select extract(epoch from started_at) * 1000 >= " + killedAt + " from elt.run "
                    + "where trigger = 'recovery' and status = 'succeeded'")).as("the recovery ran once the lock was free; %s", history)
                    .containsExactly(true);
            // the grid: every fire time from the first to the last success, 2 s apart, succeeded exactly once
            List<Long> fired = longs(db, "select (extract(epoch from fire_time) * 1000)::bigint from elt.run "
                    + "where status = 'succeeded' order by fire_time");
            assertThat(fired).as("fire times on the grid of the epoch-aligned interval; %s", history)
                    .allSatisfy(t -> assertThat(t % EVERY_MS).isZero());
            List<Long> grid = new ArrayList<>();
            for (long t = fired.get(0); t <= fired.get(fired.size() - 1); t += EVERY_MS) {
                grid.add(t);
            }
            assertThat(fired).as("each fire time of the grid succeeded exactly once (the missed ones ran late, "
                    + "within the misfire threshold); %s", history).isEqualTo(grid);
            assertThat(grid).contains(fireTime.getTime());
            assertThat(count(db, "select count(*) from elt.run where status not in ('succeeded', 'abandoned') "
                    // the agents are killed at the end: a run they had under way then stays running
                    + "and not (status = 'running' and run_id > (select max(run_id) from elt.run "
                    + "where status = 'succeeded'))"))
                    .as("nothing failed or was skipped; %s", history).isZero();
            assertThat(count(db, "select count(*) from elt.run a join elt.run b on a.run_id < b.run_id "
                    + "and a.status = 'succeeded' and b.status = 'succeeded' "
                    + "and tstzrange(a.started_at, a.finished_at) && tstzrange(b.started_at, b.finished_at)"))
                    .as("runs never overlap").isZero();
            assertThat(count(db, "select count(*) from elt.run r where status = 'succeeded' and not exists "
                    + "(select 1 from elt_probe p where p.run_id = r.run_id)")).isZero();
            assertThat(count(db, "select count(*) from elt_probe p join elt.run r using (run_id) "
                    + "where r.status <> 'succeeded'")).as("only succeeded runs left their rows").isZero();
            assertThat(count(db, "select count(*) from elt.run where run_id > " + killedRun + " and runner like '%pid "
                    + victim.pid() + " %'")).as("agent %s ran nothing after it was frozen", victimName).isZero();
        } finally {
            for (Process p : agents.values()) {
                p.destroyForcibly().waitFor();
            }
        }
    }

    /** Sends SIGSTOP or SIGCONT (no Java API has them). */
    private static void signal(Process p, String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).inheritIO().start();
        assertThat(kill.waitFor()).as("kill -%s %d", signal, p.pid()).isZero();
    }

    private static List<Long> longs(Database db, String query) {
        List<Long> out = new ArrayList<>();
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(query)) {
            while (rs.next()) {
                out.add(rs.getLong(1));
            }
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
        return out;
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
