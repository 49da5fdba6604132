package org.wwi.external.bench;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.wwi.external.DataSourceDef;
import org.wwi.external.DelimitedOptions;
import org.wwi.external.ExternalColumn;
import org.wwi.external.ExternalTableDef;
import org.wwi.external.ExternalType;
import org.wwi.external.FileFormatDef;
import org.wwi.external.RejectPolicy;
import org.wwi.external.ResolvedTable;
import org.wwi.external.load.ColumnMapping;
import org.wwi.external.load.LoadResult;
import org.wwi.external.load.Loader;
import org.wwi.external.load.TargetTable;
import org.wwi.external.read.FileCursor;
import org.wwi.external.read.Rejects;
import org.wwi.external.read.TableReader;
import org.wwi.external.storage.FileRef;
import org.wwi.external.storage.Storage;
import org.wwi.platform.Database;
import org.wwi.platform.Progress;
import org.wwi.sample.WeblogGenerator;
import org.wwi.sample.WeblogSpec;

import java.io.BufferedWriter;
import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.IntStream;

import static java.util.Objects.requireNonNull;

/**
 * {@code wwi bench load}: N web events as Spark-style Parquet (one day folder per file, 200 days),
 * loaded into the same PostgreSQL table four ways: (a) this project's Parquet → warehouse load
 * (the streaming binary COPY loader); (b) binary COPY of the same rows from a pre-built buffer
 * mapped into memory (the server's limit); (c) {@code psql \copy} of the same rows as CSV; (d) JDBC batched
 * INSERT with {@code reWriteBatchedInserts=true}. Also {@code count(*)} from footers against a
 * full scan. Prints figures; asserts nothing.
 */
public final class LoadBenchmark {
    static final String TABLE = "bench_load.web_event";
    static final String COLUMNS = "user_id, session_id, product_id, quantity, price, total_price, referral_url, "
            + "page_stop_duration, action, channel, transaction_date, transaction_day";

    /**
     * What to run.
     *
     * @param runs     measured runs of each way of loading (the median is reported), after one warm-up
     *                 round on a tenth of the files so that no way pays for the JIT or the first connection
     * @param skipPsql leave out (c), e.g. where {@code psql} is not installed
     */
    public record Spec(long rows, int days, Path workDir, int runs, boolean skipPsql) {
        public Spec {
            requireNonNull(workDir, "workDir is null");
            if (rows < 1 || days < 1 || runs < 1) {
                throw new IllegalArgumentException("rows, days and runs must be positive");
            }
        }
    }

    /** One measured way of loading: the median of its runs. */
    public record Row(String name, long rows, double seconds, List<Double> runs) {
        public double rowsPerSecond() {
            return rows / seconds;
        }
    }

    /**
     * The figures; {@code psqlMissing} when (c) could not run.
     *
     * @param peakHeapBytesDuringA the highest heap use seen during any run of (a)
     */
    public record Report(List<Row> loads, long peakHeapBytesDuringA, int files, long parquetBytes,
                         double footerCountSeconds, double fullScanSeconds, long countedRows,
                         Optional<String> psqlMissing) {
        /** The load of one letter, "a" to "d". */
        public Optional<Row> load(String letter) {
            return loads.stream().filter(r -> r.name().startsWith("(" + letter + ")")).findFirst();
        }

        /** rows/s of {@code a} over rows/s of {@code b}; NaN when one did not run. */
        public double ratio(String a, String b) {
            Optional<Row> x = load(a);
            Optional<Row> y = load(b);
            return x.isPresent() && y.isPresent() ? x.get().rowsPerSecond() / y.get().rowsPerSecond() : Double.NaN;
        }
    }

    private LoadBenchmark() {
    }

    public static Report run(Database db, Spec spec, Consumer<String> out) throws IOException, SQLException {
        Path lake = spec.workDir().resolve("lake");
        out.accept("generating " + spec.rows() + " web events over " + spec.days() + " days into " + lake);
        try (Progress p = Progress.onTerminal("sample weblogs", spec.rows(), "events")) {
            WeblogGenerator.generate(WeblogSpec.defaults(lake).withRows(spec.rows()).withDays(spec.days()), p);
        }
        ResolvedTable table = weblogs(lake);
        try (Storage storage = Storage.open(table.source(), Optional.empty(), Map.of());
             Connection c = db.dataSource().getConnection()) {
            TableReader reader = new TableReader(table, storage);
            List<FileRef> files = reader.list().files();
            long bytes = files.stream().mapToLong(FileRef::length).sum();
            out.accept(files.size() + " Parquet files, " + bytes / 1_000_000 + " MB");
            setUp(c);
            c.setAutoCommit(false);
            TargetTable target = TargetTable.describe(c, "bench_load", "web_event");
            ColumnMapping mapping = ColumnMapping.byName(table.table(), target);

            // pre-built inputs of (b) and (c), written before any clock starts
            Path copyFile = spec.workDir().resolve("web_event.copy");
            buildBinaryCopy(target, reader, files, table, copyFile);
            Path csv = spec.workDir().resolve("web_event.csv");
            writeCsv(reader, files, table, csv);
            Optional<String> psqlMissing = spec.skipPsql() ? Optional.of("left out (--skip-psql)") : psqlVersion();
            psqlMissing.ifPresent(why -> out.accept("(c) psql \\copy: " + why));
            try (Premapped premapped = Premapped.load(copyFile)) {
                // warm-up: every way once on a tenth of the files (the COPY stream and CSV of those files only)
                List<FileRef> some = files.subList(0, Math.max(1, files.size() / 10));
                out.accept("warm-up on " + some.size() + " files");
                loadA(c, table, storage, some, target, mapping, Progress.none());
                truncate(c);
                Path someCopy = spec.workDir().resolve("warm-up.copy");
                buildBinaryCopy(target, reader, some, table, someCopy);
                try (Premapped p = Premapped.load(someCopy)) {
                    p.copy(c);
                }
                Files.delete(someCopy);
                truncate(c);
                jdbcInsert(db, reader, some, table);
                truncate(c);
                for (int i = 0; i < 10; i++) { // footers take milliseconds: warm them as a server would be
                    countFooters(reader, files);
                }
                fullScan(reader, some, table);

                List<List<Double>> times = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(),
                        new ArrayList<>());
                long[] counts = new long[4];
                long peak = 0;
                for (int run = 1; run <= spec.runs(); run++) {
                    String of = spec.runs() > 1 ? " (run " + run + "/" + spec.runs() + ")" : "";
                    // (a) the project's loader, measured with the heap peak reset
                    System.gc();
                    resetPeaks();
                    long t0 = System.nanoTime();
                    LoadResult r;
                    try (Progress p = Progress.onTerminal("(a) Parquet -> warehouse" + of, spec.rows(), "rows")) {
                        r = loadA(c, table, storage, files, target, mapping, p);
                    }
                    double sa = seconds(t0);
                    times.get(0).add(sa);
                    peak = Math.max(peak, peakHeap());
                    counts[0] = r.rows();
                    out.accept(String.format("(a) %,d rows in %.2f s%s", r.rows(), sa, of));
                    truncate(c);

                    // (b) binary COPY of the pre-built stream, from memory
                    t0 = System.nanoTime();
                    counts[1] = premapped.copy(c);
                    double sb = seconds(t0);
                    times.get(1).add(sb);
                    out.accept(String.format("(b) %,d rows in %.2f s%s", counts[1], sb, of));
                    truncate(c);

                    // (c) psql \copy of the same rows as CSV
                    if (psqlMissing.isEmpty()) {
                        t0 = System.nanoTime();
                        psqlCopy(db, csv);
                        double sc = seconds(t0);
                        times.get(2).add(sc);
                        counts[2] = count(c);
                        out.accept(String.format("(c) %,d rows in %.2f s%s", counts[2], sc, of));
                        truncate(c);
                    }

                    // (d) JDBC batched INSERT, reWriteBatchedInserts=true
                    t0 = System.nanoTime();
                    counts[3] = jdbcInsert(db, reader, files, table);
                    double sd = seconds(t0);
                    times.get(3).add(sd);
                    out.accept(String.format("(d) %,d rows in %.2f s%s", counts[3], sd, of));
                    truncate(c);
                }
                String[] names = {"(a) wwi Parquet -> binary COPY (streaming)",
                    "(b) binary COPY of a pre-built stream in memory (limit)", "(c) psql \\copy CSV",
                    "(d) JDBC batch INSERT (reWriteBatchedInserts)"};
                List<Row> loads = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    if (!times.get(i).isEmpty()) {
                        loads.add(new Row(names[i], counts[i], median(times.get(i)), List.copyOf(times.get(i))));
                    }
                }

                // count(*): footers against reading every row
                List<Double> footerTimes = new ArrayList<>();
                List<Double> scanTimes = new ArrayList<>();
                long counted = 0;
                for (int run = 1; run <= spec.runs(); run++) {
                    long t0 = System.nanoTime();
                    counted = countFooters(reader, files);
                    footerTimes.add(seconds(t0));
                    t0 = System.nanoTime();
                    long scanned = fullScan(reader, files, table);
                    scanTimes.add(seconds(t0));
                    if (scanned != counted) {
                        throw new IllegalStateException("footer count " + counted + " differs from scan " + scanned);
                    }
                }
                return new Report(loads, peak, files.size(), bytes, median(footerTimes), median(scanTimes), counted,
                        psqlMissing);
            } finally {
                Files.deleteIfExists(copyFile);
                Files.deleteIfExists(csv);
            }
        }
    }

    private static LoadResult loadA(Connection c, ResolvedTable table, Storage storage, List<FileRef> files,
                                    TargetTable target, ColumnMapping mapping, Progress p) throws SQLException {
        LoadResult r = Loader.load(c, table, storage, files, target, mapping, p, "API");
        c.commit();
        return r;
    }

    private static long countFooters(TableReader reader, List<FileRef> files) {
        return reader.countRows(files, new Rejects("bench", RejectPolicy.DEFAULT));
    }

    private static long fullScan(TableReader reader, List<FileRef> files, ResolvedTable table) {
        long scanned = 0;
        int[] all = IntStream.range(0, table.table().columns().size()).toArray();
        for (FileRef f : files) {
            try (FileCursor cur = reader.open(f, all, List.of(), new Rejects("bench", RejectPolicy.DEFAULT))) {
                while (cur.next()) {
                    scanned++;
                }
            }
        }
        return scanned;
    }

    static double median(List<Double> xs) {
        List<Double> s = new ArrayList<>(xs);
        s.sort(null);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    /** Why psql cannot run, or empty when it can. */
    private static Optional<String> psqlVersion() {
        try {
            Process p = new ProcessBuilder("psql", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor() == 0 ? Optional.empty() : Optional.of("psql --version failed; (c) left out");
        } catch (IOException e) {
            return Optional.of("psql is not on the PATH (install postgresql-client); (c) left out");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted");
        }
    }

    /**
     * A binary COPY stream mapped into memory and loaded before the clock starts: the input of (b),
     * outside the Java heap so that any number of rows fits, and read from memory, not from disk.
     */
    private static final class Premapped implements AutoCloseable {
        private static final long PART = 1L << 30;
        private final FileChannel channel;
        private final List<MappedByteBuffer> parts = new ArrayList<>();

        private Premapped(FileChannel channel) {
            this.channel = channel;
        }

        static Premapped load(Path file) throws IOException {
            Premapped m = new Premapped(FileChannel.open(file, StandardOpenOption.READ));
            long size = m.channel.size();
            for (long at = 0; at < size; at += PART) {
                MappedByteBuffer b = m.channel.map(FileChannel.MapMode.READ_ONLY, at, Math.min(PART, size - at));
                b.load();
                m.parts.add(b);
            }
            return m;
        }

        /** Streams the whole buffer through one COPY and commits; returns the rows PostgreSQL counted. */
        long copy(Connection c) throws SQLException {
            CopyIn in = c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY " + TABLE + " (" + COLUMNS
                    + ") FROM STDIN (FORMAT binary)");
            byte[] chunk = new byte[1 << 19];
            try {
                for (MappedByteBuffer part : parts) {
                    java.nio.ByteBuffer b = part.duplicate();
                    while (b.hasRemaining()) {
                        int n = Math.min(chunk.length, b.remaining());
                        b.get(chunk, 0, n);
                        in.writeToCopy(chunk, 0, n);
                    }
                }
                long rows = in.endCopy();
                c.commit();
                return rows;
            } finally {
                if (in.isActive()) {
                    in.cancelCopy();
                }
            }
        }

        @Override
        public void close() throws IOException {
            parts.clear();
            channel.close();
        }
    }

    private static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    static ResolvedTable weblogs(Path lake) {
        DataSourceDef source = new DataSourceDef("bench_lake", "HADOOP", URI.create(lake.toUri().toString()),
                Optional.empty());
        FileFormatDef parquet = new FileFormatDef("bench_parquet", FileFormatDef.FormatType.PARQUET,
                DelimitedOptions.DEFAULT, Optional.empty());
        List<ExternalColumn> cols = List.of(
                c("UserId", ExternalType.of(ExternalType.Kind.INT)),
                c("SessionId", ExternalType.nvarchar(50)),
                c("ProductId", ExternalType.of(ExternalType.Kind.INT)),
                c("Quantity", ExternalType.of(ExternalType.Kind.INT)),
                c("Price", ExternalType.decimal(10, 2)),
                c("TotalPrice", ExternalType.decimal(12, 2)),
                c("ReferralURL", ExternalType.nvarchar(ExternalType.MAX)),
                c("PageStopDuration", ExternalType.of(ExternalType.Kind.INT)),
                c("Action", ExternalType.nvarchar(20)),
                c("Channel", ExternalType.nvarchar(20)),
                c("TransactionDate", ExternalType.of(ExternalType.Kind.DATETIMEOFFSET)),
                new ExternalColumn("TransactionDay", ExternalType.of(ExternalType.Kind.DATE), true, true));
        ExternalTableDef t = new ExternalTableDef("ext", "weblogs", cols, "/weblogs/", "bench_lake", "bench_parquet",
                RejectPolicy.DEFAULT, Map.of(ExternalTableDef.PARTITION_COLUMNS, "TransactionDay"));
        return new ResolvedTable(t, source, parquet);
    }

    private static ExternalColumn c(String name, ExternalType type) {
        return new ExternalColumn(name, type, true, false);
    }

    private static void setUp(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("create schema if not exists bench_load");
            st.execute("drop table if exists " + TABLE);
            st.execute("create table " + TABLE + " (user_id integer, session_id varchar(50), product_id integer, "
                    + "quantity integer, price numeric(10,2), total_price numeric(12,2), referral_url text, "
                    + "page_stop_duration integer, action varchar(20), channel varchar(20), "
                    + "transaction_date timestamptz, transaction_day date)");
        }
    }

    private static void truncate(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("truncate " + TABLE);
        }
        if (!c.getAutoCommit()) {
            c.commit();
        }
    }

    private static long count(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); var rs = st.executeQuery("select count(*) from " + TABLE)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void resetPeaks() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                pool.resetPeakUsage();
            }
        }
    }

    /** Sum of the heap pools' peaks since the reset: an upper bound of the peak heap. */
    private static long peakHeap() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                sum += pool.getPeakUsage().getUsed();
            }
        }
        return sum;
    }

    private interface RowConsumer {
        void accept(Object[] row) throws IOException, SQLException;
    }

    private static void forEachRow(TableReader reader, List<FileRef> files, ResolvedTable table, RowConsumer consumer)
            throws IOException, SQLException {
        int[] all = IntStream.range(0, table.table().columns().size()).toArray();
        for (FileRef f : files) {
            try (FileCursor cur = reader.open(f, all, List.of(), new Rejects("bench", RejectPolicy.DEFAULT))) {
                while (cur.next()) {
                    consumer.accept(cur.row());
                }
            }
        }
    }

    private static void buildBinaryCopy(TargetTable target, TableReader reader, List<FileRef> files,
                                        ResolvedTable table, Path file) throws IOException, SQLException {
        try (OutputStream buf = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
            org.wwi.external.load.BinaryCopyWriter enc = new org.wwi.external.load.BinaryCopyWriter(target,
                    ColumnMapping.byName(table.table(), target).targetColumns(), buf);
            forEachRow(reader, files, table, enc::row);
            enc.finish();
        }
    }

    private static void writeCsv(TableReader reader, List<FileRef> files, ResolvedTable table, Path csv)
            throws IOException, SQLException {
        try (BufferedWriter w = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
            StringBuilder sb = new StringBuilder(256);
            forEachRow(reader, files, table, row -> {
                sb.setLength(0);
                for (int i = 0; i < row.length; i++) {
                    if (i > 0) {
                        sb.append(',');
                    }
                    Object v = row[i];
                    if (v == null) {
                        continue;
                    }
                    String s = v instanceof java.time.OffsetDateTime o ? o.toString() : v.toString();
                    if (s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0 || s.isEmpty()) {
                        sb.append('"').append(s.replace("\"", "\"\"")).append('"');
                    } else {
                        sb.append(s);
                    }
                }
                sb.append('\n');
                w.write(sb.toString());
            });
        }
    }

    private static void psqlCopy(Database db, Path csv) throws IOException {
        Database.ServerAddress a = db.address();
        String uri = "postgresql://" + a.user() + "@" + a.host() + ":" + a.port() + "/" + a.database();
        ProcessBuilder pb = new ProcessBuilder("psql", uri, "-v", "ON_ERROR_STOP=1", "-q", "-c",
                "\\copy " + TABLE + " (" + COLUMNS + ") from '" + csv.toAbsolutePath() + "' with (format csv)");
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (p.waitFor() != 0) {
                throw new IOException("psql \\copy failed: " + output.strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static long jdbcInsert(Database db, TableReader reader, List<FileRef> files, ResolvedTable table)
            throws IOException, SQLException {
        org.postgresql.ds.PGSimpleDataSource ds = new org.postgresql.ds.PGSimpleDataSource();
        ds.setUrl(db.jdbcUrl());
        ds.setUser(db.address().user());
        try {
            org.postgresql.ds.common.BaseDataSource base = db.dataSource().unwrap(org.postgresql.ds.common.BaseDataSource.class);
            ds.setPassword(base.getPassword());
        } catch (SQLException e) {
            // no password to copy
            ds.setPassword(null);
        }
        ds.setReWriteBatchedInserts(true);
        long[] n = {0};
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("insert into " + TABLE + " (" + COLUMNS
                    + ") values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                forEachRow(reader, files, table, row -> {
                    for (int i = 0; i < row.length; i++) {
                        Object v = row[i];
                        if (v instanceof LocalDate d) {
                            ps.setObject(i + 1, d);
                        } else if (v instanceof java.time.OffsetDateTime o) {
                            ps.setObject(i + 1, o);
                        } else if (v instanceof LocalDateTime t) {
                            ps.setObject(i + 1, t.atOffset(ZoneOffset.UTC));
                        } else if (v instanceof BigDecimal b) {
                            ps.setBigDecimal(i + 1, b);
                        } else {
                            ps.setObject(i + 1, v);
                        }
                    }
                    ps.addBatch();
                    if (++n[0] % 1000 == 0) {
                        ps.executeBatch();
                    }
                });
                ps.executeBatch();
            }
            c.commit();
        }
        return n[0];
    }
}
