package org.wwi.external.bench;

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
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * (the streaming binary COPY loader); (b) binary COPY of the same rows from a pre-built in-memory
 * buffer (the server's limit); (c) {@code psql \copy} of the same rows as CSV; (d) JDBC batched
 * INSERT with {@code reWriteBatchedInserts=true}. Also {@code count(*)} from footers against a
 * full scan. Prints figures; asserts nothing.
 */
public final class LoadBenchmark {
    static final String TABLE = "bench_load.web_event";
    static final String COLUMNS = "user_id, session_id, product_id, quantity, price, total_price, referral_url, "
            + "page_stop_duration, action, channel, transaction_date, transaction_day";

    /** What to run. */
    public record Spec(long rows, int days, Path workDir, boolean skipPsql) {
        public Spec {
            requireNonNull(workDir, "workDir is null");
            if (rows < 1 || days < 1) {
                throw new IllegalArgumentException("rows and days must be positive");
            }
        }
    }

    /** One measured way of loading. */
    public record Row(String name, long rows, double seconds) {
        public double rowsPerSecond() {
            return rows / seconds;
        }
    }

    /** The figures. */
    public record Report(List<Row> loads, long peakHeapBytesDuringA, int files, long parquetBytes,
                         double footerCountSeconds, double fullScanSeconds, long countedRows) {
        public double ratio(int a, int b) {
            return loads.get(a).rowsPerSecond() / loads.get(b).rowsPerSecond();
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
            TargetTable target = TargetTable.describe(c, "bench_load", "web_event");
            ColumnMapping mapping = ColumnMapping.byName(table.table(), target);
            List<Row> loads = new ArrayList<>();

            // (a) the project's loader, measured with the heap peak reset
            truncate(c);
            System.gc();
            resetPeaks();
            long t0 = System.nanoTime();
            c.setAutoCommit(false);
            LoadResult r;
            try (Progress p = Progress.onTerminal("(a) Parquet -> warehouse", spec.rows(), "rows")) {
                r = Loader.load(c, table, storage, files, target, mapping, p, "API");
            }
            c.commit();
            double a = seconds(t0);
            long peak = peakHeap();
            loads.add(new Row("(a) wwi Parquet -> binary COPY (streaming)", r.rows(), a));
            out.accept(String.format("(a) %,d rows in %.2f s", r.rows(), a));

            // (b) binary COPY of a pre-built stream: rows read and encoded before the clock starts, kept in a
            // file (read back from the page cache) so that any number of rows fits in a bounded heap
            Path copyFile = spec.workDir().resolve("web_event.copy");
            buildBinaryCopy(c, reader, files, table, copyFile);
            truncate(c);
            t0 = System.nanoTime();
            long nb;
            try (InputStream in = new BufferedInputStream(Files.newInputStream(copyFile), 1 << 20)) {
                nb = c.unwrap(org.postgresql.PGConnection.class).getCopyAPI().copyIn("COPY " + TABLE + " (" + COLUMNS
                        + ") FROM STDIN (FORMAT binary)", in, 1 << 20);
            }
            c.commit();
            loads.add(new Row("(b) binary COPY of a pre-built stream (limit)", nb, seconds(t0)));
            Files.deleteIfExists(copyFile);
            out.accept(String.format("(b) %,d rows in %.2f s", nb, loads.get(1).seconds()));

            // (c) psql \copy of the same rows as CSV
            Path csv = spec.workDir().resolve("web_event.csv");
            writeCsv(reader, files, table, csv);
            truncate(c);
            c.commit();
            if (!spec.skipPsql()) {
                t0 = System.nanoTime();
                psqlCopy(db, csv);
                long nc = count(c);
                loads.add(new Row("(c) psql \\copy CSV", nc, seconds(t0)));
                out.accept(String.format("(c) %,d rows in %.2f s", nc, loads.get(2).seconds()));
            }
            Files.deleteIfExists(csv);

            // (d) JDBC batched INSERT, reWriteBatchedInserts=true
            truncate(c);
            c.commit();
            t0 = System.nanoTime();
            long nd = jdbcInsert(db, reader, files, table);
            loads.add(new Row("(d) JDBC batch INSERT (reWriteBatchedInserts)", nd, seconds(t0)));
            out.accept(String.format("(d) %,d rows in %.2f s", nd, seconds(t0)));
            truncate(c);
            c.commit();

            // count(*): footers against reading every row
            t0 = System.nanoTime();
            long counted = reader.countRows(files, new Rejects("bench", RejectPolicy.DEFAULT));
            double footer = seconds(t0);
            t0 = System.nanoTime();
            long scanned = 0;
            int[] all = IntStream.range(0, table.table().columns().size()).toArray();
            for (FileRef f : files) {
                try (FileCursor cur = reader.open(f, all, List.of(), new Rejects("bench", RejectPolicy.DEFAULT))) {
                    while (cur.next()) {
                        scanned++;
                    }
                }
            }
            double full = seconds(t0);
            if (scanned != counted) {
                throw new IllegalStateException("footer count " + counted + " differs from scan " + scanned);
            }
            return new Report(loads, peak, files.size(), bytes, footer, full, counted);
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

    private static void buildBinaryCopy(Connection c, TableReader reader, List<FileRef> files, ResolvedTable table,
                                        Path file) throws IOException, SQLException {
        try (OutputStream buf = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
            TargetTable target = TargetTable.describe(c, "bench_load", "web_event");
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
