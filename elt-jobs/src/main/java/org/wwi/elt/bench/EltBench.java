package org.wwi.elt.bench;

import org.wwi.control.ServiceKey;
import org.wwi.elt.Elt;
import org.wwi.elt.PipelineFiles;
import org.wwi.elt.RunListener;
import org.wwi.elt.RunOptions;
import org.wwi.elt.RunResult;
import org.wwi.elt.StepResult;
import org.wwi.external.catalog.CatalogStore;
import org.wwi.external.catalog.DdlMigrations;
import org.wwi.migrations.Migrations;
import org.wwi.platform.Database;
import org.wwi.platform.Progress;
import org.wwi.sample.GenerationResult;
import org.wwi.sample.WeblogGenerator;
import org.wwi.sample.WeblogSpec;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;

/**
 * {@code wwi bench elt}: the WWI pipeline weblogs_daily on generated web logs, in a database of
 * its own on the same server. Three runs: the full history (the baseline), a second run with no
 * new files (it only lists storage and checks the ledger), and one new day of data. Prints wall
 * time per step and rows per second; the ratios compare the last two runs with the first.
 */
public final class EltBench {
    static final String DATABASE = "wwi_bench_elt";

    private EltBench() {
    }

    /**
     * @param rows web events of the full history (default 2,000,000)
     * @param days days of the full history; one more day is generated for the third run
     * @param keep keep the bench database and lake afterwards
     */
    public record Spec(long rows, int days, boolean keep) {
        public Spec {
            if (rows < 1000 || rows > 100_000_000) {
                throw new IllegalArgumentException("Cannot bench " + rows + " rows (1,000 to 100,000,000)");
            }
            if (days < 1 || days > 365) {
                throw new IllegalArgumentException("Cannot bench " + days + " days (1 to 365)");
            }
        }
    }

    /** One run: its total wall time and its steps. */
    public record Phase(String name, RunResult run) {
        public double seconds() {
            return run.duration().toNanos() / 1e9;
        }
    }

    public record Report(Spec spec, long historyRows, long newDayRows, double generateSeconds, double setupSeconds,
                         List<Phase> phases) {
        /** Rows per second of a step: its rows out (loads, SQL) or rows in. */
        public static double rowsPerSecond(StepResult s) {
            long rows = s.rowsOut().orElse(s.rowsIn().orElse(0));
            double secs = s.duration().toNanos() / 1e9;
            return secs <= 0 ? 0 : rows / secs;
        }
    }

    public static Report run(Database server, Path home, Path stateDir, Spec spec, Consumer<String> say) {
        requireNonNull(server, "server is null");
        requireNonNull(spec, "spec is null");
        Path work = stateDir.resolve("bench").resolve("elt");
        Path lake = work.resolve("lake");
        Path aside = work.resolve("next-day");
        long perDay = spec.rows() / spec.days();
        long t0 = System.nanoTime();
        say.accept(String.format(Locale.ROOT, "generating %,d web events over %d days, plus one more day, in %s",
                spec.rows(), spec.days(), lake));
        GenerationResult g;
        deleteTree(work);
        try (Progress p = Progress.onTerminal("  generating", spec.rows() + perDay, "events")) {
            g = WeblogGenerator.generate(new WeblogSpec(lake, spec.rows() + perDay, 42, LocalDate.of(2026, 8, 1),
                    spec.days() + 1, 5000, 500), p);
        }
        double generateSeconds = (System.nanoTime() - t0) / 1e9;
        LocalDate lastDay = LocalDate.of(2026, 8, 1).plusDays(spec.days());
        Path day = lake.resolve("weblogs").resolve("TransactionDay=" + lastDay);
        move(day, aside);
        long t1 = System.nanoTime();
        execute(server.dataSource("postgres"), "drop database if exists " + DATABASE + " with (force)");
        execute(server.dataSource("postgres"), "create database " + DATABASE);
        Database bench = new BenchDatabase(server, DATABASE);
        List<Phase> phases = new ArrayList<>();
        long history;
        long newDay;
        try {
            Migrations.forProject(home).migrate(bench);
            ServiceKey key = ServiceKey.file(work.resolve("service.key"));
            String password = HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
            DdlMigrations.forProject(home, DdlMigrations.placeholders(home, lake, n ->
                    n.equals(DdlMigrations.MASTER_KEY_PASSWORD_ENV) ? password : System.getenv(n)), work)
                    .migrate(bench);
            double setupSeconds = (System.nanoTime() - t1) / 1e9;
            RunListener progress = new RunListener() {
                @Override
                public Progress progress(String label, long total, String unit) {
                    return Progress.onTerminal("  " + label, total, unit);
                }
            };
            try (Elt elt = Elt.open(bench, home, PipelineFiles.readProject(home), CatalogStore.open(bench, key))) {
                say.accept("run 1: the full history");
                phases.add(new Phase("full history", elt.run("weblogs_daily", RunOptions.manual(), progress).orThrow()));
                history = phases.get(0).run().steps().stream().filter(s -> s.step().equals("load_weblogs"))
                        .mapToLong(s -> s.rowsOut().orElse(0)).sum();
                say.accept("run 2: no new files");
                phases.add(new Phase("no new files", elt.run("weblogs_daily", RunOptions.manual(), progress).orThrow()));
                move(aside, day);
                say.accept("run 3: one new day (" + lastDay + ")");
                phases.add(new Phase("one new day", elt.run("weblogs_daily", RunOptions.manual(), progress).orThrow()));
                newDay = phases.get(2).run().steps().stream().filter(s -> s.step().equals("load_weblogs"))
                        .mapToLong(s -> s.rowsOut().orElse(0)).sum();
            }
            return new Report(spec, history, newDay, generateSeconds, setupSeconds, phases);
        } finally {
            if (!spec.keep()) {
                execute(server.dataSource("postgres"), "drop database if exists " + DATABASE + " with (force)");
                deleteTree(work);
            }
            say.accept(spec.keep() ? "kept database " + DATABASE + " and " + work : "dropped database " + DATABASE
                    + " and " + work + " (" + String.format(Locale.ROOT, "%,d", g.events()) + " events generated)");
        }
    }

    private static void execute(DataSource ds, String sql) {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot run " + sql + ": " + e.getMessage(), e);
        }
    }

    private static void move(Path from, Path to) {
        try {
            Files.createDirectories(to.getParent());
            Files.move(from, to);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path p) {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path x : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(x);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Another database of the same server, with the same credentials. */
    private record BenchDatabase(Database server, String name) implements Database {
        @Override
        public DataSource dataSource() {
            return server.dataSource(name);
        }

        @Override
        public DataSource dataSource(String database) {
            return server.dataSource(database);
        }

        @Override
        public String jdbcUrl() {
            return server.jdbcUrl(name);
        }

        @Override
        public String jdbcUrl(String database) {
            return server.jdbcUrl(database);
        }

        @Override
        public ServerAddress address() {
            ServerAddress a = server.address();
            return new ServerAddress(a.host(), a.port(), a.user(), name);
        }

        @Override
        public String description() {
            return "database " + name + " of " + server.description();
        }

        @Override
        public void close() {
        }
    }

}
