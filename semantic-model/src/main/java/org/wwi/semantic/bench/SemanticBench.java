package org.wwi.semantic.bench;

import org.wwi.migrations.Migrations;
import org.wwi.platform.Database;
import org.wwi.platform.Progress;
import org.wwi.semantic.PasswordHash;
import org.wwi.semantic.Rollups;
import org.wwi.semantic.SemanticLayer;
import org.wwi.semantic.SemanticModel;
import org.wwi.semantic.SemanticServer;
import org.wwi.semantic.ServeConfig;

import javax.sql.DataSource;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import static java.util.Objects.requireNonNull;

/**
 * {@code wwi bench semantic}: the example queries of {@code semantic-model/examples/queries.yaml}
 * on N generated web events ({@link FactFixture}), timed three ways in the same run: hand-written
 * SQL straight to PostgreSQL, the semantic SQL through the JDBC server with rollups off (detail
 * tables), and through the server with rollups on; then concurrent clients for a while. Runs in
 * a database of its own ({@value #DATABASE}), kept between runs so the data is generated once.
 */
public final class SemanticBench {
    public static final String DATABASE = "wwi_bench_semantic";

    /**
     * @param rows        web events to generate
     * @param runs        timed runs per query and path (the median is reported)
     * @param clients     concurrent clients of the load phase
     * @param concurrency how long the load phase lasts
     * @param regenerate  generate the data even when the database already holds this spec
     */
    public record Spec(long rows, int runs, int clients, Duration concurrency, boolean regenerate) {
        public Spec {
            requireNonNull(concurrency, "concurrency is null");
            if (rows < 1000 || runs < 1 || clients < 1) {
                throw new IllegalArgumentException("rows >= 1000, runs >= 1, clients >= 1");
            }
        }
    }

    /** Median latencies of one query, in milliseconds. */
    public record QueryFigures(String name, Optional<String> rollup, int rows, double directMs, double detailMs,
                               double rollupMs) {
        /** The target of the detail path: at most 1.25 times the direct query plus 5 ms. */
        public boolean detailWithinTarget() {
            return detailMs <= 1.25 * directMs + 5;
        }

        public double detailRatio() {
            return detailMs / directMs;
        }

        /** How many times faster the rollup answers than the detail path (NaN when no rollup covers it). */
        public double rollupSpeedup() {
            return rollup.isPresent() ? detailMs / rollupMs : Double.NaN;
        }
    }

    /** Throughput and latency of concurrent clients. */
    public record Load(int clients, double seconds, long queries, long errors, double queriesPerSecond,
                       double p50Ms, double p99Ms, Optional<String> firstError) {
    }

    public record Report(String machine, long events, long salesLines, double generateSeconds,
                         double rollupSeconds, List<QueryFigures> queries, Load load) {
    }

    private SemanticBench() {
    }

    public static Report run(Database server, Path home, Spec spec, Consumer<String> say) {
        String machine = Runtime.getRuntime().availableProcessors() + " CPUs, " + Runtime.getRuntime().maxMemory()
                / (1 << 20) + " MB max heap, Java " + System.getProperty("java.version") + ", " + server.description();
        Database db = database(server);
        Migrations.forProject(home).migrate(db);
        FactFixture.Spec fixture = FactFixture.Spec.ofEvents(spec.rows());
        double generateSeconds = 0;
        if (spec.regenerate() || !FactFixture.isGenerated(db, fixture)) {
            say.accept(String.format(Locale.ROOT, "generating %,d web events in %s (kept for later runs)",
                    spec.rows(), DATABASE));
            long t0 = System.nanoTime();
            try (Progress p = Progress.onTerminal("  generating", spec.rows(), "events")) {
                FactFixture.generate(db, fixture, p);
            }
            generateSeconds = (System.nanoTime() - t0) / 1e9;
        } else {
            say.accept(String.format(Locale.ROOT, "reusing %,d generated web events in %s", spec.rows(), DATABASE));
        }
        long events = count(db.dataSource(), "select count(*) from dw.fact_web_event");
        long sales = count(db.dataSource(), "select count(*) from dw.fact_sales");
        List<ExampleQueries.Example> examples = ExampleQueries.forProject(home);
        SemanticModel model = SemanticModel.forProject(home);
        String password = HexFormat.of().formatHex(new SecureRandom().generateSeed(12));
        ServeConfig config = ServeConfig.defaults().withPort(0).withLimits(Duration.ofMinutes(10), 1_000_000)
                .withUsers(Map.of("bench", new ServeConfig.User("bench", PasswordHash.hash(password.toCharArray()),
                        "analyst", Map.of())));
        try (SemanticLayer layer = SemanticLayer.open(db, model, SemanticLayer.Options.defaults()
                .withLogSource("bench"))) {
            long t0 = System.nanoTime();
            say.accept("building " + model.rollupNames().size() + " rollups");
            for (Rollups.Status s : layer.rollups().status()) {
                if (!s.state().equals("fresh")) {
                    layer.rollups().build(s.rollup(), new Rollups.BuildOptions(false, true));
                }
            }
            double rollupSeconds = (System.nanoTime() - t0) / 1e9;
            try (SemanticServer http = SemanticServer.start(layer, config)) {
                List<QueryFigures> figures = timeQueries(db, http, password, examples, spec.runs(), say);
                // the load phase is dashboard traffic: the queries rollups cover, as BI tools refresh them
                List<ExampleQueries.Example> dashboard = examples.stream().filter(e -> e.rollup().isPresent()).toList();
                say.accept(String.format(Locale.ROOT, "%d concurrent clients for %d s over the %d rollup-covered "
                        + "queries", spec.clients(), spec.concurrency().toSeconds(), dashboard.size()));
                Load load = load(http, password, dashboard, spec.clients(), spec.concurrency());
                return new Report(machine, events, sales, generateSeconds, rollupSeconds, figures, load);
            }
        }
    }

    private static List<QueryFigures> timeQueries(Database db, SemanticServer http, String password,
                                                  List<ExampleQueries.Example> examples, int runs,
                                                  Consumer<String> say) {
        try (Connection direct = db.dataSource().getConnection();
             Connection detail = connect(http, password, false);
             Connection rollups = connect(http, password, true)) {
            List<QueryFigures> out = new ArrayList<>();
            for (ExampleQueries.Example e : examples) {
                say.accept("  " + e.name());
                // one warm-up of each path: plans compiled and cached, pages in PostgreSQL's cache
                int rows = time(direct, e.direct());
                time(detail, e.sql());
                if (e.rollup().isPresent()) {
                    time(rollups, e.sql());
                }
                double[] d = new double[runs];
                double[] s = new double[runs];
                double[] r = new double[runs];
                for (int i = 0; i < runs; i++) {
                    d[i] = nanos(direct, e.direct());
                    s[i] = nanos(detail, e.sql());
                    r[i] = e.rollup().isPresent() ? nanos(rollups, e.sql()) : Double.NaN;
                }
                out.add(new QueryFigures(e.name(), e.rollup().isPresent() ? rollupUsed(rollups, e.sql()) : Optional.empty(),
                        rows, median(d), median(s), e.rollup().isPresent() ? median(r) : Double.NaN));
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot run the benchmark queries: " + e.getMessage(), e);
        }
    }

    private static Load load(SemanticServer http, String password, List<ExampleQueries.Example> examples, int clients,
                             Duration duration) {
        ConcurrentLinkedQueue<Double> latencies = new ConcurrentLinkedQueue<>();
        AtomicLong errors = new AtomicLong();
        ConcurrentLinkedQueue<String> errorMessages = new ConcurrentLinkedQueue<>();
        CountDownLatch ready = new CountDownLatch(clients);
        CountDownLatch done = new CountDownLatch(clients);
        long[] window = new long[2];
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int client = c;
            Thread t = new Thread(() -> {
                try (Connection conn = connect(http, password, true)) {
                    ready.countDown();
                    ready.await();
                    long end = System.nanoTime() + duration.toNanos();
                    int i = client;
                    while (System.nanoTime() < end) {
                        ExampleQueries.Example e = examples.get(i++ % examples.size());
                        try {
                            latencies.add(nanos(conn, e.sql()) / 1.0);
                        } catch (SQLException ex) {
                            errors.incrementAndGet();
                            errorMessages.add(ex.getMessage());
                        }
                    }
                } catch (SQLException | InterruptedException e) {
                    errors.incrementAndGet();
                    errorMessages.add(String.valueOf(e.getMessage()));
                } finally {
                    done.countDown();
                }
            }, "bench-client-" + c);
            threads.add(t);
        }
        threads.forEach(Thread::start);
        try {
            ready.await();
            window[0] = System.nanoTime();
            done.await();
            window[1] = System.nanoTime();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        double seconds = (window[1] - window[0]) / 1e9;
        double[] l = latencies.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return new Load(clients, seconds, l.length, errors.get(), l.length / seconds,
                percentile(l, 0.50), percentile(l, 0.99), Optional.ofNullable(errorMessages.peek()));
    }

    private static Connection connect(SemanticServer http, String password, boolean rollups) throws SQLException {
        Properties p = new Properties();
        p.setProperty("avatica_user", "bench");
        p.setProperty("avatica_password", password);
        p.setProperty("wwi_rollups", rollups ? "on" : "off");
        return DriverManager.getConnection(http.jdbcUrl(), p);
    }

    /** The rollups that answered a query, as EXPLAIN tells. */
    private static Optional<String> rollupUsed(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("explain plan for " + sql)) {
            rs.next();
            for (String line : rs.getString(1).split("\n")) {
                if (line.startsWith("-- rollups used: ")) {
                    return Optional.of(line.substring("-- rollups used: ".length()));
                }
            }
            return Optional.of("(none: detail tables)");
        }
    }

    private static int time(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            int n = 0;
            int cols = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                for (int i = 1; i <= cols; i++) {
                    rs.getObject(i);
                }
                n++;
            }
            return n;
        }
    }

    /** Milliseconds to run a query and read every value. */
    private static double nanos(Connection c, String sql) throws SQLException {
        long t = System.nanoTime();
        time(c, sql);
        return (System.nanoTime() - t) / 1e6;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static double percentile(double[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int i = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    private static long count(DataSource ds, String sql) {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    /** The benchmark's own database on the server, created when missing. */
    private static Database database(Database server) {
        try (Connection c = server.dataSource("postgres").getConnection(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("select 1 from pg_database where datname = '" + DATABASE + "'")) {
                if (!rs.next()) {
                    s.execute("create database " + DATABASE);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot create the benchmark database " + DATABASE + ": "
                    + e.getMessage(), e);
        }
        return new OtherDatabase(server, DATABASE);
    }

    /** Another database of the same server, with the same credentials. */
    private record OtherDatabase(Database server, String name) implements Database {
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
            // the server belongs to the caller
        }
    }
}
